"""Showing failures as sentences a person understands, never as a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from copilot.connection import CallbackError
from fbclient import (
    FreshBooksError,
    NoAccountingError,
    PermissionDeniedError,
    RateLimitError,
    ReauthorizationRequired,
)

__all__ = ["show_error", "stop_on_error"]

log = logging.getLogger(__name__)


def show_error(exc: BaseException) -> None:
    """Render ``exc`` with what to do next. Unknown errors are logged, not shown raw."""
    if isinstance(exc, ReauthorizationRequired):
        st.error(exc.user_message)
        st.page_link("pages/settings.py", label="Reconnect FreshBooks in Settings", icon="🔌")
    elif isinstance(exc, PermissionDeniedError) and exc.missing_scopes:
        _missing_scopes(exc.missing_scopes)
    elif isinstance(exc, NoAccountingError):
        st.info(exc.user_message)
    elif isinstance(exc, RateLimitError):
        st.warning(exc.user_message)
    elif isinstance(exc, FreshBooksError | CallbackError):
        st.error(exc.user_message)
    else:
        log.exception("unexpected error while rendering a page")
        st.error(
            "Something went wrong while showing this page. Your FreshBooks data was not "
            "changed. Try Refresh; if it keeps happening, restart the app."
        )


def _missing_scopes(missing: tuple[str, ...]) -> None:
    # Imported here: the notice needs the runtime, whose module shows errors too.
    from .context import get_runtime
    from .scopes import scopes_missing_notice

    scopes_missing_notice(get_runtime(), "This", missing, key=f"reconnect-{'-'.join(missing)}")


@contextmanager
def stop_on_error() -> Iterator[None]:
    """Show a failure inside the block as a sentence, then end the page there.

    Pages wrap their FreshBooks loads in it, so a hiccup reaches the user as a message under
    the page's title and Refresh button, whichever script Streamlit runs (app.py's catch-all
    is the last resort). ``st.stop`` and ``st.rerun`` pass through: they are not ``Exception``.
    """
    try:
        yield
    except Exception as exc:
        show_error(exc)
        st.stop()
