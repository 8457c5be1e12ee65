"""Time: where the hours went, billable or not, what is not yet invoiced, the timers and the
working days with little or no time logged."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pandas as pd
import streamlit as st

from copilot.timers import timer_rows
from insights import charts
from insights.gaps import timesheet_gaps
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

timers = timer_rows(page.runtime, page.ctx)
if timers:
    st.subheader("Timers")
    for row in timers:
        if "warning" in row:
            st.warning(
                f"Timer {row['timer_id']}: {row['warning']} (the sidebar stops it at a time)"
            )
    timer_labels = {
        "timer_id": "Timer",
        "state": "State",
        "client": "Client",
        "project": "Project",
        "service": "Service",
        "note": "Note",
        "started": "Started",
        "elapsed": "Counted",
        "hours": "Hours",
    }
    # A row leaves out what its timer is not for (no project...): every column, blank there.
    table = pd.DataFrame(timers).reindex(columns=list(timer_labels))
    table["started"] = [
        f"{pd.Timestamp(v):%d %b %Y, %H:%M}" if isinstance(v, str) and v else ""
        for v in table["started"]
    ]
    show_table(table.astype(object).where(table.notna(), ""), labels=timer_labels)

st.subheader("Timesheet gaps")
span_col, limit_col = st.columns(2)
span = span_col.selectbox(
    "Look back",
    [7, 14, 30, 60, 90],
    index=1,
    format_func=lambda d: f"Last {d} days (to yesterday)",
    key="gaps-span",
)
limit = limit_col.number_input(
    "A working day with fewer hours is a gap",
    min_value=0.5,
    max_value=24.0,
    value=8.0,
    step=0.5,
    key="gaps-threshold",
)
gaps_end = frames.today - timedelta(days=1)
gaps_start = gaps_end - timedelta(days=int(span) - 1)
gaps = timesheet_gaps(frames.time, gaps_start, gaps_end, Decimal(str(limit)))
if gaps.empty:
    st.success(f"Every working day from {gaps_start} to {gaps_end} has {limit:g} h or more.")
else:
    st.caption(
        f"{len(gaps)} working day(s) (Monday to Friday, in the business's timezone) from "
        f"{gaps_start} to {gaps_end} with under {limit:g} h logged by anyone. To fill them, ask "
        "the chat, e.g. “fill my timesheet gaps on the website project”: one card lists the "
        "days, untick any, then Confirm."
    )
    show_table(
        gaps.drop(columns=["seconds"]),
        labels={
            "date": "Day",
            "weekday": "Weekday",
            "hours": "Hours logged",
            "missing_hours": "Missing",
        },
    )

st.subheader("Hours by week")
weekly = hours_by_week(frames.time, start, end)
if weekly.empty:
    st.caption("No time in this period.")
else:
    st.vega_lite_chart(spec=charts.hours_by_week_chart(weekly), width="stretch")

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
