"""The sidebar's timer: each timer with its time so far and Pause/Resume/Stop, a sentence and
a stop time for one left running, and a small form to start one. On every page."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from agent.writes import WriteOutcome
from copilot.books import load_books
from copilot.context import AppContext
from copilot.runtime import Runtime
from copilot.timers import Choice, act, stop_at_text, timer_rows
from ui import keys
from ui.cards import flash_outcome

__all__ = ["timer_sidebar"]


def _done(outcome: WriteOutcome | str) -> None:
    if isinstance(outcome, str):
        st.session_state[keys.FLASH] = ("error", outcome)
    else:
        flash_outcome(outcome)
    st.rerun()


def _timer(runtime: Runtime, ctx: AppContext, row: dict[str, object]) -> None:
    timer_id = int(str(row["timer_id"]))
    what = " · ".join(str(row[k]) for k in ("client", "project", "service") if k in row)
    with st.container(border=True, key=f"timer-{timer_id}"):
        state = "⏺ running" if row["state"] == "running" else "⏸ paused"
        st.markdown(f"**{row['elapsed']}** {state}")
        st.caption(f"{what or 'Internal time'}" + (f" — {row['note']}" if "note" in row else ""))
        pause, stop = st.columns(2)
        if row["state"] == "running":
            if pause.button("Pause", key=f"timer-pause-{timer_id}"):
                _done(act(runtime, ctx, Choice("pause_timer", {"timer_id": timer_id})))
        elif pause.button("Resume", key=f"timer-resume-{timer_id}"):
            _done(act(runtime, ctx, Choice("resume_timer", {"timer_id": timer_id})))
        if stop.button("Stop", key=f"timer-stop-{timer_id}", type="primary"):
            _done(act(runtime, ctx, Choice("stop_timer", {"timer_id": timer_id})))
        if "warning" in row:
            st.warning(str(row["warning"]))
            started = datetime.fromisoformat(str(row["started"]))
            day = st.date_input(
                "Day you stopped", value=started.date(), key=f"timer-day-{timer_id}"
            )
            clock = st.time_input(
                "Time you stopped", value=started.time(), key=f"timer-at-{timer_id}"
            )
            if st.button("Stop at this time", key=f"timer-stop-at-{timer_id}"):
                stop_at = stop_at_text(day, clock)
                _done(
                    act(
                        runtime,
                        ctx,
                        Choice("stop_timer", {"timer_id": timer_id, "stop_at": stop_at}),
                    )
                )


def _start_form(runtime: Runtime, ctx: AppContext, expanded: bool) -> None:
    snapshot = load_books(runtime, ctx).snapshot
    clients = {c.id: c.display_name for c in snapshot.clients if c.vis_state in (0, None)}
    with st.expander("Start a timer", expanded=expanded):
        client = st.selectbox(
            "Client",
            [None, *sorted(clients, key=clients.__getitem__)],
            format_func=lambda c: "— internal —" if c is None else clients[c],
            key="timer-client",
        )
        projects = {
            p.id: p
            for p in snapshot.projects
            if p.active and not p.complete and (client is None or p.client_id == client)
        }
        project = st.selectbox(
            "Project",
            [None, *projects],
            format_func=lambda p: "—" if p is None else projects[p].title or str(p),
            key="timer-project",
        )
        offered = {s.id: s.name for s in snapshot.services}
        if project is not None and projects[project].services:
            offered = {s.id: s.name for s in projects[project].services}
        service = st.selectbox(
            "Service",
            [None, *offered],
            format_func=lambda s: "—" if s is None else str(offered[s]),
            key="timer-service",
        )
        note = st.text_input("Note", key="timer-note", max_chars=1000)
        if st.button("Start", key="timer-start", type="primary"):
            arguments = {
                "client_id": client,
                "project_id": project,
                "service_id": service,
                "note": note.strip() or None,
            }
            _done(act(runtime, ctx, Choice("start_timer", arguments)))


def timer_sidebar(runtime: Runtime, ctx: AppContext) -> None:
    """The timer widget (call inside ``st.sidebar``); says so in a line when it cannot work."""
    st.markdown("**⏱️ Timer**")
    try:
        rows = timer_rows(runtime, ctx)
        for row in rows:
            _timer(runtime, ctx, row)
        if ctx.business.can_write:
            _start_form(runtime, ctx, expanded=False)
    except Exception as exc:  # the sidebar is on every page: a failure here is one line
        st.caption(f"Timers are unavailable just now: {getattr(exc, 'user_message', None) or exc}")
