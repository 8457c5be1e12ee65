"""Showing failures as sentences a person understands, never as a traceback."""

from __future__ import annotations

import logging

import streamlit as st

from copilot.connection import CallbackError
from fbclient import (
    FreshBooksError,
    NoAccountingError,
    RateLimitError,
    ReauthorizationRequired,
)

__all__ = ["show_error"]

log = logging.getLogger(__name__)


def show_error(exc: BaseException) -> None:
    """Render ``exc`` with what to do next. Unknown errors are logged, not shown raw."""
    if isinstance(exc, ReauthorizationRequired):
        st.error(exc.user_message)
        st.page_link("pages/settings.py", label="Reconnect FreshBooks in Settings", icon="🔌")
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
