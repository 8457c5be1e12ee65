"""Settings → Assistants (MCP): make a named token (shown once), see it listed, revoke it."""

from __future__ import annotations

from store.db import make_engine, make_sessions
from store.mcp_tokens import PREFIX, McpTokenStore


def test_make_show_once_and_revoke_a_token(app, data_dir):
    at = app().run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    name = next(t for t in at.text_input if t.label == "Name")
    name.set_value("Claude Desktop")
    next(b for b in at.button if b.label == "Make a token").click().run()
    assert not at.exception
    shown = [c.value for c in at.code if c.value.startswith(PREFIX)]
    assert len(shown) == 1
    token = shown[0]
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    store = McpTokenStore(make_sessions(engine))
    assert store.owner_of(token) == "local"
    at.run()  # shown once: the next run no longer has it
    assert not [c for c in at.code if c.value.startswith(PREFIX)]
    assert any("**Claude Desktop**" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Revoke").click().run()
    assert not at.exception
    assert any("revoked" in m.value for m in at.markdown if "Claude Desktop" in m.value)
    assert store.owner_of(token) is None
    engine.dispose()


def test_a_token_without_a_name_is_refused_with_a_sentence(app):
    at = app().run()
    at.switch_page("pages/settings.py").run()
    next(b for b in at.button if b.label == "Make a token").click().run()
    assert not at.exception
    assert "Give the token a name" in at.error[0].value
