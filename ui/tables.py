"""Tables with money shown well, and CSV downloads that keep money exact."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from insights.export import to_csv_bytes

__all__ = ["csv_button", "show_table"]


def _money_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, Decimal)).any()
    ]


def show_table(
    frame: pd.DataFrame, *, labels: dict[str, str] | None = None, height: int | None = None
) -> None:
    """A table: only the labelled columns (in that order) when ``labels`` is given."""
    if frame.empty:
        st.caption("Nothing to show.")
        return
    view = frame[list(labels)] if labels else frame
    config: dict[str, Any] = {}  # column configs, or bare labels
    for column in _money_columns(view):
        # Decimal values go to the browser as exact decimals; the format only pads cents.
        config[column] = st.column_config.NumberColumn(
            (labels or {}).get(column, column), format="%.2f"
        )
    for column in view.columns:
        if pd.api.types.is_datetime64_any_dtype(view[column]):
            label = (labels or {}).get(column, column)
            values = view[column].dropna()
            if values.empty or (values == values.dt.normalize()).all():
                config[column] = st.column_config.DateColumn(label, format="D MMM YYYY")
            else:
                config[column] = st.column_config.DatetimeColumn(label, format="D MMM YYYY, HH:mm")
    for column, label in (labels or {}).items():
        config.setdefault(column, label)
    kwargs: dict[str, Any] = {"height": height} if height else {}
    st.dataframe(view, hide_index=True, width="stretch", column_config=config, **kwargs)


def csv_button(
    frame: pd.DataFrame, name: str, *, key: str, decimals_are_money: bool = True
) -> None:
    """Download the frame as CSV (money as plain decimal text beside its currency).

    The file is written when the button is clicked, not on every run of the page: a large
    table's CSV takes longer than the page's own figures."""
    st.download_button(
        "Download CSV",
        data=lambda: to_csv_bytes(frame, decimals_are_money=decimals_are_money),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        disabled=frame.empty,
    )
