"""Filter widgets shared by the dashboard pages."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

__all__ = ["period_picker"]

PRESETS = {
    "This year": lambda t: (date(t.year, 1, 1), t),
    "Last 12 months": lambda t: (t - timedelta(days=365), t),
    "Last year": lambda t: (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)),
    "Last 90 days": lambda t: (t - timedelta(days=90), t),
    "All time": lambda t: (date(1970, 1, 1), t),
}


def period_picker(today: date, *, key: str, default: str = "This year") -> tuple[date, date]:
    """A preset period (this year, last 12 months...) as (start, end), both included."""
    choice = st.segmented_control(
        "Period", list(PRESETS), default=default, key=key, selection_mode="single"
    )
    return PRESETS[choice or default](today)
