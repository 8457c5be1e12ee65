"""Altair chart builders: frames in, ``alt.Chart`` out, nothing rendered.

Each builder takes a frame made by another insight, for one currency where money is shown,
and converts Decimal money to float only here, at the chart encoding (charts draw pixels,
not ledgers; tooltips show the amount to the cent).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from .receivables import AGING_BUCKETS
from .time import BILLABLE, NON_BILLABLE

__all__ = [
    "aging_chart",
    "expenses_by_category_chart",
    "hours_by_week_chart",
    "revenue_expenses_chart",
    "top_clients_chart",
]

MEASURE_COLORS = {"Revenue": "#2e7d32", "Expenses": "#c62828"}
KIND_COLORS = {BILLABLE: "#1565c0", NON_BILLABLE: "#90a4ae"}


def _plot_data(
    frame: pd.DataFrame, money: Sequence[str], currency: str | None = None
) -> pd.DataFrame:
    """Rows of one currency, with money columns as floats rounded to the cent (chart edge)."""
    if currency is not None:
        frame = frame[frame["currency"] == currency]
    frame = frame.reset_index(drop=True)  # a new frame: the caller's is left as it was
    for column in money:
        frame[column] = np.array(
            [np.nan if pd.isna(v) else round(float(v), 2) for v in frame[column]], dtype="float64"
        )
    return frame


def _money_axis(currency: str) -> str:
    return f"Amount ({currency})"


def revenue_expenses_chart(monthly: pd.DataFrame, currency: str) -> alt.Chart:
    """Grouped bars of revenue and expenses per month, from
    :func:`insights.cashflow.monthly_revenue_expenses`."""
    data = _plot_data(monthly[["currency", "month", "measure", "amount"]], ["amount"], currency)
    return (  # type: ignore[no-any-return]  # altair types its mark_* methods Any (@use_signature)
        alt.Chart(data, title=f"Revenue and expenses by month ({currency})")
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title="Month"),
            xOffset=alt.XOffset("measure:N", sort=list(MEASURE_COLORS)),
            y=alt.Y("amount:Q", title=_money_axis(currency)),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=list(MEASURE_COLORS), range=list(MEASURE_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("amount:Q", title=currency, format=",.2f"),
            ],
        )
    )


def aging_chart(buckets: pd.DataFrame, currency: str) -> alt.Chart:
    """Bars of the amount owed per aging bucket, from :func:`insights.receivables.aging_buckets`
    (or any frame with ``currency, bucket, amount, count``; bucket order is kept)."""
    data = _plot_data(buckets[["currency", "bucket", "amount", "count"]], ["amount"], currency)
    order = [b for b in AGING_BUCKETS if b in set(data["bucket"])] or list(data["bucket"])
    order += [b for b in data["bucket"] if b not in order]
    return (  # type: ignore[no-any-return]  # altair types its mark_* methods Any (@use_signature)
        alt.Chart(data, title=f"Receivables by days past due ({currency})")
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", sort=order, title="Days past due"),
            y=alt.Y("amount:Q", title=_money_axis(currency)),
            tooltip=[
                alt.Tooltip("bucket:N", title="Days past due"),
                alt.Tooltip("amount:Q", title=currency, format=",.2f"),
                alt.Tooltip("count:Q", title="Invoices"),
            ],
        )
    )


def expenses_by_category_chart(
    categories: pd.DataFrame, currency: str, *, limit: int = 10
) -> alt.Chart:
    """Horizontal bars of the ``limit`` largest categories, from
    :func:`insights.spending.spending_by_category` (already largest first)."""
    data = _plot_data(categories[["currency", "category", "amount", "count"]], ["amount"], currency)
    data = data.head(limit)
    return (  # type: ignore[no-any-return]  # altair types its mark_* methods Any (@use_signature)
        alt.Chart(data, title=f"Expenses by category ({currency})")
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort="-x", title=None),
            x=alt.X("amount:Q", title=_money_axis(currency)),
            tooltip=[
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("amount:Q", title=currency, format=",.2f"),
                alt.Tooltip("count:Q", title="Expenses"),
            ],
        )
    )


def hours_by_week_chart(weekly: pd.DataFrame) -> alt.Chart:
    """Stacked bars of billable and non-billable hours per week, from
    :func:`insights.time.hours_by_week`."""
    data = _plot_data(weekly[["week", "kind", "hours"]], ["hours"])
    return (  # type: ignore[no-any-return]  # altair types its mark_* methods Any (@use_signature)
        alt.Chart(data, title="Hours by week")
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="Week of"),
            y=alt.Y("hours:Q", title="Hours", stack="zero"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values())),
            ),
            order=alt.Order("kind:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("week:T", title="Week of"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("hours:Q", title="Hours", format=",.2f"),
            ],
        )
    )


def top_clients_chart(
    clients: pd.DataFrame, currency: str, *, value: str = "outstanding", limit: int = 10
) -> alt.Chart:
    """Horizontal bars of clients by ``value`` (e.g. ``outstanding`` from
    :func:`insights.receivables.top_debtors`, or ``billed`` from
    :func:`insights.clients.client_balances`), largest first."""
    data = _plot_data(clients[["currency", "client", value]], [value], currency)
    data = data.sort_values(value, ascending=False).head(limit)
    return (  # type: ignore[no-any-return]  # altair types its mark_* methods Any (@use_signature)
        alt.Chart(data, title=f"Top clients by {value} ({currency})")
        .mark_bar()
        .encode(
            y=alt.Y("client:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=_money_axis(currency)),
            tooltip=[
                alt.Tooltip("client:N", title="Client"),
                alt.Tooltip(f"{value}:Q", title=currency, format=",.2f"),
            ],
        )
    )


def forecast_chart(weeks: pd.DataFrame, currency: str) -> alt.LayerChart:
    """Money expected in (bars, with the early-to-late range as a rule) and out (bars) per
    week, from :func:`insights.forecast.forecast`'s ``weeks``."""
    data = _plot_data(
        weeks[["currency", "week", "in_expected", "in_low", "in_high", "out_expected"]],
        ["in_expected", "in_low", "in_high", "out_expected"],
        currency,
    )
    data["out_expected"] = -data["out_expected"]
    # Weeks as ordered labels: bars on a time axis are hairlines.
    data["label"] = [f"{w:%d %b}" for w in data["week"]]
    x = alt.X(
        "label:O", sort=list(data["label"]), title="Week starting", axis=alt.Axis(labelAngle=0)
    )
    money_in = (
        alt.Chart(data)
        .mark_bar(color=MEASURE_COLORS["Revenue"], opacity=0.8)
        .encode(
            x=x,
            y=alt.Y("in_expected:Q", title=_money_axis(currency)),
            tooltip=[
                alt.Tooltip("label:O", title="Week starting"),
                alt.Tooltip("in_expected:Q", title="Expected in", format=",.2f"),
                alt.Tooltip("in_low:Q", title="Low", format=",.2f"),
                alt.Tooltip("in_high:Q", title="High", format=",.2f"),
                alt.Tooltip("out_expected:Q", title="Out", format=",.2f"),
            ],
        )
    )
    spread = alt.Chart(data).mark_rule(strokeWidth=2).encode(x=x, y="in_low:Q", y2="in_high:Q")
    money_out = (
        alt.Chart(data)
        .mark_bar(color=MEASURE_COLORS["Expenses"], opacity=0.7)
        .encode(x=x, y="out_expected:Q")
    )
    return alt.LayerChart(
        layer=[money_in, money_out, spread],
        title=f"Expected money in and out, week by week ({currency})",
    )
