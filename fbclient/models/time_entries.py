"""Time entries (``/timetracking/business/{business_id}/time_entries``)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from ..types import OptionalId, UTCDatetime, UTCZDatetime
from ._base import FBModel, InputModel

__all__ = ["TimeEntry", "TimeEntryInput", "Timer"]

_HOURS_PLACES = Decimal("0.0001")


class Timer(FBModel):
    """The running timer attached to an unlogged entry."""

    id: int | None = None
    is_running: bool | None = None


class TimeEntry(FBModel):
    """Logged (or running) time. Timestamps are ISO with Z (UTC); ``duration`` is seconds."""

    id: int
    identity_id: OptionalId = None
    is_logged: bool = True
    started_at: UTCDatetime = None
    created_at: UTCDatetime = None
    client_id: OptionalId = None
    project_id: OptionalId = None
    service_id: OptionalId = None
    task_id: OptionalId = None
    retainer_id: OptionalId = None
    note: str | None = None
    active: bool = True
    billable: bool | None = None
    billed: bool | None = None
    internal: bool | None = None
    duration: int | None = None  # seconds; may be null while a timer runs
    timer: Timer | None = None

    @property
    def hours(self) -> Decimal:
        """``duration`` in hours, to 4 places (0.36 s). Sum seconds first for exact totals."""
        return (Decimal(self.duration or 0) / 3600).quantize(_HOURS_PLACES)


class TimeEntryInput(InputModel):
    """Fields of a time entry FreshBooks accepts on create and update.

    ``is_logged``, ``started_at`` and ``duration`` are required when creating. An update
    replaces the whole record, so :meth:`TimeEntries.update` sends every one of these fields,
    read from the current entry and merged with the changes.
    """

    is_logged: bool | None = Field(
        default=None, description="True for completed time; false starts a running timer"
    )
    started_at: UTCZDatetime = Field(
        default=None, description="When the work started; timezone-aware, sent as UTC"
    )
    duration: int | None = Field(default=None, ge=0, description="Length in whole seconds")
    client_id: int | None = Field(default=None, description="Client the time is for")
    project_id: int | None = Field(default=None, description="Project the time is for")
    service_id: int | None = Field(default=None, description="Service (kind of work)")
    task_id: int | None = Field(default=None, description="Accounting task twin of the service")
    retainer_id: int | None = Field(default=None, description="Retainer the time counts against")
    note: str | None = Field(default=None, description="What was done")
    billable: bool | None = Field(default=None, description="Whether the time can be invoiced")
    billed: bool | None = Field(default=None, description="Whether the time has been invoiced")
    internal: bool | None = Field(default=None, description="True for internal, non-client time")
    identity_id: int | None = Field(
        default=None, description="Team member (identity id) the time belongs to"
    )
