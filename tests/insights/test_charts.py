"""Chart builders: mark, encodings and the rows they draw (money as floats only here)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from insights.cashflow import monthly_revenue_expenses
from insights.charts import (
    Chart,
    aging_chart,
    expenses_by_category_chart,
    hours_by_week_chart,
    revenue_expenses_chart,
    top_clients_chart,
)
from insights.frames import build_frames
from insights.receivables import aging_buckets, top_debtors
from insights.spending import spending_by_category
from insights.time import hours_by_week

from ..support.model_builders import (
    TODAY,
    category,
    client,
    entry,
    expense,
    invoice,
    line,
    payment,
    snapshot,
)


@pytest.fixture
def frames():
    snap = snapshot(
        clients=[client(1, "Acme"), client(2, "Bee"), client(3, "Bureau", "EUR")],
        invoices=[
            invoice(1, "100.10", due="2026-06-01", lines=[line("1", "100.10")], paid="50.05"),
            invoice(2, "300.00", client_id=2, due="2026-07-01", lines=[line("1", "300.00")]),
            invoice(3, "70.00", client_id=3, currency="EUR", due="2026-01-01"),
        ],
        payments=[payment(1, 1, "50.05", "2026-05-10")],
        expenses=[
            expense(1, "12.34", "2026-05-03", category_id=1),
            expense(2, "40.00", "2026-06-03", category_id=2),
        ],
        expense_categories=[category(1, "Software"), category(2, "Rent")],
        time_entries=[
            entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 5400),
            entry(2, datetime(2026, 6, 2, 15, tzinfo=UTC), 1800, billable=False),
        ],
    )
    return build_frames(snap, TODAY)


def rows(spec: Chart) -> list[dict]:
    return spec["data"]["values"]


def test_revenue_expenses_chart(frames):
    monthly = monthly_revenue_expenses(
        frames.invoices, frames.payments, frames.expenses, date(2026, 5, 1), date(2026, 6, 30)
    )
    spec = revenue_expenses_chart(monthly, "USD")
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "month"
    assert spec["encoding"]["xOffset"]["field"] == "measure"
    assert (spec["encoding"]["y"]["field"], spec["encoding"]["y"]["type"]) == (
        "amount",
        "quantitative",
    )
    assert spec["encoding"]["color"]["field"] == "measure"
    assert [(r["month"][:10], r["measure"], r["amount"]) for r in rows(spec)] == [
        ("2026-05-01", "Revenue", 50.05),
        ("2026-05-01", "Expenses", 12.34),
        ("2026-06-01", "Revenue", 0.0),
        ("2026-06-01", "Expenses", 40.0),
    ]


def test_aging_chart_keeps_bucket_order_and_one_currency(frames):
    spec = aging_chart(aging_buckets(frames.invoices, TODAY), "USD")
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["sort"] == ["Not due", "1-30", "31-60", "61-90", "91+"]
    assert [(r["bucket"], r["amount"], r["count"]) for r in rows(spec)] == [
        ("Not due", 300.0, 1),
        ("1-30", 50.05, 1),
        ("31-60", 0.0, 0),
        ("61-90", 0.0, 0),
        ("91+", 0.0, 0),
    ]
    assert {r["currency"] for r in rows(spec)} == {"USD"}


def test_expenses_by_category_chart(frames):
    spec = expenses_by_category_chart(spending_by_category(frames.expenses), "USD", limit=1)
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"] == {
        "field": "category",
        "sort": "-x",
        "title": None,
        "type": "nominal",
    }
    assert [(r["category"], r["amount"]) for r in rows(spec)] == [("Rent", 40.0)]


def test_hours_by_week_chart_stacks_billable_and_non_billable(frames):
    spec = hours_by_week_chart(hours_by_week(frames.time, date(2026, 6, 1), date(2026, 6, 7)))
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["color"]["field"] == "kind"
    assert [(r["week"][:10], r["kind"], r["hours"]) for r in rows(spec)] == [
        ("2026-06-01", "Billable", 1.5),
        ("2026-06-01", "Non-billable", 0.5),
    ]


def test_top_clients_chart(frames):
    spec = top_clients_chart(top_debtors(frames.invoices, TODAY), "USD")
    assert spec["encoding"]["x"]["field"] == "outstanding"
    assert [(r["client"], r["outstanding"]) for r in rows(spec)] == [
        ("Bee", 300.0),
        ("Acme", 50.05),
    ]


def test_charts_of_nothing_still_build():
    empty = build_frames(snapshot(), TODAY)
    spec = aging_chart(aging_buckets(empty.invoices, TODAY), "USD")
    assert rows(spec) == []
    weekly = hours_by_week(empty.time, date(2026, 6, 1), date(2026, 6, 7))
    assert [r["hours"] for r in rows(hours_by_week_chart(weekly))] == [0.0, 0.0]
