"""Audit log: every change made on the user's behalf, with its FreshBooks ids and outcome."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from store.audit import recent_audit
from ui.context import current_context, get_runtime
from ui.errors import stop_on_error

runtime = get_runtime()
st.title("Audit log")
with stop_on_error():  # the log is local, but finding whose it is may ask FreshBooks
    ctx = current_context(runtime)
if ctx is None:
    st.info("Connect FreshBooks to see the changes made through the app.")
    st.stop()

entries = recent_audit(runtime.sessions, ctx.owner, ctx.account_key, limit=1000)
st.caption(
    f"{ctx.business.name}: every change made after your confirmation, from the app's chat or "
    "an assistant over MCP, newest first."
)
if not entries:
    st.info("No changes have been made through the app yet.")
    st.stop()

outcomes = sorted({e["outcome"] for e in entries})
chosen = st.multiselect("Outcome", outcomes, default=outcomes, key="audit-outcome")
rows = [e for e in entries if e["outcome"] in chosen]
table = pd.DataFrame(
    [
        {
            "When": e["when"],
            "Action": e["action"].replace("_", " "),
            "Asked from": "app" if e["channel"] == "app" else f"MCP · {e['client'] or 'assistant'}",
            "Outcome": e["outcome"],
            "FreshBooks ids": json.dumps(e["records"]),
            "Message": e["message"],
        }
        for e in rows
    ]
)
st.dataframe(table, hide_index=True, width="stretch")
left, right = st.columns(2)
left.download_button(
    "Export as JSON",
    data=json.dumps(rows, default=str, indent=2),
    file_name="copilot-audit-log.json",
    mime="application/json",
    key="audit-json",
)
right.download_button(
    "Export as CSV",
    data=table.to_csv(index=False).encode("utf-8-sig"),
    file_name="copilot-audit-log.csv",
    mime="text/csv",
    key="audit-csv",
)
