"""Invoices: filter, read, look inside one, export; and the estimates waiting on clients."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from insights.collections import invoice_risks
from insights.estimates import estimates_frame
from insights.frames import lines_frame
from insights.labels import invoice_labels
from insights.receivables import aging_buckets, receivables_summary
from ui.format import format_money
from ui.page import dashboard
from ui.scopes import scope_notice
from ui.tables import csv_button, show_table

page = dashboard("Invoices")
snapshot, frames = page.snapshot, page.frames
invoices = frames.invoices


def show_estimates() -> None:
    """The estimates part: a table, or the sentence saying which scope it needs."""
    st.subheader("Estimates")
    if scope_notice(page.runtime, page.ctx, "estimates"):
        return
    names = {c.id: c.display_name for c in snapshot.clients}
    estimates = estimates_frame(snapshot.estimates, names)
    if estimates.empty:
        st.caption("No estimates in this business.")
        return
    waiting = estimates[estimates["open"]]
    st.caption(f"{len(waiting)} open (not yet invoiced) of {len(estimates)}.")
    show_table(
        estimates,
        labels={
            "number": "Number",
            "client": "Client",
            "date": "Date",
            "status": "Status",
            "amount": "Amount",
            "currency": "Currency",
        },
    )


if invoices.empty:
    st.info("No invoices in this business yet.")
    show_estimates()
    st.stop()

today = frames.today
first_day = invoices["create_date"].min().date()
with st.container(border=True):
    c1, c2, c3, c4 = st.columns([2, 2, 2, 1])
    statuses = c1.multiselect(
        "Status", sorted(invoices["status"].dropna().unique()), key="inv-status"
    )
    clients = c2.multiselect(
        "Client", sorted(invoices["client"].dropna().unique()), key="inv-client"
    )
    period = c3.date_input(
        "Invoice date",
        value=(max(first_day, today - timedelta(days=365)), today),
        min_value=first_day,
        max_value=today + timedelta(days=366),
        key="inv-dates",
    )
    currencies = sorted(invoices["currency"].dropna().unique())
    currency = c4.selectbox("Currency", ["All", *currencies], key="inv-currency")

view = invoices
if statuses:
    view = view[view["status"].isin(statuses)]
if clients:
    view = view[view["client"].isin(clients)]
if isinstance(period, tuple) and len(period) == 2:
    start, end = period
    view = view[(view["create_date"].dt.date >= start) & (view["create_date"].dt.date <= end)]
if currency != "All":
    view = view[view["currency"] == currency]

summary = receivables_summary(view, today)
for row in summary.itertuples():
    cols = st.columns(4)
    cols[0].metric(f"Outstanding ({row.currency})", format_money(row.outstanding, row.currency))
    cols[1].metric("Open invoices", int(row.open_count))
    cols[2].metric(f"Overdue ({row.currency})", format_money(row.overdue, row.currency))
    cols[3].metric("Overdue invoices", int(row.overdue_count))

st.subheader(f"{len(view)} invoice(s)")
risks = invoice_risks(frames.invoices, frames.payments, today)
view = view.assign(risk=[f"{risks[i]:.0%}" if i in risks.index else "" for i in view["invoice_id"]])
show_table(
    view.sort_values("create_date", ascending=False),
    labels={
        "number": "Number",
        "client": "Client",
        "create_date": "Date",
        "due_date": "Due",
        "status": "Status",
        "currency": "Currency",
        "amount": "Amount",
        "outstanding": "Outstanding",
        "days_overdue": "Days overdue",
        "risk": "Late-payment risk",
    },
)
csv_button(view, f"invoices-{date.today():%Y%m%d}", key="inv-csv")

with st.expander("Aging of what is still owed"):
    show_table(
        aging_buckets(view, today),
        labels={
            "currency": "Currency",
            "bucket": "Days past due",
            "amount": "Amount",
            "count": "Invoices",
        },
    )

st.subheader("Lines of one invoice")
choices = view.sort_values("create_date", ascending=False)
labels = invoice_labels(choices)  # one pass: a format_func filtering per option was O(n²)
picked = st.selectbox(
    "Invoice",
    choices["invoice_id"].tolist(),
    format_func=labels.__getitem__,
    key="inv-lines",
)
invoice = snapshot.find("invoices", int(picked)) if picked is not None else None
if invoice is not None:
    show_table(
        lines_frame(invoice),
        labels={
            "line": "#",
            "name": "Item",
            "description": "Description",
            "qty": "Qty",
            "unit_cost": "Unit cost",
            "amount": "Amount",
            "currency": "Currency",
            "tax_1": "Tax",
            "tax_1_percent": "Tax %",
        },
    )
    st.caption(
        f"Total {format_money(invoice.amount)} · paid {format_money(invoice.paid)} · "
        f"outstanding {format_money(invoice.outstanding)}"
    )

show_estimates()
