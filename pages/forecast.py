"""Forecast: money expected in and out over the next 13 weeks, with the records behind each
week, and how close past forecasts came."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from copilot.forecasting import business_backtest, business_forecast
from insights import charts
from insights.collections import invoice_risks
from insights.forecast import DOUBTFUL_DAYS, WEEKS
from ui.format import format_money
from ui.page import dashboard
from ui.tables import show_table

page = dashboard("Forecast")
frames = page.frames
result = business_forecast(page.runtime.frames_cache, page.ctx.cache_key, page.snapshot, frames)
st.caption(
    f"The next {WEEKS} weeks from {result.as_of:%d %b %Y}: open invoices on the day each client "
    "usually pays (their own history from due date to payment; the business's habit for "
    "clients without one), the invoices your recurring profiles will issue, and expenses that "
    "recur at a steady interval and amount. The range "
    "runs from each client's early to late payments."
)
currencies = sorted(result.weeks["currency"].unique())
if not currencies:
    st.info("Nothing is expected: no open invoices and no recurring expenses.")
    st.stop()
default = currencies.index(frames.home_currency) if frames.home_currency in currencies else 0
currency = st.selectbox("Currency", currencies, index=default, key="forecast-currency")
weeks = result.weeks[result.weeks["currency"] == currency].reset_index(drop=True)

four = weeks.head(4)
cols = st.columns(3)
cols[0].metric("In, next 4 weeks", format_money(sum(four["in_expected"]), currency))
cols[1].metric("Out, next 4 weeks", format_money(sum(four["out_expected"]), currency))
cols[2].metric("Net, next 4 weeks", format_money(sum(four["net"]), currency))
with st.spinner("Checking how past forecasts did…"):
    tested = business_backtest(
        page.runtime.frames_cache, page.ctx.cache_key, page.snapshot, frames, currency
    )
st.info(tested.sentence(), icon="🎯")

st.vega_lite_chart(spec=charts.forecast_chart(weeks, currency), width="stretch")
show_table(
    weeks,
    labels={
        "week": "Week starting",
        "in_expected": "In (expected)",
        "in_low": "In (low)",
        "in_high": "In (high)",
        "out_expected": "Out",
        "net": "Net",
    },
)

st.subheader("Behind one week")
busy = [n for n, row in weeks.iterrows() if row["in_expected"] or row["out_expected"]]
chosen = st.selectbox(
    "Week",
    list(weeks["week"]),
    index=busy[0] if busy else 0,
    format_func=lambda w: f"{w:%d %b} – {w + timedelta(days=6):%d %b %Y}",
    key="forecast-week",
)
behind = result.records[
    (result.records["currency"] == currency) & (result.records["week"] == chosen)
]
risks = invoice_risks(frames.invoices, frames.payments, frames.today)
behind = behind.assign(
    risk=[
        f"{risks[i]:.0%}" if pd.notna(i) and i in risks.index else "" for i in behind["invoice_id"]
    ]
)
st.caption(f"{len(behind)} record(s)")
show_table(
    behind.sort_values(["direction", "expected"]),
    labels={
        "direction": "In/out",
        "kind": "What",
        "ref": "Record",
        "party": "Client or vendor",
        "amount": "Amount",
        "expected": "Expected",
        "early": "Early",
        "late": "Late",
        "risk": "Late-payment risk",
    },
)

doubtful = result.doubtful[result.doubtful["currency"] == currency]
if not doubtful.empty:
    with st.expander(f"Left out: {len(doubtful)} invoice(s) over {DOUBTFUL_DAYS} days past due"):
        show_table(
            doubtful,
            labels={
                "number": "Number",
                "client": "Client",
                "due_date": "Due",
                "open_amount": "Owed",
            },
        )
