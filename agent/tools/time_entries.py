"""Time tools: search time entries, log time, update and delete an entry."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Self

from pydantic import Field, model_validator

from agent.queries import TimeQuery
from agent.results import rows_result
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient.models.projects import Project
from fbclient.models.time_entries import TimeEntry, TimeEntryInput
from insights.rates import hourly_rate

from ._args import Args, Hours, Note, PeriodArgs, RecordId, UpdateArgs, today_of
from ._cards import display, read_back, record_ids, written, written_id
from ._lookup import LIST_PAGES, client_names, project_titles, service_names, service_rates
from ._recent import SLACK, made_since, same_text
from ._rows import hours_text, money_text, seconds_to_hours, text, time_row
from .dates import RelativeDay, day_window, local_day, resolve_day

__all__ = ["TOOLS", "entry_names"]

WORKDAY_START = time(9, 0)


def entry_names(ctx: ToolContext) -> dict[str, dict[int, str]]:
    """Project, client and service names by id, for time rows."""
    return {
        "projects": project_titles(ctx),
        "clients": client_names(ctx),
        "services": service_names(ctx),
    }


def to_seconds(hours: Decimal) -> int:
    """Decimal hours as whole seconds."""
    return int((hours * 3600).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _started_at(ctx: ToolContext, day: date, keep: datetime | None = None) -> datetime:
    """``day`` at the entry's current local time of day, or at 09:00 for a new entry."""
    tz = ctx.business.zone
    clock = keep.astimezone(tz).time() if keep is not None else WORKDAY_START
    return datetime.combine(day, clock, tzinfo=tz)


# --- search_time_entries ----------------------------------------------------------------


class SearchTimeArgs(PeriodArgs):
    """Filters for a time search; the dates are the days the work was done."""

    client_id: RecordId | None = Field(default=None, description="Only time for this client")
    project_id: RecordId | None = Field(default=None, description="Only time on this project")
    billable: bool | None = Field(default=None, description="Only billable (true) or not (false)")
    billed: bool | None = Field(
        default=None, description="Only time already invoiced (true) or not yet (false)"
    )


def search_time_entries(ctx: ToolContext, args: SearchTimeArgs) -> dict[str, Any]:
    """Matching entries of the whole team, newest first, with hour totals over every match."""
    start, end = args.bounds(ctx)
    window = day_window(start or date(2000, 1, 1), end or date(2999, 12, 31), ctx.business.timezone)
    found = ctx.reads.time_entries(
        TimeQuery(
            pages=LIST_PAGES,
            started_from=window[0] if start else None,
            started_to=window[1] if end else None,
            billable=args.billable,
            billed=args.billed,
            client_id=args.client_id,
            project_id=args.project_id,
        )
    )
    entries = [
        e
        for e in found
        if e.active
        and e.duration is not None
        and (args.project_id is None or e.project_id == args.project_id)
    ]
    entries.sort(key=lambda e: (e.started_at.timestamp() if e.started_at else 0, e.id))
    entries.reverse()
    names = entry_names(ctx) if entries else {}
    seconds = sum(e.duration or 0 for e in entries)
    billable = sum(e.duration or 0 for e in entries if e.billable)
    unbilled = sum(e.duration or 0 for e in entries if e.billable and not e.billed)
    return rows_result(
        [time_row(e, ctx.business.timezone, names) for e in entries],
        totals={
            "hours": hours_text(seconds),
            "billable_hours": hours_text(billable),
            "unbilled_hours": hours_text(unbilled),
        },
        note="More entries exist than were read; narrow the search." if found.truncated else None,
    )


# --- log_time ---------------------------------------------------------------------------


class LogTimeArgs(Args):
    """Hours worked on one day, for a project or a client."""

    hours: Hours = Field(description="Hours worked as a decimal string, e.g. '2.5' for 2h30")
    work_date: date | None = Field(
        default=None, description="Day worked, YYYY-MM-DD; null to use day"
    )
    day: RelativeDay | None = Field(
        default=None,
        description="today or yesterday, in the business's timezone; null with "
        "work_date (both null means today)",
    )
    project_id: RecordId | None = Field(default=None, description="Project worked on, or null")
    client_id: RecordId | None = Field(
        default=None, description="Client worked for; null to take the project's client"
    )
    service_id: RecordId | None = Field(
        default=None, description="Service (kind of work) from list_services, or null"
    )
    note: Note | None = Field(default=None, description="What was done")
    billable: bool | None = Field(
        default=None, description="Whether it can be invoiced; null for yes when there is a client"
    )

    @model_validator(mode="after")
    def _target(self) -> Self:
        if self.project_id is None and self.client_id is None:
            raise ValueError("give project_id or client_id (find_project / find_client)")
        if self.work_date is not None and self.day is not None:
            raise ValueError("give work_date or day, not both")
        return self


def _work_day(ctx: ToolContext, work_date: date | None, day: RelativeDay | None) -> date:
    if work_date is not None:
        return work_date
    return resolve_day(day or "today", today_of(ctx))


def _project(ctx: ToolContext, project_id: int | None) -> Project | None:
    return ctx.books.projects.get(project_id) if project_id is not None else None


def _client_for(project: Project | None, client_id: int | None) -> int | None:
    if project is not None and project.client_id and client_id and project.client_id != client_id:
        raise ValueError(
            f"project {project.id} belongs to client {project.client_id}, not {client_id}"
        )
    return client_id or (project.client_id if project is not None else None)


def _value_row(
    ctx: ToolContext,
    project: Project | None,
    service_id: int | None,
    seconds: int,
    currency: str,
) -> tuple[str, str]:
    rate = hourly_rate(project, service_id, service_rates(ctx))
    if rate.rate is None:
        return ("Value", f"unknown ({rate.source})")
    value = (Decimal(seconds) * rate.rate / 3600).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return (
        "Value",
        f"{money_text(value, currency)} at {format(rate.rate, 'f')}/h ({rate.source})",
    )


def _time_warnings(
    ctx: ToolContext, project: Project | None, service_id: int | None, day: date, seconds: int
) -> list[str]:
    warnings = []
    if day > today_of(ctx):
        warnings.append(f"{day} is in the future.")
    if seconds > 12 * 3600:
        warnings.append(f"{hours_text(seconds)} hours is a long day: is the number right?")
    if project is not None:
        if project.complete or not project.active:
            warnings.append(f"Project {project.title} is complete or inactive.")
        offered = {s.id for s in project.services}
        if service_id is not None and offered and service_id not in offered:
            warnings.append("This service is not one of the project's services.")
    return warnings


def propose_log_time(ctx: ToolContext, args: LogTimeArgs) -> ProposedChange:
    """The card: day, hours, project, client, service, note, billable and its value."""
    day = _work_day(ctx, args.work_date, args.day)
    project = _project(ctx, args.project_id)
    client_id = _client_for(project, args.client_id)
    client = ctx.books.clients.get(client_id) if client_id else None
    billable = args.billable if args.billable is not None else client is not None
    seconds = to_seconds(args.hours)
    services = service_names(ctx) if args.service_id else {}
    if args.service_id and args.service_id not in services:
        raise ValueError(f"service {args.service_id} does not exist; list_services gives the ids")
    fields = [
        ("Day", f"{day:%A} {day.isoformat()}"),
        ("Hours", f"{hours_text(seconds)} ({seconds // 3600}h{seconds % 3600 // 60:02d})"),
        ("Project", f"{project.title} (id {project.id})" if project else "—"),
        ("Client", f"{client.display_name} (id {client.id})" if client else "— (internal)"),
        ("Service", services.get(args.service_id or 0, "—")),
        ("Note", display(args.note)),
        ("Billable", display(billable)),
    ]
    if billable and client is not None and client.currency_code:
        fields.append(_value_row(ctx, project, args.service_id, seconds, client.currency_code))
    return ProposedChange(
        title=f"Log {hours_text(seconds)} h on {day.isoformat()}"
        + (f" for {client.display_name}" if client else ""),
        fields=fields,
        client=client.display_name if client else None,
        warnings=_time_warnings(ctx, project, args.service_id, day, seconds),
    )


def log_time(ctx: ToolContext, args: LogTimeArgs) -> dict[str, Any]:
    """Create the time entry, then read it back."""
    day = _work_day(ctx, args.work_date, args.day)
    project = _project(ctx, args.project_id)
    client_id = _client_for(project, args.client_id)
    data = TimeEntryInput(
        is_logged=True,
        started_at=_started_at(ctx, day),
        duration=to_seconds(args.hours),
        client_id=client_id,
        project_id=args.project_id,
        service_id=args.service_id,
        note=args.note,
        billable=args.billable if args.billable is not None else client_id is not None,
        internal=client_id is None,
    )
    created = ctx.books.time_entries.create(data)
    ids = record_ids(time_entry=created.id)
    return read_back(
        lambda: written(
            "logged time",
            ids,
            time_entry=time_row(
                ctx.books.time_entries.get(created.id), ctx.business.timezone, entry_names(ctx)
            ),
        ),
        written("logged time", ids, time_entry=time_row(created, ctx.business.timezone, {})),
    )


def find_created_time(ctx: ToolContext, args: LogTimeArgs, since: datetime) -> list[FoundRecord]:
    """Entries starting when the new one would, with its hours, made since ``since``."""
    started = _started_at(ctx, _work_day(ctx, args.work_date, args.day))
    seconds = to_seconds(args.hours)
    found = ctx.books.time_entries.list(
        started_from=started - SLACK, started_to=started + SLACK, max_pages=1
    )
    return [
        FoundRecord(
            "time_entry",
            entry.id,
            f"time entry of {hours_text(seconds)} on {local_day(started, ctx.business.timezone)}",
        )
        for entry in found
        if entry.duration == seconds
        and entry.started_at in (None, started)
        and (args.project_id is None or entry.project_id == args.project_id)
        and (args.client_id is None or entry.client_id == args.client_id)
        and same_text(args.note, entry.note)
        and made_since(since, entry.created_at)
    ]


def undo_log_time(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the logged entry."""
    entry_id = written_id(result, "time_entry")
    ctx.books.time_entries.delete(entry_id)
    return written("deleted time entry", record_ids(time_entry=entry_id))


# --- update_time_entry ------------------------------------------------------------------


class UpdateTimeArgs(UpdateArgs):
    """Which entry and what to change; null leaves a field unchanged."""

    id_field = "entry_id"

    entry_id: RecordId = Field(description="FreshBooks id of the time entry")
    hours: Hours | None = Field(default=None, description="New hours as a decimal string")
    work_date: date | None = Field(default=None, description="New day worked, YYYY-MM-DD")
    note: Note | None = Field(default=None, description="New note")
    billable: bool | None = Field(default=None, description="New billable flag")
    project_id: RecordId | None = Field(default=None, description="New project")
    service_id: RecordId | None = Field(default=None, description="New service")


def _time_changes(ctx: ToolContext, entry: TimeEntry, args: UpdateTimeArgs) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "note": args.note,
        "billable": args.billable,
        "service_id": args.service_id,
    }
    if args.hours is not None:
        changes["duration"] = to_seconds(args.hours)
    if args.work_date is not None:
        changes["started_at"] = _started_at(ctx, args.work_date, entry.started_at)
    if args.project_id is not None:
        project = ctx.books.projects.get(args.project_id)
        changes["project_id"] = project.id
        if project.client_id:
            changes["client_id"] = project.client_id
    return {k: v for k, v in changes.items() if v is not None}


def _entry_text(entry: TimeEntry, ctx: ToolContext) -> str:
    day = local_day(entry.started_at, ctx.business.timezone)
    return f"id {entry.id}, {display(day)}, {hours_text(entry.duration or 0)} h"


def propose_update_time(ctx: ToolContext, args: UpdateTimeArgs) -> ProposedChange:
    """The card: each changed field, old → new; a warning when the time is already billed."""
    entry = ctx.books.time_entries.get(args.entry_id)
    changes = _time_changes(ctx, entry, args)
    tz = ctx.business.timezone
    shown: dict[str, tuple[str, Any]] = {
        "duration": ("Hours", lambda v: hours_text(v or 0)),
        "started_at": ("Day", lambda v: display(local_day(v, tz))),
        "note": ("Note", lambda v: display(text(v, 200))),
        "billable": ("Billable", lambda v: display(bool(v))),
        "project_id": ("Project id", display),
        "client_id": ("Client id", display),
        "service_id": ("Service id", display),
    }
    fields = [("Entry", _entry_text(entry, ctx))]
    for name, (label, fmt) in shown.items():
        if name in changes:
            fields.append((label, f"{fmt(getattr(entry, name))} → {fmt(changes[name])}"))
    warnings = []
    if entry.billed:
        warnings.append("This time is already billed: its invoice will not change.")
    names = client_names(ctx)
    client_id = changes.get("client_id", entry.client_id)
    return ProposedChange(
        title=f"Update time entry {entry.id}",
        fields=fields,
        client=names.get(client_id) if client_id else None,
        warnings=warnings,
    )


def update_time_entry(ctx: ToolContext, args: UpdateTimeArgs) -> dict[str, Any]:
    """Change the entry (read, merge, write: FreshBooks replaces the whole record)."""
    entry = ctx.books.time_entries.get(args.entry_id)
    changes = _time_changes(ctx, entry, args)
    ctx.books.time_entries.update(args.entry_id, changes)
    after = ctx.books.time_entries.get(args.entry_id)
    return written(
        "updated time entry",
        record_ids(time_entry=after.id),
        changed=sorted(changes),
        time_entry=time_row(after, ctx.business.timezone, entry_names(ctx)),
    )


# --- delete_time_entry ------------------------------------------------------------------


class EntryIdArgs(Args):
    """Which time entry."""

    entry_id: RecordId = Field(description="FreshBooks id of the time entry")


def propose_delete_time(ctx: ToolContext, args: EntryIdArgs) -> ProposedChange:
    """The card: the entry's day, hours, project, client and note."""
    entry = ctx.books.time_entries.get(args.entry_id)
    row = time_row(entry, ctx.business.timezone, entry_names(ctx))
    warnings = ["This time is already billed."] if entry.billed else []
    warnings.append("Deleting cannot be undone from here.")
    return ProposedChange(
        title=f"Delete {row['hours']} h logged on {row.get('date', '?')}",
        fields=[
            ("Entry", str(entry.id)),
            ("Project", display(row.get("project"))),
            ("Client", display(row.get("client"))),
            ("Note", display(row.get("note"))),
            ("Billable", display(row.get("billable"))),
        ],
        client=row.get("client"),
        warnings=warnings,
    )


def delete_time_entry(ctx: ToolContext, args: EntryIdArgs) -> dict[str, Any]:
    """Delete the entry and confirm it is gone from the list of logged time."""
    entry = ctx.books.time_entries.get(args.entry_id)
    ctx.books.time_entries.delete(args.entry_id)
    return written(
        "deleted time entry",
        record_ids(time_entry=args.entry_id),
        deleted={"id": entry.id, "hours": format(seconds_to_hours(entry.duration or 0), "f")},
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_time_entries",
        description=(
            "Search logged time of the whole team by client, project, billable or billed flags "
            "and the day worked (a relative period or explicit dates). Newest first, at most "
            "25, with total, billable and unbilled hours over every match."
        ),
        args=SearchTimeArgs,
        handler=search_time_entries,
    ),
    Tool(
        name="log_time",
        description=(
            "Log hours worked (decimal, e.g. '2.5') on a day (a date, today or yesterday) for "
            "a project or client, with a note. The user confirms first."
        ),
        args=LogTimeArgs,
        handler=log_time,
        permission="write",
        propose=propose_log_time,
        undo=undo_log_time,
        find_created=find_created_time,
    ),
    Tool(
        name="update_time_entry",
        description=(
            "Change a time entry's hours, day, note, billable flag, project or service; null "
            "fields stay unchanged. The user confirms first."
        ),
        args=UpdateTimeArgs,
        handler=update_time_entry,
        permission="write",
        idempotent=True,
        propose=propose_update_time,
    ),
    Tool(
        name="delete_time_entry",
        description="Delete a time entry. The user confirms first.",
        args=EntryIdArgs,
        handler=delete_time_entry,
        permission="delete",
        idempotent=True,
        propose=propose_delete_time,
    ),
]
