"""The frame every dashboard page shares: context, data, freshness and Refresh."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from copilot.mirror import unreadable_message
from copilot.runtime import Runtime
from fbclient import FreshBooksError, ReauthorizationRequired
from fbclient.snapshot import Snapshot
from insights.frames import Frames, build_frames

from .context import AppContext, current_context, get_runtime, load_snapshot, stored_snapshot

__all__ = ["dashboard", "frames_for", "today_for"]


def today_for(ctx: AppContext) -> datetime:
    """Now in the business's timezone (UTC when FreshBooks did not say)."""
    try:
        zone = ZoneInfo(ctx.business.timezone) if ctx.business.timezone else UTC
    except ZoneInfoNotFoundError:
        zone = UTC
    return datetime.now(zone)


def dashboard(title: str) -> tuple[Runtime, AppContext, Snapshot]:
    """Title, the business's data (cached per account) and a freshness line with Refresh."""
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
    try:
        snapshot = load_snapshot(runtime, ctx, force=force)
    except ReauthorizationRequired:
        raise  # nothing to do but reconnect: the page says how
    except FreshBooksError as exc:
        stored = stored_snapshot(runtime, ctx)
        if stored is None:
            raise
        # FreshBooks is not answering, but the last sync is here: show it, and say so.
        when = stored.fetched_at.astimezone(today_for(ctx).tzinfo)
        st.warning(f"{exc.user_message} Showing your books as synced on {when:%d %b %Y, %H:%M}.")
        snapshot = stored
    fetched = snapshot.fetched_at.astimezone(today_for(ctx).tzinfo)
    st.caption(f"{ctx.business.name} · data fetched {fetched:%d %b %Y, %H:%M}")
    if snapshot.truncated:
        st.warning(f"Very long lists were cut short: {', '.join(snapshot.truncated)}.")
    unreadable = unreadable_message(snapshot)
    if unreadable:
        st.warning(unreadable)
    return runtime, ctx, snapshot


def frames_for(runtime: Runtime, ctx: AppContext, snapshot: Snapshot) -> Frames:
    """The snapshot as frames, built once per snapshot and business day (cached per account)."""
    today = today_for(ctx).date()
    key = (*ctx.cache_key, "frames", snapshot.fetched_at, snapshot.version, today)
    frames = runtime.snapshots.get(key)
    if frames is None:
        frames = build_frames(snapshot, today)
        runtime.snapshots.put(key, frames)
    return frames
