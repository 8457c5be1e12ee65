"""A setting the app cannot use is a sentence on the page, never a traceback."""

from __future__ import annotations


def test_a_bad_model_context_is_a_sentence_not_a_traceback(app, monkeypatch):
    monkeypatch.setenv("COPILOT_MODEL_CONTEXT", "plenty")
    at = app().run()
    assert not at.exception
    message = at.error[0].value
    assert "COPILOT_MODEL_CONTEXT" in message
    assert "whole number" in message
