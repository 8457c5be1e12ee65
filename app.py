"""FreshBooks Copilot: the Streamlit entry point (a placeholder until the app issue lands)."""

from __future__ import annotations

import streamlit as st

from settings import load_settings

st.set_page_config(page_title="FreshBooks Copilot", page_icon=":bar_chart:", layout="wide")

try:
    settings = load_settings()
except ValueError as exc:  # a broken secrets.toml: say so instead of a traceback
    st.error(f"Configuration problem: {exc}")
    st.stop()

st.title("FreshBooks Copilot")
st.write(
    "Dashboards and a careful chat assistant for your FreshBooks books: what you are owed, "
    "what is overdue, where your money and your hours went, and bookkeeping by chat that "
    "never changes anything without your click."
)
if settings.demo_mode:
    st.info("Demo mode: no FreshBooks app is configured, so the built-in sandbox will be used.")
else:
    st.success("A FreshBooks app is configured: you will be able to connect your account.")
if not settings.chat_enabled:
    st.caption("Chat: set OPENAI_API_KEY or OPENAI_BASE_URL to enable the assistant.")
st.caption("The dashboards and the chat arrive in the next releases.")
