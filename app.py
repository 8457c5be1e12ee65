"""FreshBooks Copilot: the entry point only routes (st.navigation) and frames the pages."""

from __future__ import annotations

import logging

import streamlit as st

from fbclient import FreshBooksError, ReauthorizationRequired
from ui import keys
from ui.context import choose_business, current_context, get_runtime, handle_callback
from ui.errors import show_error
from ui.login import auth_configured, logout_button
from ui.timer_widget import timer_sidebar

st.set_page_config(page_title="FreshBooks Copilot", page_icon="📒", layout="wide")
logging.basicConfig(level=logging.INFO)
logging.getLogger("httpx2").setLevel(logging.WARNING)  # request lines are noise here

try:
    runtime = get_runtime()
except Exception as exc:  # a broken configuration: say so instead of a traceback
    logging.getLogger(__name__).exception("start-up failed")
    st.error(f"FreshBooks Copilot could not start: {exc}")
    st.stop()

handle_callback(runtime)
flash = st.session_state.pop(keys.FLASH, None)
if flash:
    getattr(st, flash[0])(flash[1])

ctx = None
try:
    ctx = current_context(runtime)
except ReauthorizationRequired as exc:
    show_error(exc)
except FreshBooksError as exc:
    show_error(exc)

PAGES = {
    "overview": st.Page("pages/overview.py", title="Overview", icon="📊", default=True),
    "invoices": st.Page("pages/invoices.py", title="Invoices", icon="🧾"),
    "forecast": st.Page("pages/forecast.py", title="Forecast", icon="🔮"),
    "chase": st.Page("pages/chase.py", title="Chase list", icon="📣"),
    "expenses": st.Page("pages/expenses.py", title="Expenses", icon="💸"),
    "time": st.Page("pages/time.py", title="Time", icon="⏱️"),
    "clients": st.Page("pages/clients_projects.py", title="Clients & projects", icon="👥"),
    "chat": st.Page("pages/chat.py", title="Chat", icon="💬"),
    "audit": st.Page("pages/audit.py", title="Audit log", icon="📜"),
    "settings": st.Page("pages/settings.py", title="Settings", icon="⚙️"),
}
if ctx is None:
    pages = [
        st.Page("pages/connect.py", title="Connect", icon="🔌", default=True),
        st.Page("pages/settings.py", title="Settings", icon="⚙️"),
    ]
else:
    pages = list(PAGES.values())
    with st.sidebar:
        if ctx.demo:
            st.badge("Demo data", icon="🧪", color="orange")
        businesses = {b.business_id: b for b in ctx.identity.businesses}
        chosen = st.selectbox(
            "Business",
            options=list(businesses),
            index=list(businesses).index(ctx.business.business_id),
            format_func=lambda bid: (
                f"{businesses[bid].name} · {businesses[bid].role.replace('_', ' ')}"
            ),
            key="business_switcher",
        )
        if chosen != ctx.business.business_id:
            choose_business(runtime, ctx, chosen)
            st.rerun()
        if not ctx.business.can_write:
            st.caption("Your role in this business can read but not change records.")
        st.caption(f"Signed in to FreshBooks as {ctx.identity.display_name}")
        st.page_link(PAGES["chat"], label="Ask Copilot about these numbers", icon="💬")
        timer_sidebar(runtime, ctx)
if auth_configured(runtime.settings):  # hosted mode: several people, each logged in
    with st.sidebar:
        logout_button()

navigation = st.navigation(pages)
try:
    navigation.run()
except Exception as exc:  # every page failure becomes a sentence, never a traceback
    show_error(exc)
