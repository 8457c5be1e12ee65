"""Connect FreshBooks: the button, and the paste-the-address fallback."""

from __future__ import annotations

import streamlit as st

from copilot.connection import CallbackError, ConnectionService, ScopeRefused, parse_callback_url
from copilot.scopes import DEVELOPER_PAGE, ESSENTIAL_SCOPES, fewer_scopes, used_for
from fbclient.scopes import PROFILE_READ
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


def offer_fewer_scopes(connections: ConnectionService, asked: tuple[str, ...]) -> None:
    """FreshBooks refused the scopes asked for (invalid_scope): name them, offer fewer."""
    with st.container(border=True):
        st.subheader("FreshBooks refused the scopes asked for")
        st.write(
            "Your FreshBooks app does not have every scope this app asked for. Connect with "
            "fewer, or tick the missing ones on the "
            f"[FreshBooks developer page]({DEVELOPER_PAGE}) and connect again."
        )
        st.dataframe(
            [{"Scope asked for": s, "Used for": used_for(s) or "nothing yet"} for s in asked],
            hide_index=True,
            width="stretch",
        )
        chosen = st.multiselect(
            "Scopes to ask for",
            options=list(dict.fromkeys([*asked, *ESSENTIAL_SCOPES])),
            default=list(fewer_scopes(asked)),
            key="fewer-scopes",
        )
        if PROFILE_READ not in chosen:
            st.warning(f"Keep {PROFILE_READ}: without it the app cannot see your businesses.")
            return
        scopes = tuple(chosen)
        links = st.session_state.setdefault(keys.RECONNECT_URLS, {})
        if scopes not in links:
            links[scopes] = (connections.start(owner(), scopes), 0.0)
        st.link_button("Connect with these scopes", links[scopes][0], type="primary")
        st.caption("What a left-out scope turns off says so on its page, with how to add it.")


refused = st.session_state.get(keys.SCOPE_REFUSED)
if refused:
    offer_fewer_scopes(connections, tuple(refused))

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
        except ScopeRefused as exc:
            st.session_state[keys.SCOPE_REFUSED] = exc.asked
            st.session_state[keys.FLASH] = ("error", exc.user_message)
            st.session_state.pop(keys.AUTHORIZE_URL, None)
            st.rerun()
        except CallbackError as exc:
            st.error(exc.user_message)
            # The attempt spent the link's single-use state: a fresh link, not a loop of errors.
            st.session_state.pop(keys.AUTHORIZE_URL, None)
        else:
            st.session_state.pop(keys.AUTHORIZE_URL, None)
            st.session_state.pop(keys.SCOPE_REFUSED, None)
            st.session_state[keys.FLASH] = ("success", "FreshBooks is connected.")
            st.rerun()

if keys.AUTHORIZE_URL not in st.session_state:
    st.session_state[keys.AUTHORIZE_URL] = connections.start(owner())
link.link_button(
    "Connect FreshBooks" if not refused else "Ask for every scope again",
    st.session_state[keys.AUTHORIZE_URL],
    type="primary" if not refused else "secondary",
)
