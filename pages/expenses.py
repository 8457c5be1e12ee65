"""Expenses: drop receipts to record them; where the money went, by category, month and vendor."""

from __future__ import annotations

import streamlit as st

from insights import charts
from insights.spending import (
    expenses_between,
    spending_by_category,
    spending_by_month,
    spending_by_vendor,
)
from ui.filters import period_picker
from ui.format import format_money
from ui.page import dashboard
from ui.receipts import receipts_section
from ui.tables import csv_button, show_table

runtime, ctx, snapshot, frames = dashboard("Expenses")
receipts_section(runtime, ctx, snapshot)
st.divider()
if frames.expenses.empty:
    st.info("No expenses in this business yet.")
    st.stop()

start, end = period_picker(frames.today, key="exp-period")
found = expenses_between(frames.expenses, start, end)
if found.empty:
    st.info("No expenses in this period.")
    st.stop()
currencies = sorted(found["currency"].dropna().unique())
currency = (
    st.selectbox("Currency", currencies, key="exp-currency")
    if len(currencies) > 1
    else currencies[0]
)
mine = found[found["currency"] == currency]
total = sum(mine["amount"], start=type(mine["amount"].iloc[0])(0))
st.metric(
    f"Spent {start:%d %b %Y} – {end:%d %b %Y}",
    format_money(total, currency),
    help=f"{len(mine)} expenses",
)

by_category = spending_by_category(found, start, end)
by_category = by_category[by_category["currency"] == currency]
left, right = st.columns(2)
with left:
    st.subheader("By category")
    st.vega_lite_chart(
        spec=charts.expenses_by_category_chart(by_category, currency), width="stretch"
    )
with right:
    st.subheader("By month")
    monthly = spending_by_month(found, start, end)
    show_table(
        monthly[monthly["currency"] == currency],
        labels={"month": "Month", "amount": "Spent", "count": "Expenses"},
        height=320,
    )

st.subheader("By vendor")
vendors = spending_by_vendor(found, start, end, limit=15)
show_table(vendors[vendors["currency"] == currency])

st.subheader(f"{len(mine)} expense(s)")
show_table(
    mine.sort_values("date", ascending=False),
    labels={
        "date": "Date",
        "vendor": "Vendor",
        "category": "Category",
        "amount": "Amount",
        "currency": "Currency",
        "client": "Client",
        "status": "Status",
        "notes": "Notes",
    },
)
csv_button(mine, f"expenses-{currency}-{start:%Y%m%d}-{end:%Y%m%d}", key="exp-csv")
