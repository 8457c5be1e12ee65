"""Time: where the hours went, billable or not, and what is not yet invoiced."""

from __future__ import annotations

import streamlit as st

from insights import charts
from insights.time import (
    billable_split,
    hours_by,
    hours_by_week,
    time_between,
    unbilled_summary,
    unbilled_time,
)
from ui.filters import period_picker
from ui.format import format_hours, format_money
from ui.page import dashboard
from ui.scopes import scope_notice
from ui.tables import csv_button, show_table

page = dashboard("Time")
frames = page.frames
if frames.time.empty:
    st.info("No time tracked in this business yet.")
    st.stop()

start, end = period_picker(frames.today, key="time-period", default="Last 90 days")
entries = time_between(frames.time, start, end)
split = billable_split(frames.time, start, end)
cols = st.columns(len(split) + 1)
cols[0].metric("Hours", format_hours(sum(split["hours"], start=0)))
for column, row in zip(cols[1:], split.itertuples(), strict=True):
    column.metric(f"{row.kind} hours", format_hours(row.hours), help=f"{row.share:.0%} of the time")

st.subheader("Hours by week")
weekly = hours_by_week(frames.time, start, end)
if weekly.empty:
    st.caption("No time in this period.")
else:
    st.altair_chart(charts.hours_by_week_chart(weekly), width="stretch")

labels = {
    "name": "Name",
    "hours": "Hours",
    "billable_hours": "Billable",
    "non_billable_hours": "Non-billable",
    "unbilled_hours": "Unbilled",
}
left, right = st.columns(2)
with left:
    st.subheader("By project")
    show_table(hours_by(frames.time, "project", start, end), labels=labels)
with right:
    st.subheader("By client")
    show_table(hours_by(frames.time, "client", start, end), labels=labels)

st.subheader("Not yet invoiced")
st.caption("Billable time not yet billed, whatever the period above. A value needs a known rate.")
summary = unbilled_summary(frames.time)
if "services" in page.snapshot.withheld and summary["hours_without_rate"].gt(0).any():
    # Service rates would value some of these hours: say which scope reads them.
    scope_notice(page.runtime, page.ctx, "services")
for row in summary.itertuples():
    note = (
        f" · {format_hours(row.hours_without_rate)} without a known rate"
        if row.hours_without_rate
        else ""
    )
    st.write(
        f"**{format_hours(row.hours)}** worth **{format_money(row.value, row.currency)}**{note}"
    )
unbilled = unbilled_time(frames.time)
show_table(
    unbilled,
    labels={
        "date": "Date",
        "client": "Client",
        "project": "Project",
        "team_member": "Who",
        "hours": "Hours",
        "rate": "Rate",
        "value": "Value",
        "currency": "Currency",
        "rate_source": "Rate from",
        "note": "Note",
    },
)
csv_button(unbilled, "unbilled-time", key="time-unbilled-csv")

st.subheader(f"{len(entries)} time entries in the period")
show_table(
    entries.sort_values("started_at", ascending=False),
    labels={
        "date": "Date",
        "team_member": "Who",
        "client": "Client",
        "project": "Project",
        "service": "Service",
        "hours": "Hours",
        "billable": "Billable",
        "billed": "Billed",
        "note": "Note",
    },
)
csv_button(entries, f"time-{start:%Y%m%d}-{end:%Y%m%d}", key="time-csv")
