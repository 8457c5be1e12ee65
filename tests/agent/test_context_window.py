"""The history kept within the model's context, results cut to fit, and a cut prompt noticed."""

from __future__ import annotations

import json

import pytest

from agent.budget import ContextBudget
from agent.fit import fit_result
from agent.loop import Agent, Conversation, PromptCut, ToolStarted, TurnFinished
from agent.model import Usage
from agent.tokens import estimate_tokens
from agent.window import fit_history

from ..support.fake_model import FakeChatModel, tool_call
from ..support.turns import assert_valid_history, of_type, run


def turn(n: int, size: int = 600) -> list[dict]:
    """A finished turn with a read: user, assistant call, tool result, answer."""
    call = {"id": f"c{n}", "type": "function", "function": {"name": "get_note", "arguments": "{}"}}
    return [
        {"role": "user", "content": f"question {n} " + "q" * size},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": f"c{n}", "content": "r" * size},
        {"role": "assistant", "content": f"answer {n}"},
    ]


def test_the_oldest_turns_are_left_out_first_and_counted():
    messages = [m for n in range(10) for m in turn(n)]
    window, left_out = fit_history(messages, budget=2_000)
    assert window[0]["role"] == "user"
    assert window[-1] == messages[-1]
    assert left_out == len(messages) - len(window) > 0
    assert sum(estimate_tokens(m) + 1 for m in window) <= 2_000
    assert_valid_history(window)  # no call without its result, no result without its call


def test_the_latest_turn_and_a_waiting_write_are_always_sent():
    waiting = turn(0, size=3000)
    waiting[-1] = {"role": "user", "content": "and this?"}  # the card's turn goes on
    window, _ = fit_history(waiting, budget=100, awaiting={"c0"})
    assert any(c["id"] == "c0" for m in window for c in m.get("tool_calls") or [])
    assert window[-1]["content"] == "and this?"


def test_a_long_latest_turn_loses_its_oldest_steps_not_the_last():
    messages = turn(0)[:1]
    for n in range(6):
        messages += turn(n, size=900)[1:3]
    window, left_out = fit_history(messages, budget=1_000)
    assert window[0] == messages[0]  # the question stays
    assert window[-2:] == messages[-2:]  # and the last step
    assert left_out > 0
    assert_valid_history(window)


def test_the_system_prompt_says_how_many_messages_were_left_out(registry, audit, ctx):
    model = FakeChatModel([["ok"]])
    agent = Agent(model, registry, audit=audit, context_tokens=4096)
    convo = Conversation(messages=[m for n in range(12) for m in turn(n)])
    run(agent.send(convo, ctx, "latest"))
    system, *history = model.received[0]
    assert "earlier messages of this conversation were left out" in system["content"]
    assert "Doe Design" in system["content"]  # the system prompt itself is whole
    sent = estimate_tokens(model.received[0]) + estimate_tokens(model.tools_seen[0])
    assert sent + ContextBudget(4096).answer_tokens <= 4096
    assert history[-1]["content"] == "latest"


def test_a_large_result_keeps_its_first_rows_and_says_how_to_see_more():
    result = {"count": 200, "rows": [{"id": n, "name": "x" * 40} for n in range(200)]}
    text = fit_result(result, 2_000)
    assert len(text) <= 2_000
    fitted = json.loads(text)
    assert fitted["count"] == 200
    assert fitted["rows"][0] == result["rows"][0]
    assert 0 < len(fitted["rows"]) < 200
    assert "narrow the query" in fitted["note"]


def test_a_result_without_rows_is_replaced_by_an_error_with_a_prefix():
    text = fit_result({"text": "y" * 10_000}, 1_000)
    assert len(text) <= 1_000
    assert json.loads(text)["error"] == "result_too_large"


def test_results_are_cut_to_a_share_of_the_context(registry, audit, ctx, notes):
    notes.notes[1] = "z" * 20_000
    model = FakeChatModel([[tool_call("get_note", {"note_id": 1}, "c1")], ["ok"]])
    agent = Agent(model, registry, audit=audit, context_tokens=4096)
    convo = Conversation()
    run(agent.send(convo, ctx, "read note 1"))
    content = convo.messages[2]["content"]
    assert len(content) <= ContextBudget(4096).result_chars
    assert "narrow" in json.loads(content)["message"]


@pytest.mark.parametrize("read", [10, 400])
def test_a_server_that_read_far_less_than_was_sent_stops_the_turn(registry, audit, ctx, read):
    step = [tool_call("add_note", {"text": "x"}, "c1"), Usage(read, 5)]
    model = FakeChatModel([step])
    agent = Agent(model, registry, audit=audit, prompt=lambda _ctx: "rules " * 1_000)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "add a note"))
    (cut,) = of_type(events, PromptCut)
    assert cut.read == read
    assert cut.sent > 2 * read
    assert f"about {read:,} of" in cut.message
    assert "OLLAMA_CONTEXT_LENGTH" in cut.message
    assert "num_ctx" in cut.message
    assert "COPILOT_MODEL_CONTEXT" in cut.message
    assert not of_type(events, ToolStarted)  # nothing the model asked for ran
    assert convo.messages == [{"role": "user", "content": "add a note"}]
    assert not convo.pending


def test_a_server_that_read_what_was_sent_is_not_an_alarm(registry, audit, ctx):
    model = FakeChatModel([["fine", Usage(1_900, 5)]])
    agent = Agent(model, registry, audit=audit, prompt=lambda _ctx: "rules " * 1_000)
    events = run(agent.send(Conversation(), ctx, "hi"))
    assert isinstance(events[-1], TurnFinished)
    assert not of_type(events, PromptCut)
