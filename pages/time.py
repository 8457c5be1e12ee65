"""Time dashboard."""

from __future__ import annotations

import streamlit as st

from ui.page import dashboard

runtime, ctx, snapshot = dashboard("Time")
st.write(
    f"{len(snapshot.invoices)} invoices, {len(snapshot.expenses)} expenses, {len(snapshot.time_entries)} time entries."
)
