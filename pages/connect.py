"""Connect FreshBooks: the button, and the paste-the-address fallback."""

from __future__ import annotations

import streamlit as st

from copilot.connection import CallbackError, parse_callback_url
from ui import keys
from ui.context import get_runtime, owner

runtime = get_runtime()
st.title("Connect FreshBooks")
st.write(
    "FreshBooks Copilot reads your invoices, expenses, payments, time and clients to show "
    "what you are owed and where your money and hours went. It changes nothing without your "
    "explicit confirmation."
)
connections = runtime.connections
if connections is None:
    st.info("Demo mode is on: the app is connected to the built-in demo business.")
    st.stop()

if keys.AUTHORIZE_URL not in st.session_state:
    st.session_state[keys.AUTHORIZE_URL] = connections.start(owner())
st.link_button("Connect FreshBooks", st.session_state[keys.AUTHORIZE_URL], type="primary")
st.caption(
    "You will approve access on FreshBooks' own page and come back here. The link is "
    "single-use and expires after 10 minutes."
)

with st.expander("Came back to a page that did not load? Paste its address"):
    st.write(
        "FreshBooks only redirects to HTTPS addresses. If your browser showed an error after "
        "you approved, copy the whole address from the address bar and paste it here."
    )
    pasted = st.text_input(
        "Address you were sent to",
        placeholder="https://localhost:8501/?code=…&state=…",
        key="paste_address",
    )
    if st.button("Finish connecting", key="finish_connecting", disabled=not pasted.strip()):
        try:
            connections.complete(parse_callback_url(pasted))
        except CallbackError as exc:
            st.error(exc.user_message)
        else:
            st.session_state.pop(keys.AUTHORIZE_URL, None)
            st.session_state[keys.FLASH] = ("success", "FreshBooks is connected.")
            st.rerun()
