"""Timers: start, pause, resume and stop a timer for a client, project and service.

What FreshBooks documents (its time entries page): ``is_logged`` is "False if the time entry
is being created from a running timer"; the list filter ``include_unlogged`` "returns entries
currently in progress for a running timer"; an entry's ``timer`` is null or ``{id,
is_running}`` (the official SDK's fixture); ``is_logged``, ``started_at`` and ``duration`` are
required on create. What stays unverified [?]: how a timer is paused or logged. A third-party
command-line tool by the official SDK's author reads ``/timetracking/business/{b}/timers``
(each timer holding one unlogged entry per run, the open one without a duration), pauses by
setting the open entry's duration, resumes by creating another entry with ``timer: {id}``, and
logs with a PUT on the timer; another third party names ``/comments/business/{b}/timers``.
Neither is documented by FreshBooks, so none of it is used here.

So: starting a timer creates the entry with ``is_logged`` false and ``duration`` 0 (required
on create; whether FreshBooks then counts from ``started_at`` by itself is unverified [?]), and
FreshBooks shows it as a running timer; stopping one logs it with the time counted
(``is_logged`` true, ``duration`` in seconds, ``started_at`` kept) through the usual read,
merge and write. Whether a timer is paused, and the seconds counted before its current run,
live in the app's store (:mod:`store.timers`): pausing and resuming change nothing in
FreshBooks, where a paused timer still looks running. The timer's id is its entry's id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from agent.tool import ProposedChange, Tool, ToolContext
from fbclient import NotFoundError
from fbclient.models.time_entries import TimeEntryInput
from store.timers import LONG_RUN, Timer, TimerStore

from ._args import Args, Note, RecordId
from ._cards import display, record_ids, written, written_id
from ._rows import compact, hours_text, text, time_row
from .time_entries import _client_for, _project, entry_names

__all__ = ["TOOLS", "clock_text", "long_run_sentence", "stop_moment", "timer_row"]


def _store(ctx: ToolContext) -> TimerStore:
    if ctx.timers is None:
        raise ValueError("Timers need the app's store, which this session does not have.")
    return ctx.timers


def clock_text(seconds: int) -> str:
    """Seconds as ``H:MM`` (a timer's face)."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}"


def _local(ctx: ToolContext, moment: datetime) -> str:
    return moment.astimezone(ctx.business.zone).strftime("%a %Y-%m-%d %H:%M")


def long_run_sentence(ctx: ToolContext, timer: Timer) -> str | None:
    """Why a timer looks forgotten, and what to do, or None when it does not."""
    if not timer.left_running(ctx.now):
        return None
    hours = int(LONG_RUN.total_seconds() // 3600)
    return (
        f"This timer has counted {clock_text(timer.elapsed(ctx.now))} since "
        f"{_local(ctx, timer.started_at)}, more than {hours} hours: was it left running? "
        "Stop it at the time you stopped working."
    )


def timer_row(ctx: ToolContext, timer: Timer, names: dict[str, dict[int, str]]) -> dict[str, Any]:
    """A timer as the model and the pages read it."""
    seconds = timer.elapsed(ctx.now)
    return compact(
        {
            "timer_id": timer.entry_id,
            "state": "running" if timer.running else "paused",
            "client": names.get("clients", {}).get(timer.client_id or 0),
            "project": names.get("projects", {}).get(timer.project_id or 0),
            "service": names.get("services", {}).get(timer.service_id or 0),
            "note": text(timer.note, 120),
            # The business's wall time, ISO without offset: what the page's stop time starts from.
            "started": timer.started_at.astimezone(ctx.business.zone)
            .replace(tzinfo=None)
            .isoformat(timespec="minutes"),
            "elapsed": clock_text(seconds),
            "hours": hours_text(seconds),
            "warning": long_run_sentence(ctx, timer),
        }
    )


def _who(names: dict[str, dict[int, str]], timer: Timer) -> list[tuple[str, str]]:
    return [
        ("Client", display(names["clients"].get(timer.client_id or 0)) if timer.client_id else "—"),
        ("Project", display(names["projects"].get(timer.project_id or 0))),
        ("Service", display(names["services"].get(timer.service_id or 0))),
        ("Note", display(text(timer.note, 200))),
    ]


# --- running_timers ---------------------------------------------------------------------


class NoArgs(Args):
    """No arguments."""


def running_timers(ctx: ToolContext, args: NoArgs) -> dict[str, Any]:
    """Every timer of the owner in this business, running or paused, with its time so far."""
    timers = _store(ctx).all()
    names = entry_names(ctx) if timers else {}
    rows = [timer_row(ctx, t, names) for t in timers]
    return {
        "count": len(rows),
        "timers": rows,
        "left_running": [r["timer_id"] for r in rows if "warning" in r],
    }


# --- start_timer ------------------------------------------------------------------------


class StartTimerArgs(Args):
    """What the timer is for; all null for internal time."""

    client_id: RecordId | None = Field(
        default=None, description="Client worked for; null to take the project's client"
    )
    project_id: RecordId | None = Field(default=None, description="Project worked on, or null")
    service_id: RecordId | None = Field(
        default=None, description="Service (kind of work) from list_services, or null"
    )
    note: Note | None = Field(default=None, description="What is being done")


def _start_fields(
    ctx: ToolContext, args: StartTimerArgs
) -> tuple[int | None, list[tuple[str, str]], str | None]:
    project = _project(ctx, args.project_id)
    client_id = _client_for(project, args.client_id)
    names = entry_names(ctx)
    if args.service_id and args.service_id not in names["services"]:
        raise ValueError(f"service {args.service_id} does not exist; list_services gives the ids")
    if client_id and client_id not in names["clients"]:
        raise ValueError(f"client {client_id} does not exist; find_client gives the ids")
    client = names["clients"].get(client_id or 0)
    fields = [
        ("Client", f"{client} (id {client_id})" if client else "— (internal)"),
        ("Project", f"{project.title} (id {project.id})" if project else "—"),
        ("Service", names["services"].get(args.service_id or 0, "—")),
        ("Note", display(args.note)),
        ("Starts", _local(ctx, ctx.now)),
    ]
    return client_id, fields, client


def propose_start(ctx: ToolContext, args: StartTimerArgs) -> ProposedChange:
    """The card: what the timer is for, and the timers already running."""
    _, fields, client = _start_fields(ctx, args)
    running = [t for t in _store(ctx).all() if t.running]
    warnings = [
        f"Timer {t.entry_id} is running too ({clock_text(t.elapsed(ctx.now))} so far)."
        for t in running
    ]
    return ProposedChange(
        title="Start a timer" + (f" for {client}" if client else ""),
        fields=fields,
        client=client,
        warnings=warnings,
    )


def start_timer(ctx: ToolContext, args: StartTimerArgs) -> dict[str, Any]:
    """Create the unlogged entry in FreshBooks, then keep the running timer."""
    client_id, _, _ = _start_fields(ctx, args)
    started = ctx.now
    data = TimeEntryInput(
        is_logged=False,
        started_at=started,
        # FreshBooks marks duration required on create; a running timer has counted none [?].
        duration=0,
        client_id=client_id,
        project_id=args.project_id,
        service_id=args.service_id,
        note=args.note,
        billable=client_id is not None,
        internal=client_id is None,
    )
    created = ctx.books.time_entries.create(data)
    timer = _store(ctx).add(
        Timer(
            entry_id=created.id,
            client_id=client_id,
            project_id=args.project_id,
            service_id=args.service_id,
            note=args.note,
            started_at=started,
            running_since=started,
            seconds=0,
        )
    )
    return written(
        "started timer",
        record_ids(time_entry=created.id),
        timer=timer_row(ctx, timer, entry_names(ctx)),
    )


def undo_start(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the timer's entry and forget the timer."""
    entry_id = written_id(result, "time_entry")
    ctx.books.time_entries.delete(entry_id)
    _store(ctx).remove(entry_id)
    return written("deleted timer", record_ids(time_entry=entry_id))


# --- pause_timer / resume_timer ---------------------------------------------------------


class TimerIdArgs(Args):
    """Which timer."""

    timer_id: RecordId = Field(description="The timer's id, from running_timers")


def _state_card(ctx: ToolContext, args: TimerIdArgs, verb: str) -> ProposedChange:
    timer = _store(ctx).get(args.timer_id)
    names = entry_names(ctx)
    fields = [
        ("Timer", str(timer.entry_id)),
        ("Counted so far", clock_text(timer.elapsed(ctx.now))),
        *_who(names, timer),
    ]
    if verb == "Pause" and not timer.running:
        raise ValueError(f"Timer {timer.entry_id} is already paused.")
    if verb == "Resume" and timer.running:
        raise ValueError(f"Timer {timer.entry_id} is already running.")
    client = names["clients"].get(timer.client_id or 0)
    return ProposedChange(title=f"{verb} timer {timer.entry_id}", fields=fields, client=client)


def propose_pause(ctx: ToolContext, args: TimerIdArgs) -> ProposedChange:
    """The card: the timer and its time so far."""
    return _state_card(ctx, args, "Pause")


def propose_resume(ctx: ToolContext, args: TimerIdArgs) -> ProposedChange:
    """The card: the timer and its time so far."""
    return _state_card(ctx, args, "Resume")


def pause_timer(ctx: ToolContext, args: TimerIdArgs) -> dict[str, Any]:
    """Stop counting, keeping the time so far (nothing changes in FreshBooks)."""
    timer = _store(ctx).pause(args.timer_id, ctx.now)
    return written(
        "paused timer",
        record_ids(time_entry=timer.entry_id),
        timer=timer_row(ctx, timer, entry_names(ctx)),
    )


def resume_timer(ctx: ToolContext, args: TimerIdArgs) -> dict[str, Any]:
    """Count again from now."""
    timer = _store(ctx).resume(args.timer_id, ctx.now)
    return written(
        "resumed timer",
        record_ids(time_entry=timer.entry_id),
        timer=timer_row(ctx, timer, entry_names(ctx)),
    )


# --- stop_timer -------------------------------------------------------------------------


class StopTimerArgs(TimerIdArgs):
    """Which timer, and when the work stopped."""

    stop_at: datetime | None = Field(
        default=None,
        description="When the work stopped, e.g. 2026-03-02T18:00 in the business's "
        "timezone; null for now. Needed for a timer left running",
    )


def stop_moment(ctx: ToolContext, timer: Timer, stop_at: datetime | None) -> datetime:
    """When the timer stops counting: ``stop_at`` (naive: the business's time) or now.

    ``ValueError`` when it is in the future or before the timer's current run began.
    """
    if stop_at is None:
        return ctx.now
    moment = stop_at if stop_at.tzinfo else stop_at.replace(tzinfo=ctx.business.zone)
    if moment > ctx.now:
        raise ValueError(f"{_local(ctx, moment)} is still to come: give a time already past.")
    since = timer.running_since or timer.started_at
    if timer.running and moment < since:
        raise ValueError(
            f"The timer has been counting since {_local(ctx, since)}: give a later stop time."
        )
    return moment


def _stopped(ctx: ToolContext, args: StopTimerArgs) -> tuple[Timer, int, list[str]]:
    timer = _store(ctx).get(args.timer_id)
    moment = stop_moment(ctx, timer, args.stop_at)
    warnings = []
    if not timer.running and args.stop_at is not None:
        warnings.append("The timer is paused: it logs the time counted before the pause.")
    seconds = timer.elapsed(moment)
    if seconds > LONG_RUN.total_seconds():
        warnings.append(
            f"{clock_text(seconds)} is a long stretch: give the time you stopped if it was left "
            "running."
        )
    return timer, seconds, warnings


def propose_stop(ctx: ToolContext, args: StopTimerArgs) -> ProposedChange:
    """The card: the time to log, what for, and when it started."""
    timer, seconds, warnings = _stopped(ctx, args)
    names = entry_names(ctx)
    fields = [
        ("Timer", str(timer.entry_id)),
        ("Started", _local(ctx, timer.started_at)),
        ("Hours to log", f"{hours_text(seconds)} ({clock_text(seconds)})"),
        *_who(names, timer),
    ]
    client = names["clients"].get(timer.client_id or 0)
    return ProposedChange(
        title=f"Stop timer {timer.entry_id} and log {hours_text(seconds)} h"
        + (f" for {client}" if client else ""),
        fields=fields,
        client=client,
        warnings=warnings,
    )


def stop_timer(ctx: ToolContext, args: StopTimerArgs) -> dict[str, Any]:
    """Log the entry in FreshBooks with the time counted, then forget the timer."""
    timer, seconds, _ = _stopped(ctx, args)
    timers = _store(ctx)
    try:
        # A read, merge and write: FreshBooks' PUT replaces the whole entry.
        ctx.books.time_entries.update(timer.entry_id, {"is_logged": True, "duration": seconds})
    except NotFoundError:
        timers.remove(timer.entry_id)
        raise ValueError(
            f"Timer {timer.entry_id}'s time entry is gone from FreshBooks (deleted there?): "
            "the timer is forgotten and nothing was logged."
        ) from None
    timers.remove(timer.entry_id)
    entry = ctx.books.time_entries.get(timer.entry_id)
    return written(
        "logged timer",
        record_ids(time_entry=timer.entry_id),
        time_entry=time_row(entry, ctx.business.timezone, entry_names(ctx)),
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="running_timers",
        description=(
            "The user's timers in this business, running or paused, with the time counted so "
            "far; flags any left running over 10 hours."
        ),
        args=NoArgs,
        handler=running_timers,
    ),
    Tool(
        name="start_timer",
        description=(
            "Start a timer for a client, project and service (all optional), with a note. "
            "It shows in FreshBooks as a running timer. The user confirms first."
        ),
        args=StartTimerArgs,
        handler=start_timer,
        permission="write",
        propose=propose_start,
        undo=undo_start,
    ),
    Tool(
        name="pause_timer",
        description="Pause a running timer, keeping its time. The user confirms first.",
        args=TimerIdArgs,
        handler=pause_timer,
        permission="write",
        propose=propose_pause,
    ),
    Tool(
        name="resume_timer",
        description="Resume a paused timer. The user confirms first.",
        args=TimerIdArgs,
        handler=resume_timer,
        permission="write",
        propose=propose_resume,
    ),
    Tool(
        name="stop_timer",
        description=(
            "Stop a timer and log its time in FreshBooks, now or at a given stop time (for "
            "one left running). The user confirms first."
        ),
        args=StopTimerArgs,
        handler=stop_timer,
        permission="write",
        propose=propose_stop,
    ),
]
