"""Settings: the connection, the business, the chat model, and the audit log."""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from copilot.scopes import unavailable
from fbclient import FreshBooksError
from ui import keys
from ui.context import current_context, disconnect, get_runtime, owner
from ui.errors import show_error
from ui.login import auth_configured
from ui.scopes import reconnect_button

runtime = get_runtime()
settings = runtime.settings
st.title("Settings")

st.subheader("FreshBooks connection")
try:
    ctx = current_context(runtime)
except FreshBooksError as exc:
    show_error(exc)
    ctx = None

if runtime.demo is not None:
    st.write("**Demo mode**: the app runs on the built-in sandbox with a seeded demo business.")
    st.caption(
        "To connect your own FreshBooks account, set FRESHBOOKS_CLIENT_ID and "
        "FRESHBOOKS_CLIENT_SECRET (environment or .streamlit/secrets.toml) and restart."
    )
    if auth_configured(settings):
        st.caption(
            "Everyone who logs in sees this same demo business (a reset resets it for all); "
            "chat history and the audit log are each person's own."
        )
    if st.button("Reset the demo data", help="Throws away changes and seeds the demo again"):
        runtime.reset_demo()
        st.success("The demo business was reset.")
elif ctx is not None:
    st.write(f"Connected as **{ctx.identity.display_name}** ({ctx.identity.email or 'no email'}).")
    if st.button("Disconnect FreshBooks", type="secondary"):
        disconnect(runtime)
        st.rerun()
    grant = ctx.fb.grant()
    off = unavailable(grant)
    if not grant.known:
        st.caption(
            "FreshBooks did not say which scopes it granted; a page says so if one is missing."
        )
    elif off:
        st.write("**Turned off by the scopes your FreshBooks app granted:**")
        for _feature, sentence in off:
            st.markdown(f"- {sentence}")
        wanted = [scope for item, _ in off for scope in item.missing(grant)]
        reconnect_button(runtime, wanted, key="reconnect-settings")
    else:
        st.caption("Every feature is available with the scopes your FreshBooks app granted.")
    if grant.scopes:
        with st.expander("Scopes granted"):
            st.write(" ".join(f"`{s}`" for s in sorted(grant.scopes)))
else:
    st.write("Not connected.")
    st.page_link("pages/connect.py", label="Connect FreshBooks", icon="🔌")

if ctx is not None:
    st.subheader("Business")
    rows = [
        {
            "Business": b.name,
            "Role": b.role.replace("_", " "),
            "Accounting": "yes" if b.has_accounting else "no (projects and time only)",
            "Can change records": "yes" if b.can_write else "no",
            "Current": "●" if b.business_id == ctx.business.business_id else "",
        }
        for b in ctx.identity.businesses
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption("Switch business in the sidebar.")

st.subheader("Chat model")
if settings.chat_enabled:
    where = urlparse(settings.openai_base_url).netloc if settings.openai_base_url else "OpenAI"
    st.write(f"Model **{settings.copilot_model}** at **{where}**.")
    st.toggle(
        "Read-only assistant",
        key=keys.READ_ONLY,
        help="When on, the assistant can only look things up: it cannot even propose changes.",
    )
else:
    st.write(
        "The chat assistant is off: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (any "
        "OpenAI-compatible server such as Ollama, vLLM or llama.cpp), then restart."
    )

st.subheader("Assistants (MCP)")
st.write(
    "Claude, ChatGPT, Cursor, VS Code and other assistants can use these books through the MCP "
    'server (`make mcp`; README: "Assistants over MCP"), with the same confirmations and audit '
    "log. Over HTTP each assistant needs a token made here; revoke it to cut it off."
)
who = owner()
made = st.session_state.pop(keys.MCP_TOKEN_MADE, None)
if made is not None:
    st.success(f"Token “{made[0]}” made. Copy it now: it is not shown again.")
    st.code(made[1], language=None)
with st.form("mcp-token", clear_on_submit=True, border=False):
    name = st.text_input("Name", placeholder="e.g. Claude Desktop on my laptop", max_chars=100)
    if st.form_submit_button("Make a token"):
        try:
            st.session_state[keys.MCP_TOKEN_MADE] = (
                name.strip(),
                runtime.mcp_tokens.create(who, name),
            )
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.rerun()
for token in runtime.mcp_tokens.tokens(who):
    line, action = st.columns([5, 1], vertical_alignment="center")
    used = f"last used {token.last_used_at:%d %b %Y, %H:%M}" if token.last_used_at else "never used"
    state = "revoked" if token.revoked else used
    line.markdown(f"**{token.name}** · made {token.created_at:%d %b %Y} · {state}")
    if not token.revoked and action.button("Revoke", key=f"mcp-revoke-{token.id}"):
        runtime.mcp_tokens.revoke(who, token.id)
        st.rerun()

if ctx is not None:
    st.subheader("Audit log")
    st.page_link(
        "pages/audit.py", label="See and export every change made through the app", icon="📜"
    )
