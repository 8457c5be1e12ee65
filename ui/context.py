"""Who is using the app and which FreshBooks business they look at: the Streamlit side.

Per-session facts (which connection and identity this session saw, the chosen business) live
in ``st.session_state``; the process-wide runtime in ``st.cache_resource``. The services
themselves (the books, the frames cache, disconnecting) are in ``copilot/``; the frames cache
is keyed by owner, FreshBooks identity and business, so one account's data can never be
served to another session's account.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from copilot.books import LoadedBooks, load_books
from copilot.connection import CallbackError, CallbackParams, ScopeRefused
from copilot.context import AppContext, pick_business
from copilot.runtime import Runtime, build_runtime
from fbclient import FreshBooksClient
from fbclient.identity import Identity
from settings import Settings, load_settings

from . import keys
from .login import auth_configured, current_owner, require_login

__all__ = [
    "AppContext",
    "current_context",
    "get_runtime",
    "handle_callback",
    "load_snapshot",
    "owner",
]

LOCAL_OWNER = "local"


_BUILT: list[Runtime] = []


@st.cache_resource(show_spinner="Starting FreshBooks Copilot…", max_entries=4)
def _runtime_for(settings: Settings) -> Runtime:
    runtime = build_runtime(settings)
    _BUILT.append(runtime)
    return runtime


def close_runtimes() -> None:
    """Close every runtime this process built and forget them (tests, shutdown)."""
    _runtime_for.clear()
    while _BUILT:
        _BUILT.pop().close()


def _leave_pages_directory_mode() -> None:
    # A folder named pages/ beside app.py makes Streamlit start in its old multipage mode
    # until app.py's st.navigation runs once: a deep link (/invoices) to a fresh server
    # would then run the page alone, with a file-list sidebar. Leave that mode and rerun,
    # so app.py routes the same URL. (PagesManager is internal; pinned Streamlit 1.67.)
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(keys.ROUTED):  # once per session: never loop
            st.session_state[keys.ROUTED] = True
            st.rerun()


def get_runtime() -> Runtime:
    """The process-wide services, built once per configuration (not per session).

    In hosted mode a visitor who is not logged in gets the login page instead (the run stops).
    """
    _leave_pages_directory_mode()
    settings = load_settings()
    require_login(settings)
    return _runtime_for(settings)


def owner() -> str:
    """The app user: "local" for a single-user install, the logged-in user in hosted mode.

    Raises ``LoginRequired`` in hosted mode when nobody is logged in (never falls back to
    "local", which would share one connection between every visitor).
    """
    settings = load_settings()
    if auth_configured(settings):
        return current_owner()
    return LOCAL_OWNER


def handle_callback(runtime: Runtime) -> None:
    """Finish an OAuth redirect found in the URL, then clear the URL either way."""
    params = st.query_params
    if runtime.connections is None or not ({"code", "error"} & set(params.keys())):
        return
    callback = CallbackParams(
        code=params.get("code"), state=params.get("state"), error=params.get("error")
    )
    st.query_params.clear()  # the code must not linger in the address bar or history
    try:
        # Only the user who clicked Connect may finish it (a link started by another user
        # must not put their FreshBooks books under this login, or this user's under theirs).
        who = runtime.connections.complete(callback, expected_owner=owner())
    except ScopeRefused as exc:
        unchanged = runtime.connections.refused_while_connected(owner(), exc.asked)
        if unchanged is not None:
            st.session_state[keys.FLASH] = ("warning", unchanged)
            return
        # The Connect page names the scopes refused and offers to ask for fewer.
        st.session_state[keys.SCOPE_REFUSED] = exc.asked
        st.session_state[keys.FLASH] = ("error", exc.user_message)
        return
    except CallbackError as exc:
        st.session_state[keys.FLASH] = ("error", exc.user_message)
        return
    st.session_state[keys.FLASH] = ("success", "FreshBooks is connected.")
    st.session_state.pop(keys.SCOPE_REFUSED, None)
    runtime.forget_client(who)  # a client made before reconnecting holds the old tokens
    _forget_session(who)


def _forget_session(_owner: str) -> None:
    for key in (keys.CLIENT_OWNER, keys.IDENTITY, keys.AUTHORIZE_URL, keys.RECONNECT_URLS):
        st.session_state.pop(key, None)


def _client(runtime: Runtime, who: str) -> FreshBooksClient | None:
    fb = runtime.client(who)
    generation = (id(fb), runtime.demo.generation if runtime.demo else 0)
    if st.session_state.get(keys.CLIENT_OWNER) != (who, generation):
        # A different connection than this session saw last: its identity must be re-read.
        st.session_state[keys.CLIENT_OWNER] = (who, generation)
        st.session_state.pop(keys.IDENTITY, None)
    return fb


def current_context(runtime: Runtime) -> AppContext | None:
    """The connected context, or None when this owner has not connected FreshBooks.

    Raises the client's typed errors (e.g. ``ReauthorizationRequired``) for the caller to show.
    """
    who = owner()
    fb = _client(runtime, who)
    if fb is None:
        return None
    identity: Identity | None = st.session_state.get(keys.IDENTITY)
    if identity is None:
        identity = fb.identity()
        st.session_state[keys.IDENTITY] = identity
    if not identity.businesses:
        return None
    chosen = st.session_state.get(keys.BUSINESS_ID)
    if chosen is None and runtime.connections is not None:
        chosen = runtime.connections.chosen_business(who)
    business = pick_business(identity, chosen)
    st.session_state[keys.BUSINESS_ID] = business.business_id
    return AppContext(
        owner=who, demo=runtime.demo is not None, fb=fb, identity=identity, business=business
    )


def choose_business(runtime: Runtime, ctx: AppContext, business_id: int) -> None:
    """Switch business for this session (and remember it for the owner)."""
    st.session_state[keys.BUSINESS_ID] = business_id
    if runtime.connections is not None:
        runtime.connections.choose_business(ctx.owner, business_id)


def disconnect(runtime: Runtime) -> None:
    """Disconnect this session's owner (tokens revoked, everything held for them forgotten),
    and forget what this session knew of the connection."""
    who = owner()
    runtime.disconnect(who)
    _forget_session(who)
    st.session_state.pop(keys.BUSINESS_ID, None)


def load_snapshot(runtime: Runtime, ctx: AppContext, *, force: bool = False) -> LoadedBooks:
    """The business's records (see ``copilot.books.load_books``), with a progress bar when
    FreshBooks has to be asked. ``force`` (the Refresh button) checks everything, deletions
    included."""
    bar = None

    def progress(name: str, records: int, done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = st.progress(0.0)
        label = name.replace("_", " ") or "your books"
        bar.progress(
            done / max(total, 1),
            text=f"Syncing with FreshBooks: {records:,} records received · "
            f"{done} of {total} lists done ({label})",
        )

    try:
        return load_books(runtime, ctx, mode="check" if force else "auto", progress=progress)
    finally:
        if bar is not None:
            bar.empty()


__all__ += ["CallbackError", "choose_business", "disconnect"]
