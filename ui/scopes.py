"""Saying what a missing FreshBooks scope turns off, with the Reconnect that can add it."""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from copilot.context import AppContext
from copilot.runtime import Runtime
from copilot.scopes import explain, feature

from . import keys
from .context import owner

__all__ = ["reconnect_button", "scope_notice", "scopes_missing_notice"]

# A link's OAuth state lives 10 minutes; a link older than this is made afresh.
LINK_FRESH_FOR = 8 * 60


def reconnect_button(runtime: Runtime, adding: Sequence[str] = (), *, key: str) -> None:
    """ "Reconnect FreshBooks": FreshBooks' page asking for what the connection holds, the
    configured scopes and ``adding``. Nothing in demo mode (the demo has every scope)."""
    connections = runtime.connections
    if connections is None:
        return
    who = owner()
    scopes = connections.scopes_for(who, adding)
    links: dict[tuple[str, ...], tuple[str, float]] = st.session_state.setdefault(
        keys.RECONNECT_URLS, {}
    )
    held = links.get(scopes)
    if held is None or time.monotonic() - held[1] > LINK_FRESH_FOR:
        held = (connections.start(who, scopes), time.monotonic())
        links[scopes] = held
    st.link_button("Reconnect FreshBooks", held[0], key=key, icon="🔌")


def scopes_missing_notice(
    runtime: Runtime, subject: str, missing: Sequence[str], *, key: str
) -> None:
    """One sentence naming the missing scopes and how to add them, and the Reconnect."""
    st.info(explain(subject, missing), icon="🔒")
    reconnect_button(runtime, missing, key=key)


def scope_notice(runtime: Runtime, ctx: AppContext, feature_key: str) -> bool:
    """When the connection lacks a scope ``feature_key`` needs, say so (one sentence and a
    Reconnect) and return True: the caller leaves that part out."""
    item = feature(feature_key)
    missing = item.missing(ctx.fb.grant())
    if not missing:
        return False
    st.info(explain(item, missing), icon="🔒")
    reconnect_button(runtime, missing, key=f"reconnect-{feature_key}")
    return True
