"""Frames follow a revisit by rebuilding only the changed records' rows, and give what a
whole build gives; whatever they cannot follow is built whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from copilot.cache import FramesCache
from copilot.mirror import Mirror
from insights.frame_file import read_frames, write_frames
from insights.frames import Frames, build_frames

from ..insights.test_frames_from_rows import assert_same_frames
from .test_frame_files import counted_builds
from .test_mirror import OWNER, Env

WHOSE = (OWNER, 1, 1)
IDS = {
    "invoices": "invoice_id",
    "payments": "payment_id",
    "expenses": "expense_id",
    "time": "entry_id",
    "clients": "client_id",
    "projects": "project_id",
}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    env = Env(f"sqlite:///{tmp_path / 'store.db'}")
    yield env
    env.close()


def in_order(frames: Frames) -> Frames:
    """Each frame sorted by its record id (a followed frame lists changed records last)."""
    return Frames(
        **{
            name: getattr(frames, name).sort_values(column, kind="stable").reset_index(drop=True)
            for name, column in IDS.items()
        },
        today=frames.today,
        timezone=frames.timezone,
        home_currency=frames.home_currency,
        fetched_at=frames.fetched_at,
        business_name=frames.business_name,
    )


def whole(env: Env, today: date) -> Frames:
    """The frames a process that starts builds from the mirror as it is now."""
    return build_frames(Mirror(env.store).load(OWNER, env.business), today)


def test_a_revisit_rebuilds_only_the_changed_rows(
    env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    built = counted_builds(monkeypatch)
    mirror = env.mirror(fresh_for=timedelta(0))
    today = env.business.today(datetime.now(UTC))
    cache = FramesCache()
    first = mirror.snapshot(OWNER, env.books, env.business)
    before = cache.frames(WHOSE, first, today)
    assert built == [today]
    # Changes made elsewhere, across the long lists: an invoice paid in part (its payment's
    # row reads the invoice), a new invoice, an archived expense, an edited and a deleted
    # time entry, and a client's note (its name and currency as they were).
    owed = next(i for i in first.invoices if i.owed > 1 and not i.is_draft and i.vis_state == 0)
    env.other.payments.create(
        {
            "invoiceid": owed.id,
            "amount": {"amount": "1.00", "code": owed.currency or "USD"},
            "date": today.isoformat(),
            "type": "Cash",
        }
    )
    client = next(c for c in first.clients if c.vis_state == 0)
    env.other.invoices.create(
        {
            "customerid": client.id,
            "create_date": today.isoformat(),
            "lines": [{"name": "Follow", "qty": "3", "unit_cost": {"amount": "20.00", "code": "USD"}}],
        }
    )  # fmt: skip
    expense = next(e for e in first.expenses if e.vis_state == 0)
    env.other.expenses.archive(expense.id)
    entries = [t for t in first.time_entries if t.active and t.duration][-2:]
    env.other.time_entries.update(entries[0].id, {"duration": (entries[0].duration or 0) + 900})
    env.other.time_entries.delete(entries[1].id)
    env.other.clients.update(client.id, {"note": "a note changes no frame"})

    second = mirror.snapshot(OWNER, env.books, env.business)
    assert second.version > first.version
    after = cache.frames(WHOSE, second, today)
    assert built == [today]  # followed, not built whole
    assert len(after.invoices) == len(before.invoices) + 1
    assert_same_frames(in_order(after), in_order(whole(env, today)))
    # Followed frames (columns put together from pieces) are saved and read back as they are.
    write_frames(tmp_path / "followed.arrow", after)
    assert_same_frames(read_frames(tmp_path / "followed.arrow"), after)


def test_a_renamed_client_is_built_whole(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    built = counted_builds(monkeypatch)
    mirror = env.mirror(fresh_for=timedelta(0))
    today = env.business.today(datetime.now(UTC))
    cache = FramesCache()
    first = mirror.snapshot(OWNER, env.books, env.business)
    cache.frames(WHOSE, first, today)
    client = next(c for c in first.clients if c.vis_state == 0 and c.organization)
    env.other.clients.update(client.id, {"organization": f"{client.organization} Renamed"})
    after = cache.frames(WHOSE, mirror.snapshot(OWNER, env.books, env.business), today)
    assert len(built) == 2
    assert f"{client.organization} Renamed" in set(after.invoices["client"].dropna())
    assert_same_frames(in_order(after), in_order(whole(env, today)))


def test_another_day_is_built_whole(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    built = counted_builds(monkeypatch)
    mirror = env.mirror(fresh_for=timedelta(0))
    today = env.business.today(datetime.now(UTC))
    cache = FramesCache()
    snap = mirror.snapshot(OWNER, env.books, env.business)
    cache.frames(WHOSE, snap, today)
    later = cache.frames(WHOSE, snap, today + timedelta(days=1))
    assert len(built) == 2
    assert later.today == today + timedelta(days=1)


def test_a_write_made_here_is_followed(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    built = counted_builds(monkeypatch)
    mirror = env.mirror(fresh_for=timedelta(hours=1))
    today = env.business.today(datetime.now(UTC))
    cache = FramesCache()
    first = mirror.snapshot(OWNER, env.books, env.business)
    cache.frames(WHOSE, first, today)
    expense = next(e for e in first.expenses if e.vis_state == 0)
    env.books.expenses.update(expense.id, {"vendor": "Followed Vendor"})  # heard by the mirror
    held = mirror.cached(OWNER, env.business)
    assert held is not None
    after = cache.frames(WHOSE, held, today)
    assert built == [today]
    assert "Followed Vendor" in set(after.expenses["vendor"].dropna())
    reference = whole(env, today)
    pd.testing.assert_frame_equal(
        in_order(after).expenses, in_order(reference).expenses, check_exact=True
    )
