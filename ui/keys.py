"""Every ``st.session_state`` key the app uses, named in one place."""

from __future__ import annotations

OWNER = "copilot.owner"
CLIENT_OWNER = "copilot.connection_seen"
IDENTITY = "copilot.identity"
BUSINESS_ID = "copilot.business_id"
AUTHORIZE_URL = "copilot.authorize_url"
FLASH = "copilot.flash"
CHAT = "copilot.chat"  # account key -> Conversation dict
READ_ONLY = "copilot.read_only"
CHAT_USAGE = "copilot.chat_usage"
CHAT_NOTICES = "copilot.chat_notices"  # outcomes of the last Confirm/Cancel, shown after rerun
ROUTED = "copilot.routed"  # this session already left Streamlit's pages-folder mode
RECONNECT_URLS = "copilot.reconnect_urls"  # scopes asked for -> (authorize URL, issued at)
SCOPE_REFUSED = "copilot.scope_refused"  # the scopes FreshBooks refused (invalid_scope)
MCP_TOKEN_MADE = "copilot.mcp_token_made"  # (name, token) just made: shown once, then gone
CHASE_CARD = "copilot.chase_card"  # the reminder waiting for Confirm: (arguments, card dict)
RECEIPTS = "copilot.receipts"  # file digest -> (held receipt id or None, Reading)
RECEIPT_CARD = "copilot.receipt_card"  # the receipt waiting for Confirm: (digest, args, card)
