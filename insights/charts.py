"""Chart builders: frames in, Vega-Lite specs (plain dicts) out, nothing rendered.

Each builder takes a frame made by another insight, for one currency where money is shown,
and converts Decimal money to float only here, at the chart encoding (charts draw pixels,
not ledgers; tooltips show the amount to the cent).

The specs are written as dicts, not built with altair: importing altair costs a process
about 28 MB of memory, and its chart objects validate themselves on every ``to_dict``. The
tests validate every builder's spec against the Vega-Lite schema instead. Pages draw them
with ``st.vega_lite_chart(spec=...)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from .receivables import AGING_BUCKETS
from .time import BILLABLE, NON_BILLABLE

__all__ = [
    "VEGA_LITE_SCHEMA",
    "Chart",
    "aging_chart",
    "expenses_by_category_chart",
    "forecast_chart",
    "hours_by_week_chart",
    "revenue_expenses_chart",
    "top_clients_chart",
]

Chart: TypeAlias = dict[str, Any]
"""A Vega-Lite spec with its rows inline (``{"data": {"values": [...]}, ...}``)."""

# The Vega-Lite version the specs are written for (the one altair 6.3 wrote).
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"

MEASURE_COLORS = {"Revenue": "#2e7d32", "Expenses": "#c62828"}
KIND_COLORS = {BILLABLE: "#1565c0", NON_BILLABLE: "#90a4ae"}

# Vega-Lite's field types by their shorthand letter.
_TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}


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


def _json_value(value: Any) -> Any:
    """One cell as JSON: missing values as None, timestamps as full ISO text, numbers as
    Python numbers."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):  # pd.Timestamp too
        # With the time: Vega parses a date alone as UTC, a date and time as local time.
        return value.isoformat()
    return value


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as JSON-safe records (what ``data.values`` holds)."""
    names = [str(name) for name in frame.columns]
    # Column by column: tolist() gives Python scalars (Timestamps for datetime columns).
    columns = [[_json_value(v) for v in column.tolist()] for _, column in frame.items()]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _channel(shorthand: str, **extras: Any) -> dict[str, Any]:
    """An encoding channel from altair's shorthand, ``field:T`` or ``timeUnit(field):T``
    (the type letter is optional), with ``extras`` (title, sort, format, scale...) added."""
    field, _, letter = shorthand.partition(":")
    channel: dict[str, Any] = {}
    if field.endswith(")"):
        unit, _, field = field.removesuffix(")").partition("(")
        channel["timeUnit"] = unit
    channel["field"] = field
    if letter:
        channel["type"] = _TYPES[letter]
    return channel | extras


def _spec(data: pd.DataFrame, title: str, **view: Any) -> Chart:
    """A top-level spec: the schema, the rows inline, the title and ``view``
    (``mark`` and ``encoding``, or ``layer``)."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": _rows(data)},
        "title": title,
        **view,
    }


def _color_scale(colors: dict[str, str]) -> dict[str, list[str]]:
    return {"domain": list(colors), "range": list(colors.values())}


def _money_axis(currency: str) -> str:
    return f"Amount ({currency})"


def revenue_expenses_chart(monthly: pd.DataFrame, currency: str) -> Chart:
    """Grouped bars of revenue and expenses per month, from
    :func:`insights.cashflow.monthly_revenue_expenses`."""
    data = _plot_data(monthly[["currency", "month", "measure", "amount"]], ["amount"], currency)
    return _spec(
        data,
        f"Revenue and expenses by month ({currency})",
        mark={"type": "bar"},
        encoding={
            "x": _channel("yearmonth(month):O", title="Month"),
            "xOffset": _channel("measure:N", sort=list(MEASURE_COLORS)),
            "y": _channel("amount:Q", title=_money_axis(currency)),
            "color": _channel("measure:N", title=None, scale=_color_scale(MEASURE_COLORS)),
            "tooltip": [
                _channel("yearmonth(month):T", title="Month"),
                _channel("measure:N", title="Measure"),
                _channel("amount:Q", title=currency, format=",.2f"),
            ],
        },
    )


def aging_chart(buckets: pd.DataFrame, currency: str) -> Chart:
    """Bars of the amount owed per aging bucket, from :func:`insights.receivables.aging_buckets`
    (or any frame with ``currency, bucket, amount, count``; bucket order is kept)."""
    data = _plot_data(buckets[["currency", "bucket", "amount", "count"]], ["amount"], currency)
    order = [b for b in AGING_BUCKETS if b in set(data["bucket"])] or list(data["bucket"])
    order += [b for b in data["bucket"] if b not in order]
    return _spec(
        data,
        f"Receivables by days past due ({currency})",
        mark={"type": "bar"},
        encoding={
            "x": _channel("bucket:N", sort=order, title="Days past due"),
            "y": _channel("amount:Q", title=_money_axis(currency)),
            "tooltip": [
                _channel("bucket:N", title="Days past due"),
                _channel("amount:Q", title=currency, format=",.2f"),
                _channel("count:Q", title="Invoices"),
            ],
        },
    )


def expenses_by_category_chart(
    categories: pd.DataFrame, currency: str, *, limit: int = 10
) -> Chart:
    """Horizontal bars of the ``limit`` largest categories, from
    :func:`insights.spending.spending_by_category` (already largest first)."""
    data = _plot_data(categories[["currency", "category", "amount", "count"]], ["amount"], currency)
    data = data.head(limit)
    return _spec(
        data,
        f"Expenses by category ({currency})",
        mark={"type": "bar"},
        encoding={
            "y": _channel("category:N", sort="-x", title=None),
            "x": _channel("amount:Q", title=_money_axis(currency)),
            "tooltip": [
                _channel("category:N", title="Category"),
                _channel("amount:Q", title=currency, format=",.2f"),
                _channel("count:Q", title="Expenses"),
            ],
        },
    )


def hours_by_week_chart(weekly: pd.DataFrame) -> Chart:
    """Stacked bars of billable and non-billable hours per week, from
    :func:`insights.time.hours_by_week`."""
    data = _plot_data(weekly[["week", "kind", "hours"]], ["hours"])
    return _spec(
        data,
        "Hours by week",
        mark={"type": "bar"},
        encoding={
            "x": _channel("week:T", title="Week of"),
            "y": _channel("hours:Q", title="Hours", stack="zero"),
            "color": _channel("kind:N", title=None, scale=_color_scale(KIND_COLORS)),
            "order": _channel("kind:N", sort="ascending"),
            "tooltip": [
                _channel("week:T", title="Week of"),
                _channel("kind:N", title="Kind"),
                _channel("hours:Q", title="Hours", format=",.2f"),
            ],
        },
    )


def top_clients_chart(
    clients: pd.DataFrame, currency: str, *, value: str = "outstanding", limit: int = 10
) -> Chart:
    """Horizontal bars of clients by ``value`` (e.g. ``outstanding`` from
    :func:`insights.receivables.top_debtors`, or ``billed`` from
    :func:`insights.clients.client_balances`), largest first."""
    data = _plot_data(clients[["currency", "client", value]], [value], currency)
    data = data.sort_values(value, ascending=False).head(limit)
    return _spec(
        data,
        f"Top clients by {value} ({currency})",
        mark={"type": "bar"},
        encoding={
            "y": _channel("client:N", sort="-x", title=None),
            "x": _channel(f"{value}:Q", title=_money_axis(currency)),
            "tooltip": [
                _channel("client:N", title="Client"),
                _channel(f"{value}:Q", title=currency, format=",.2f"),
            ],
        },
    )


def forecast_chart(weeks: pd.DataFrame, currency: str) -> Chart:
    """Money expected in (bars, with the early-to-late range as a rule) and out (bars) per
    week, from :func:`insights.forecast.forecast`'s ``weeks``: three layers on one x axis."""
    data = _plot_data(
        weeks[["currency", "week", "in_expected", "in_low", "in_high", "out_expected"]],
        ["in_expected", "in_low", "in_high", "out_expected"],
        currency,
    )
    data["out_expected"] = -data["out_expected"]
    # Weeks as ordered labels: bars on a time axis are hairlines.
    data["label"] = [f"{w:%d %b}" for w in data["week"]]
    labels = list(data["label"])

    def x() -> dict[str, Any]:  # a dict per layer: no layer shares another's
        return _channel("label:O", sort=list(labels), title="Week starting", axis={"labelAngle": 0})

    money_in = {
        "mark": {"type": "bar", "color": MEASURE_COLORS["Revenue"], "opacity": 0.8},
        "encoding": {
            "x": x(),
            "y": _channel("in_expected:Q", title=_money_axis(currency)),
            "tooltip": [
                _channel("label:O", title="Week starting"),
                _channel("in_expected:Q", title="Expected in", format=",.2f"),
                _channel("in_low:Q", title="Low", format=",.2f"),
                _channel("in_high:Q", title="High", format=",.2f"),
                _channel("out_expected:Q", title="Out", format=",.2f"),
            ],
        },
    }
    money_out = {
        "mark": {"type": "bar", "color": MEASURE_COLORS["Expenses"], "opacity": 0.7},
        "encoding": {"x": x(), "y": _channel("out_expected:Q")},
    }
    spread = {
        "mark": {"type": "rule", "strokeWidth": 2},
        # y2 takes no type of its own: it shares y's.
        "encoding": {"x": x(), "y": _channel("in_low:Q"), "y2": _channel("in_high")},
    }
    return _spec(
        data,
        f"Expected money in and out, week by week ({currency})",
        layer=[money_in, money_out, spread],
    )
