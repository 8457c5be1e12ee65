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


def offer_retry(text: str) -> None:
    """Connected, but FreshBooks did not answer: say so and let the user ask again."""
    st.info(text)
    if st.button("Try again", key="connect-retry", type="primary"):
        st.rerun()


connections = runtime.connections
if connections is None:
    # The demo is always connected: this page shows only when its business could not be read.
    offer_retry(
        "Demo mode is on: the app is connected to the built-in demo business, but it could "
        "not be loaded just now (see the message above)."
    )
    st.stop()
if connections.is_connected(owner()):
    # A FreshBooks hiccup is not a reason to sign in again; a revoked connection says so above.
    offer_retry(
        "Your FreshBooks account is connected, but it could not be loaded just now (see the "
        "message above). Try again in a moment; connect again only if the message asks you to."
    )

link = st.empty()  # filled below, once a failed paste has had its say about the link
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
            connections.complete(parse_callback_url(pasted), expected_owner=owner())
        except CallbackError as exc:
            st.error(exc.user_message)
            # The attempt spent the link's single-use state: a fresh link, not a loop of errors.
            st.session_state.pop(keys.AUTHORIZE_URL, None)
        else:
            st.session_state.pop(keys.AUTHORIZE_URL, None)
            st.session_state[keys.FLASH] = ("success", "FreshBooks is connected.")
            st.rerun()

if keys.AUTHORIZE_URL not in st.session_state:
    st.session_state[keys.AUTHORIZE_URL] = connections.start(owner())
link.link_button("Connect FreshBooks", st.session_state[keys.AUTHORIZE_URL], type="primary")
