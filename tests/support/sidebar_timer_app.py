"""A one-widget app for ``AppTest``: the sidebar timer as app.py renders it, and its flash.

The whole app's sidebar is not kept by ``AppTest`` after its first run, so the widget's
clicks are tested on this script; the app's first run shows the widget is there.
"""

from __future__ import annotations

import streamlit as st

from ui import keys
from ui.context import current_context, get_runtime
from ui.timer_widget import timer_sidebar

runtime = get_runtime()
ctx = current_context(runtime)
flash = st.session_state.pop(keys.FLASH, None)
if flash:
    getattr(st, flash[0])(flash[1])
with st.sidebar:
    timer_sidebar(runtime, ctx)
