"""The chat page when the model server cut the prompt: a warning with what to change, no
traceback, and the conversation kept for the next try."""

from __future__ import annotations

import agent.model
from agent.model import Usage

from ..support.fake_model import FakeChatModel, tool_call


def test_a_cut_prompt_is_a_warning_and_nothing_runs(app, monkeypatch):
    # The server says it read 200 tokens of a first request of about 2,700.
    model = FakeChatModel([[tool_call("business_summary", {}), Usage(200, 5)], ["Hello."]])
    monkeypatch.setattr(agent.model, "model_from_settings", lambda _settings: model)
    at = app().run()
    at.switch_page("pages/chat.py").run()
    at.chat_input[0].set_value("Who owes me money?").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("cut the prompt" in w and "OLLAMA_CONTEXT_LENGTH" in w for w in warnings), warnings
    assert "COPILOT_MODEL_CONTEXT" in " ".join(warnings)
    assert not at.status  # the model's tool call did not run
    assert model.calls == 1
    # The question stays in the chat; the next message goes on from there.
    assert "Who owes me money?" in [m.value for m in at.markdown]
    at.chat_input[0].set_value("Try again").run()
    assert not at.exception
    assert "Hello." in [m.value for m in at.markdown]
    assert [m["content"] for m in model.received[1] if m["role"] == "user"] == [
        "Who owes me money?",
        "Try again",
    ]
