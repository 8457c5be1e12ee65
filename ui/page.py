"""The frame every dashboard page shares: context, data, freshness and Refresh."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from copilot.books import frames_for
from copilot.context import AppContext, today_for
from copilot.mirror import unreadable_message
from copilot.runtime import Runtime
from fbclient.snapshot import Snapshot
from insights.frames import Frames

from .context import current_context, get_runtime, load_snapshot
from .errors import stop_on_error

__all__ = ["Dashboard", "dashboard"]


class Dashboard(NamedTuple):
    """What a dashboard page draws from: the business's records and their frames."""

    runtime: Runtime
    ctx: AppContext
    snapshot: Snapshot
    frames: Frames


def dashboard(title: str) -> Dashboard:
    """Title, the business's data and frames (cached per account), a freshness line with
    Refresh. FreshBooks failing ends the page with a sentence and that button, no traceback."""
    with stop_on_error():
        runtime, ctx, snapshot = _head(title)
        return Dashboard(runtime, ctx, snapshot, frames_for(runtime, ctx, snapshot))


def _head(title: str) -> tuple[Runtime, AppContext, Snapshot]:
    runtime = get_runtime()
    ctx = current_context(runtime)
    if ctx is None:
        st.info("Connect FreshBooks to see this page.")
        st.stop()
    head, button = st.columns([5, 1], vertical_alignment="bottom")
    head.title(title)
    force = button.button(
        "Refresh",
        key=f"refresh-{title}",
        help="Ask FreshBooks for every change, deletions included",
    )
    loaded = load_snapshot(runtime, ctx, force=force)
    snapshot = loaded.snapshot
    zone = today_for(ctx).tzinfo
    if loaded.failure is not None:
        # FreshBooks is not answering, but the last sync is here: show it, and say so.
        when = snapshot.fetched_at.astimezone(zone)
        st.warning(
            f"{loaded.failure.user_message} Showing your books as synced on {when:%d %b %Y, %H:%M}."
        )
    fetched = snapshot.fetched_at.astimezone(zone)
    st.caption(f"{ctx.business.name} · data fetched {fetched:%d %b %Y, %H:%M}")
    if snapshot.truncated:
        st.warning(f"Very long lists were cut short: {', '.join(snapshot.truncated)}.")
    unreadable = unreadable_message(snapshot)
    if unreadable:
        st.warning(unreadable)
    return runtime, ctx, snapshot
