"""Timers started from the app, per owner and business, kept across reloads and restarts.

Each timer is a FreshBooks time entry not yet logged (``is_logged`` false) plus what
FreshBooks documents no field for: whether it is paused, and the seconds counted before the
current run. The entry id is the timer's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from .schema import TimerRow

__all__ = ["LONG_RUN", "Timer", "TimerStore"]

# A timer counting more than this while running was most likely left on by mistake.
LONG_RUN = timedelta(hours=10)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands DateTime(timezone=True) back naive: the store writes UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Timer:
    """One timer: its FreshBooks entry, what it is for, and its time so far."""

    entry_id: int
    client_id: int | None
    project_id: int | None
    service_id: int | None
    note: str | None
    started_at: datetime
    running_since: datetime | None
    seconds: int  # counted before ``running_since``

    @property
    def running(self) -> bool:
        """Whether it counts now (else paused)."""
        return self.running_since is not None

    def elapsed(self, now: datetime) -> int:
        """Whole seconds counted up to ``now`` (never negative)."""
        if self.running_since is None:
            return self.seconds
        return self.seconds + max(0, int((now - self.running_since).total_seconds()))

    def left_running(self, now: datetime) -> bool:
        """Running with more than :data:`LONG_RUN` counted: probably forgotten."""
        return self.running and self.elapsed(now) > LONG_RUN.total_seconds()


def _timer(row: TimerRow) -> Timer:
    started = _aware(row.started_at)
    assert started is not None
    return Timer(
        entry_id=row.entry_id,
        client_id=row.client_id,
        project_id=row.project_id,
        service_id=row.service_id,
        note=row.note,
        started_at=started,
        running_since=_aware(row.running_since),
        seconds=row.seconds,
    )


class TimerStore:
    """One owner's timers in one business."""

    def __init__(self, sessions: sessionmaker[Session], owner: str, business_id: int) -> None:
        self._sessions = sessions
        self._owner = owner
        self._business = business_id

    def _row(self, session: Session, entry_id: int) -> TimerRow:
        row = session.get(TimerRow, (self._owner, self._business, entry_id))
        if row is None:
            raise ValueError(f"There is no timer {entry_id}; running_timers lists them.")
        return row

    def add(self, timer: Timer) -> Timer:
        """Keep a new timer."""
        with self._sessions() as session, session.begin():
            session.add(
                TimerRow(
                    owner=self._owner,
                    business_id=self._business,
                    entry_id=timer.entry_id,
                    client_id=timer.client_id,
                    project_id=timer.project_id,
                    service_id=timer.service_id,
                    note=timer.note,
                    started_at=timer.started_at.astimezone(UTC),
                    running_since=(
                        timer.running_since.astimezone(UTC) if timer.running_since else None
                    ),
                    seconds=timer.seconds,
                )
            )
        return timer

    def all(self) -> list[Timer]:
        """Every timer, oldest first."""
        query = (
            select(TimerRow)
            .where(TimerRow.owner == self._owner, TimerRow.business_id == self._business)
            .order_by(TimerRow.started_at, TimerRow.entry_id)
        )
        with self._sessions() as session:
            return [_timer(row) for row in session.scalars(query)]

    def get(self, entry_id: int) -> Timer:
        """One timer; ``ValueError`` with a sentence when there is none."""
        with self._sessions() as session:
            return _timer(self._row(session, entry_id))

    def pause(self, entry_id: int, at: datetime) -> Timer:
        """Stop counting at ``at``, keeping the time so far."""
        with self._sessions() as session, session.begin():
            row = self._row(session, entry_id)
            timer = _timer(row)
            if not timer.running:
                raise ValueError(f"Timer {entry_id} is already paused.")
            row.seconds = timer.elapsed(at)
            row.running_since = None
            return _timer(row)

    def resume(self, entry_id: int, at: datetime) -> Timer:
        """Count again from ``at``."""
        with self._sessions() as session, session.begin():
            row = self._row(session, entry_id)
            if row.running_since is not None:
                raise ValueError(f"Timer {entry_id} is already running.")
            row.running_since = at.astimezone(UTC)
            return _timer(row)

    def remove(self, entry_id: int) -> None:
        """Forget a timer (stopped, or its entry is gone)."""
        with self._sessions() as session, session.begin():
            session.execute(
                delete(TimerRow).where(
                    TimerRow.owner == self._owner,
                    TimerRow.business_id == self._business,
                    TimerRow.entry_id == entry_id,
                )
            )
