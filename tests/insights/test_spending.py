"""Spending by category, parent category, vendor and month, per currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from insights.frames import build_frames
from insights.spending import (
    expenses_between,
    spending_by_category,
    spending_by_month,
    spending_by_vendor,
)

from ..support.model_builders import TODAY, category, expense, snapshot

D = Decimal


def _frames():
    snap = snapshot(
        expense_categories=[
            category(1, "Travel"),
            category(2, "Airfare", parent=1),
            category(3, "Software"),
        ],
        expenses=[
            expense(1, "300.10", "2026-05-01", category_id=2, vendor="Air Co"),
            expense(2, "20.20", "2026-05-20", category_id=1, vendor="Taxi"),
            expense(3, "100.00", "2026-06-01", category_id=3, vendor="Figma"),
            expense(4, "0.30", "2026-06-02", category_id=3, vendor=None),
            expense(5, "55.00", "2026-06-03", category_id=3, vendor="Figma", currency="EUR"),
        ],
    )
    return build_frames(snap, TODAY)


def test_by_category_largest_first_per_currency_with_share():
    table = spending_by_category(_frames().expenses)
    assert table[["currency", "category", "amount", "count"]].values.tolist() == [
        ["EUR", "Software", D("55.00"), 1],
        ["USD", "Airfare", D("300.10"), 1],
        ["USD", "Software", D("100.30"), 2],
        ["USD", "Travel", D("20.20"), 1],
    ]
    assert table["share"].iloc[0] == 1.0
    assert abs(table["share"].iloc[1] - 300.10 / 420.60) < 1e-9


def test_by_parent_category_groups_subcategories():
    table = spending_by_category(_frames().expenses, level="parent_category")
    usd = table[table["currency"] == "USD"]
    assert usd[["category", "amount"]].values.tolist() == [
        ["Travel", D("320.30")],
        ["Software", D("100.30")],
    ]


def test_by_vendor_groups_missing_vendors_and_limits():
    table = spending_by_vendor(_frames().expenses, limit=1)
    assert table[["currency", "vendor", "amount"]].values.tolist() == [
        ["EUR", "Figma", D("55.00")],
        ["USD", "Air Co", D("300.10")],
    ]
    everything = spending_by_vendor(_frames().expenses)
    assert "(no vendor)" in everything["vendor"].tolist()


def test_by_month_fills_quiet_months():
    table = spending_by_month(_frames().expenses, date(2026, 4, 1), date(2026, 6, 30))
    usd = table[table["currency"] == "USD"]
    assert usd[["month", "amount", "count"]].values.tolist() == [
        [pd.Timestamp("2026-04-01"), D(0), 0],
        [pd.Timestamp("2026-05-01"), D("320.30"), 2],
        [pd.Timestamp("2026-06-01"), D("100.30"), 2],
    ]


def test_period_filter_is_inclusive_and_newest_first():
    found = expenses_between(_frames().expenses, date(2026, 5, 20), date(2026, 6, 2))
    assert found["expense_id"].tolist() == [4, 3, 2]
