"""Timesheet gaps: find the working days with little or no time, and fill them in one card.

The card lists one line per day to fill (the person may leave any out); Confirm logs one
entry per day kept, like ``log_time``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Self

import pandas as pd
from pydantic import Field, model_validator

from agent.queries import TimeQuery
from agent.tool import ProposedChange, Tool, ToolContext
from fbclient.models.time_entries import TimeEntryInput
from insights.frames import time_frame
from insights.gaps import timesheet_gaps

from ._args import Args, Hours, Note, RecordId, today_of
from ._cards import display, record_ids, written
from ._lookup import LIST_PAGES
from ._rows import hours_text
from .dates import day_window
from .time_entries import _client_for, _project, _started_at, entry_names, to_seconds

__all__ = ["TOOLS", "find_gaps"]

MAX_DAYS = 31  # one card
DEFAULT_THRESHOLD = Decimal(8)
DEFAULT_SPAN = 14  # days looked at when no dates are given, ending yesterday


class GapArgs(Args):
    """Which days to look at, what counts as a gap, and the time to log on each."""

    start_date: date | None = Field(
        default=None, description="First day to look at, YYYY-MM-DD; null for 14 days ago"
    )
    end_date: date | None = Field(
        default=None, description="Last day to look at, YYYY-MM-DD; null for yesterday"
    )
    threshold_hours: Hours | None = Field(
        default=None, description="A working day with fewer hours logged is a gap; null for 8"
    )
    hours: Hours | None = Field(
        default=None, description="Hours to log on each gap day; null to fill up to the threshold"
    )
    project_id: RecordId | None = Field(default=None, description="Project worked on, or null")
    client_id: RecordId | None = Field(
        default=None, description="Client worked for; null to take the project's client"
    )
    service_id: RecordId | None = Field(default=None, description="Service, or null")
    note: Note | None = Field(default=None, description="What was done")
    days: list[date] | None = Field(
        default=None, max_length=MAX_DAYS, description="Only these gap days; null for all"
    )

    @model_validator(mode="after")
    def _target(self) -> Self:
        if self.project_id is None and self.client_id is None:
            raise ValueError("give project_id or client_id (find_project / find_client)")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


def find_gaps(ctx: ToolContext, start: date, end: date, threshold: Decimal) -> pd.DataFrame:
    """The gap days of ``start``..``end`` (see :func:`insights.gaps.timesheet_gaps`)."""
    window = day_window(start, end, ctx.business.timezone)
    found = ctx.reads.time_entries(
        TimeQuery(pages=LIST_PAGES, started_from=window[0], started_to=window[1])
    )
    frame = time_frame(found, timezone=ctx.business.timezone)
    return timesheet_gaps(frame, start, end, threshold)


def _plan(ctx: ToolContext, args: GapArgs) -> list[tuple[date, int, int]]:
    """(day, seconds logged, seconds to log) for every gap day chosen, oldest first."""
    today = today_of(ctx)
    end = args.end_date or today - timedelta(days=1)
    start = args.start_date or end - timedelta(days=DEFAULT_SPAN - 1)
    if end > today:
        raise ValueError(f"{end} is still to come: gaps are looked for in days already worked.")
    threshold = args.threshold_hours or DEFAULT_THRESHOLD
    gaps = find_gaps(ctx, start, end, threshold)
    wanted = set(args.days) if args.days is not None else None
    plan = []
    for row in gaps.itertuples():
        worked = row.date.date()
        if wanted is not None and worked not in wanted:
            continue
        add = to_seconds(args.hours) if args.hours else int(threshold * 3600) - int(row.seconds)
        plan.append((worked, int(row.seconds), add))
    if not plan:
        raise ValueError(f"No working day from {start} to {end} has under {threshold} h logged.")
    if len(plan) > MAX_DAYS:
        raise ValueError(f"{len(plan)} gap days: give a shorter period (at most {MAX_DAYS}).")
    return plan


def propose_fill(ctx: ToolContext, args: GapArgs) -> ProposedChange:
    """The card: one line per gap day (logged so far, hours added), and what the time is for."""
    plan = _plan(ctx, args)
    project = _project(ctx, args.project_id)
    client_id = _client_for(project, args.client_id)
    names = entry_names(ctx)
    client = names["clients"].get(client_id or 0)
    items = [
        (
            worked.isoformat(),
            f"{worked:%a} {worked.isoformat()} · {hours_text(logged)} h logged · "
            f"adds {hours_text(add)} h",
        )
        for worked, logged, add in plan
    ]
    total = sum(add for _, _, add in plan)
    return ProposedChange(
        title=f"Log time on {len(plan)} day(s) with little or none",
        fields=[
            ("Days", str(len(plan))),
            ("Hours added", hours_text(total)),
            ("Project", f"{project.title} (id {project.id})" if project else "—"),
            ("Client", f"{client} (id {client_id})" if client else "—"),
            ("Service", names["services"].get(args.service_id or 0, "—")),
            ("Note", display(args.note)),
        ],
        client=client,
        items=items,
        item_argument="days",
    )


def fill_timesheet_gaps(ctx: ToolContext, args: GapArgs) -> dict[str, Any]:
    """Log one entry per day kept, at 09:00 in the business's timezone."""
    project = _project(ctx, args.project_id)
    client_id = _client_for(project, args.client_id)
    made: list[int] = []
    for worked, _, add in _plan(ctx, args):
        data = TimeEntryInput(
            is_logged=True,
            started_at=_started_at(ctx, worked),
            duration=add,
            client_id=client_id,
            project_id=args.project_id,
            service_id=args.service_id,
            note=args.note,
            billable=client_id is not None,
            internal=client_id is None,
        )
        made.append(ctx.books.time_entries.create(data).id)
    return written(f"logged time on {len(made)} day(s)", record_ids(time_entry=made))


def undo_fill(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete every entry the fill made."""
    ids = [int(i) for i in result["record_ids"]["time_entry"]]
    for entry_id in ids:
        ctx.books.time_entries.delete(entry_id)
    return written("deleted time entries", record_ids(time_entry=ids))


TOOLS: list[Tool[Any]] = [
    Tool(
        name="fill_timesheet_gaps",
        description=(
            "Find working days (Mon-Fri) with under N hours logged (default 8, the last 14 days) "
            "and log time on them for a project or client: one card listing the days; the user "
            "may leave any out, then confirms."
        ),
        args=GapArgs,
        handler=fill_timesheet_gaps,
        permission="write",
        propose=propose_fill,
        undo=undo_fill,
    ),
]
