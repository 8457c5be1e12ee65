"""Chase list: whom to chase, most worth it first, each with a drafted reminder sent through
FreshBooks after a confirm card."""

from __future__ import annotations

import streamlit as st

from agent.tool import ProposedChange
from copilot.collections import chase_rows, propose_reminder, reminder_draft, send_reminder
from fbclient import FreshBooksError
from insights.collections import LATE_DAYS, SOON_DAYS
from insights.receivables import receivables_summary
from ui import keys
from ui.cards import confirm_card, flash_outcome
from ui.format import format_money
from ui.page import dashboard
from ui.tables import show_table

page = dashboard("Chase list")
runtime, ctx, snapshot, frames = page
rows = chase_rows(runtime, ctx, frames)
st.caption(
    f"Every overdue invoice, and those due within {SOON_DAYS} days, most worth chasing first: "
    "the amount (against your usual invoice), how late it is against the client's own habit, "
    f"their risk of paying more than {LATE_DAYS} days late, and the reminders already sent."
)
owed = [
    r for r in receivables_summary(frames.invoices, frames.today).itertuples() if r.overdue_count
]
for column, row in zip(st.columns(max(len(owed), 1)), owed, strict=False):
    column.metric(
        f"Overdue ({row.currency}), {int(row.overdue_count)} invoice(s)",
        format_money(row.overdue, row.currency),
    )
if rows.empty:
    st.success("Nothing to chase: no invoice is overdue or due this week.")
    st.stop()

table = rows.assign(risk=[f"{r:.0%}" for r in rows["risk"]])
show_table(
    table,
    labels={
        "number": "Invoice",
        "client": "Client",
        "currency": "Currency",
        "outstanding": "Owed",
        "due_date": "Due",
        "days_late": "Days late",
        "habit_days": "Client usually pays (days after due)",
        "risk": "Late-payment risk",
        "reminders_sent": "Emails sent",
        "last_chased": "Last email",
        "tone": "Tone",
    },
)

st.subheader("Send a reminder")
labels = {
    int(r.invoice_id): f"{r.number} · {r.client} · {format_money(r.outstanding, r.currency)} · "
    f"{r.days_late} days late"
    for r in rows.itertuples()
}
picked = st.selectbox("Invoice", list(labels), format_func=labels.__getitem__, key="chase-pick")
row = rows[rows["invoice_id"] == picked].iloc[0]
draft = reminder_draft(snapshot, row, ctx.business.name)
if draft is None:
    st.info("That invoice is no longer in the books. Refresh to see the list as it is now.")
    st.stop()
subject = st.text_input("Subject", value=draft["subject"], key=f"chase-subject-{picked}")
body = st.text_area("Message", value=draft["body"], height=220, key=f"chase-body-{picked}")
st.caption(f"Tone: {row['tone']}. Edit the words freely; FreshBooks sends it with the invoice.")
if st.button("Review reminder", key="chase-review", type="primary"):
    try:
        arguments, card = propose_reminder(runtime, ctx, picked, subject, body)
    except (FreshBooksError, ValueError) as exc:
        st.error(getattr(exc, "user_message", None) or str(exc))
    else:
        st.session_state[keys.CHASE_CARD] = (arguments, card.as_dict())

pending = st.session_state.get(keys.CHASE_CARD)
if pending is not None:
    arguments, stored = pending
    card = ProposedChange.from_dict(stored)
    clicked = confirm_card(card, key="chase", can_write=ctx.business.can_write)
    if clicked == "confirm":
        del st.session_state[keys.CHASE_CARD]
        outcome = send_reminder(runtime, ctx, arguments, card.title)
        flash_outcome(outcome)
        st.rerun()
    if clicked == "cancel":
        del st.session_state[keys.CHASE_CARD]
        st.session_state[keys.FLASH] = ("info", "Nothing was sent.")
        st.rerun()
