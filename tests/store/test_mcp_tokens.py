"""MCP bearer tokens: shown once, stored hashed, per owner, revocable; the audit log's channel."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent.audit import StoreAudit
from store.audit import recent_audit
from store.db import make_sessions
from store.mcp_tokens import PREFIX, McpTokenStore
from store.schema import McpToken


def test_a_token_names_its_owner_until_revoked(store_engine):
    tokens = McpTokenStore(make_sessions(store_engine))
    alice = tokens.create("alice", "  Claude   Desktop ")
    bob = tokens.create("bob", "Cursor")
    assert alice.startswith(PREFIX)
    assert alice != bob
    assert tokens.owner_of(alice) == "alice"
    assert tokens.owner_of(bob) == "bob"
    (info,) = tokens.tokens("alice")
    assert info.name == "Claude Desktop"
    assert info.last_used_at is not None  # the lookup above used it
    assert not tokens.revoke("bob", info.id)  # not bob's
    assert tokens.owner_of(alice) == "alice"
    assert tokens.revoke("alice", info.id)
    assert not tokens.revoke("alice", info.id)  # already revoked
    assert tokens.owner_of(alice) is None
    assert tokens.tokens("alice")[0].revoked
    assert tokens.owner_of(bob) == "bob"


def test_only_a_hash_is_stored_and_wrong_tokens_name_nobody(store_engine):
    sessions = make_sessions(store_engine)
    tokens = McpTokenStore(sessions)
    token = tokens.create("alice", "VS Code")
    with sessions() as session:
        stored = session.scalars(select(McpToken.token_hash)).one()
    assert token not in stored
    assert len(stored) == 64
    for wrong in ("", token[:-1], token + "x", token.removeprefix(PREFIX), stored):
        assert tokens.owner_of(wrong) is None


def test_a_token_needs_a_name(store_engine):
    with pytest.raises(ValueError, match="Give the token a name"):
        McpTokenStore(make_sessions(store_engine)).create("alice", "   ")


def test_the_audit_log_says_where_a_write_was_asked_for(store_engine):
    sessions = make_sessions(store_engine)
    StoreAudit(sessions, "alice", "acct").record("create_client", {}, {}, "ok", "from the chat")
    StoreAudit(sessions, "alice", "acct", channel="mcp", client="claude-ai").record(
        "log_time", {}, {}, "ok", "from Claude"
    )
    entries = recent_audit(sessions, "alice", "acct")
    assert [(e["channel"], e["client"]) for e in entries] == [("mcp", "claude-ai"), ("app", None)]
