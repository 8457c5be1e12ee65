"""Overview: what I am owed, what is overdue, what came in and went out, unbilled time, and
the recurring invoices (monthly recurring revenue per currency)."""

from __future__ import annotations

import streamlit as st

from copilot.overview import business_overview
from fbclient.models.invoice_profiles import InvoiceProfile
from insights import charts
from insights.kpis import HEADLINES, CurrencyOverview, Headline
from insights.recurring import (
    monthly_recurring_revenue,
    profile_lines,
    profiles_frame,
    upcoming_dates,
)
from ui.format import format_hours, format_money
from ui.page import dashboard
from ui.tables import show_table

board = dashboard("Overview")
# Computed once per business and day for every currency; each tab filters its own rows.
FIGURES = business_overview(
    board.runtime.frames_cache, board.ctx.cache_key, board.snapshot, board.frames
)
per_currency = FIGURES.per_currency
if not per_currency:
    st.info("No invoices, payments, expenses or time in this business yet.")
    st.stop()


def shown(headline: Headline) -> str:
    if headline.unit == "hours":
        return format_hours(headline.value)
    return format_money(headline.value, headline.currency)


def metric(column: st.delta_generator.DeltaGenerator, headline: Headline) -> None:
    delta = None
    if headline.compare is not None and headline.unit == "money":
        change = headline.value - headline.compare
        delta = f"{format_money(change, headline.currency)} vs last year"
    column.metric(headline.label, shown(headline), delta=delta, help=headline.note or None)


def currency_view(view: CurrencyOverview) -> None:
    code = view.currency
    row1 = st.columns(4)
    for column, key in zip(
        row1, ("outstanding", "overdue", "collected_month", "collected_year"), strict=True
    ):
        metric(column, view[key])
    row2 = st.columns(4)
    for column, key in zip(
        row2, ("expenses_year", "profit_year", "unbilled_hours", "unbilled_value"), strict=True
    ):
        metric(column, view[key])
    overdue = view["overdue"]
    if overdue.count:
        st.caption(f"{overdue.count} overdue invoice(s) totalling {shown(overdue)}.")

    with st.expander("Show the records behind a number"):
        choice = st.selectbox(
            "Number",
            [k for k in HEADLINES if k in view.headlines],
            format_func=lambda k: HEADLINES[k],
            key=f"records-{code}",
        )
        records = view[choice].records
        st.caption(f"{len(records)} record(s)")
        show_table(records)

    left, right = st.columns(2)
    with left:
        st.subheader("Revenue and expenses by month")
        monthly = FIGURES.of(FIGURES.monthly, code)
        if monthly.empty:
            st.caption("No payments or expenses in the last twelve months.")
        else:
            st.vega_lite_chart(spec=charts.revenue_expenses_chart(monthly, code), width="stretch")
    with right:
        st.subheader("Receivables by age")
        buckets = FIGURES.of(FIGURES.buckets, code)
        if buckets.empty or not buckets["count"].sum():
            st.caption("Nothing outstanding.")
        else:
            st.vega_lite_chart(spec=charts.aging_chart(buckets, code), width="stretch")

    st.subheader("Top clients")
    balances = FIGURES.of(FIGURES.balances, code)
    if balances.empty:
        st.caption("No invoices in this currency yet.")
    else:
        st.vega_lite_chart(
            spec=charts.top_clients_chart(balances, code, value="billed", limit=8), width="stretch"
        )
        debtors = FIGURES.of(FIGURES.debtors, code)
        if not debtors.empty:
            st.caption("Who owes the most")
            show_table(
                debtors,
                labels={
                    "client": "Client",
                    "outstanding": "Outstanding",
                    "overdue": "Overdue",
                    "overdue_count": "Overdue invoices",
                    "max_days_overdue": "Most days overdue",
                },
            )


if len(per_currency) == 1:
    currency_view(per_currency[0])
else:
    st.caption("Totals are per currency: amounts in different currencies are never added.")
    for tab, view in zip(st.tabs([v.currency for v in per_currency]), per_currency, strict=True):
        with tab:
            currency_view(view)


def describe(profile: InvoiceProfile) -> str:
    """ "Acme: 2,500.00 USD, Monthly" for the picker."""
    amount = profile.amount.amount if profile.amount is not None else None
    schedule = profile.schedule.label if profile.schedule is not None else profile.frequency
    return f"{profile.client_name}: {format_money(amount, profile.currency)}, {schedule}"


def recurring_section() -> None:
    """MRR per currency, then every profile and the detail of the one picked."""
    profiles = [p for p in board.snapshot.invoice_profiles if p.vis_state != 1]
    st.subheader("Recurring invoices")
    if not profiles:
        st.caption("No recurring invoices in this business.")
        return
    mrr = monthly_recurring_revenue(profiles)
    if mrr.empty:
        st.caption("No recurring invoice is active.")
    for column, row in zip(st.columns(max(len(mrr), 1)), mrr.itertuples(), strict=False):
        column.metric(
            f"Monthly recurring revenue ({row.currency})",
            format_money(row.mrr, row.currency),
            help=f"{row.profiles} active recurring invoice(s), each normalized to a month",
        )
    with st.expander(f"Recurring invoices ({len(profiles)})"):
        show_table(
            profiles_frame(profiles, board.snapshot.clients),
            labels={
                "client": "Client",
                "description": "What",
                "amount": "Amount",
                "currency": "Currency",
                "frequency": "Frequency",
                "per_month": "Per month",
                "next_date": "Next invoice",
                "state": "Status",
            },
        )
        by_id = {p.id: p for p in profiles}
        picked = st.selectbox(
            "Recurring invoice",
            list(by_id),
            format_func=lambda key: describe(by_id[key]),
            key="recurring-detail",
        )
        chosen = by_id[picked]
        dates = ", ".join(d.isoformat() for d in upcoming_dates(chosen)) or "none"
        st.caption(f"Next invoices: {dates}")
        show_table(profile_lines(chosen))


recurring_section()
