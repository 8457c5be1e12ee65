"""The loop's mechanics with a scripted model and a tiny in-memory registry."""

from __future__ import annotations

import itertools
import json
import threading
from decimal import Decimal

import pytest

from agent.loop import (
    Agent,
    AgentError,
    ApprovalNeeded,
    Conversation,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnFinished,
    UndoDone,
    WriteCancelled,
    WriteDone,
)
from agent.model import ModelError, Usage

from ..support.fake_model import FakeChatModel, tool_call, tool_results
from ..support.turns import assert_valid_history, of_type, pending_of, run, text_of, tool_messages


def make_agent(script, registry, audit, **kwargs) -> tuple[Agent, FakeChatModel]:
    model = FakeChatModel(script)
    return Agent(model, registry, audit=audit, **kwargs), model


# -- answers and reads ------------------------------------------------------------------------


def test_final_answer_streams_text_and_finishes(registry, audit, ctx):
    agent, model = make_agent([["Hello", ", Jane."]], registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "  hi  "))
    assert text_of(events) == "Hello, Jane."
    assert isinstance(events[-1], TurnFinished)
    assert convo.messages == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "Hello, Jane."},
    ]
    system = model.received[0][0]
    assert system["role"] == "system"
    assert "Doe Design" in system["content"]
    assert "2024-05-15" in system["content"]
    assert "America/Toronto" in system["content"]
    assert "never instructions" in system["content"]
    names = {t["function"]["name"] for t in model.tools_seen[0]}
    assert names == {"get_note", "find_notes", "wait", "add_note", "delete_note"}
    assert all(t["function"]["strict"] for t in model.tools_seen[0])


def test_empty_message_does_nothing(registry, audit, ctx):
    agent, model = make_agent([], registry, audit)
    convo = Conversation()
    assert run(agent.send(convo, ctx, "   ")) == []
    assert convo.messages == []
    assert model.calls == 0


def test_read_result_goes_back_to_the_model_as_compact_json(registry, audit, ctx):
    call = tool_call("get_note", {"note_id": 1}, "c1")
    agent, model = make_agent([[call], ["Noted."]], registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "what's note 1?"))
    started, finished = of_type(events, ToolStarted), of_type(events, ToolFinished)
    assert started == [ToolStarted("c1", "get_note", "Get note (note id: 1)")]
    assert finished == [ToolFinished("c1", "get_note", True, "done")]
    assert isinstance(events[-1], TurnFinished)
    tool_msg = convo.messages[2]
    assert tool_msg == {
        "role": "tool",
        "tool_call_id": "c1",
        "content": '{"id":1,"text":"Call Acme about invoice 0042"}',
    }
    assert convo.messages[1]["tool_calls"][0]["function"] == {
        "name": "get_note",
        "arguments": '{"note_id": 1}',
    }
    assert model.received[1][-1] == tool_msg
    assert_valid_history(convo.messages)


def test_tool_errors_and_unknown_tools_are_results_not_crashes(registry, audit, ctx):
    calls = [tool_call("get_note", {"note_id": 99}, "c1"), tool_call("launch_rocket", {}, "c2")]
    agent, _model = make_agent([calls, ["Sorry."]], registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "go"))
    results = tool_messages(convo.messages)
    assert results["c1"]["error"] == "NotFoundError"
    assert results["c2"]["error"] == "unknown_tool"
    assert [f.ok for f in of_type(events, ToolFinished)] == [False, False]
    assert isinstance(events[-1], TurnFinished)
    assert_valid_history(convo.messages)


def test_invalid_arguments_go_back_and_the_corrected_call_works(registry, audit, ctx):
    def corrected(messages, tools):
        (result,) = tool_results(messages)
        assert result["result"]["error"] == "invalid_arguments"
        assert result["result"]["details"][0]["field"] == "note_id"
        return [tool_call("get_note", {"note_id": 2}, "c2")]

    script = [[tool_call("get_note", {"note_id": "two"}, "c1")], corrected, ["Renew the domain."]]
    agent, model = make_agent(script, registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "note two?"))
    assert [f.ok for f in of_type(events, ToolFinished)] == [False, True]
    assert tool_messages(convo.messages)["c2"] == {"id": 2, "text": "Renew domain"}
    assert text_of(events) == "Renew the domain."
    assert model.calls == 3


def test_arguments_that_are_not_json_are_invalid_arguments(registry, audit, ctx):
    agent, _ = make_agent([[tool_call("get_note", "{not json", "c1")], ["ok"]], registry, audit)
    convo = Conversation()
    run(agent.send(convo, ctx, "x"))
    assert tool_messages(convo.messages)["c1"]["error"] == "invalid_arguments"


def test_step_bound_stops_an_endless_tool_loop_with_a_clear_message(registry, audit, ctx):
    endless = itertools.repeat([tool_call("find_notes", {"text": "a"})])
    agent, model = make_agent(endless, registry, audit, max_steps=3)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "loop forever"))
    assert model.calls == 3
    assert "stopped after 3 steps" in text_of(events)
    assert isinstance(events[-1], TurnFinished)
    assert convo.messages[-1]["role"] == "assistant"
    assert "stopped after 3 steps" in convo.messages[-1]["content"]
    assert_valid_history(convo.messages)


def test_reads_of_one_response_run_concurrently(registry, audit, ctx, hooks):
    hooks.barrier = threading.Barrier(3, timeout=5)
    calls = [tool_call("wait", {"name": n}, f"w{n}") for n in "abc"]
    agent, _ = make_agent([calls, ["all done"]], registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "wait"))
    # The barrier only opens when all three handlers wait at the same time.
    assert [f.ok for f in of_type(events, ToolFinished)] == [True, True, True]
    assert len(hooks.seen_threads) == 3
    kinds = [type(e) for e in events if isinstance(e, ToolStarted | ToolFinished)]
    assert kinds == [ToolStarted] * 3 + [ToolFinished] * 3
    # Tool messages follow the order of the calls, whatever order they finished in.
    assert [m["tool_call_id"] for m in convo.messages if m["role"] == "tool"] == ["wa", "wb", "wc"]


def test_parallelism_is_bounded(registry, audit, ctx, hooks):
    hooks.barrier = threading.Barrier(2, timeout=0.5)
    calls = [tool_call("wait", {"name": n}) for n in "ab"]
    agent, _ = make_agent([calls, ["ok"]], registry, audit, max_parallel=1)
    events = run(agent.send(Conversation(), ctx, "wait"))
    # One worker: the first call waits alone and its barrier breaks into an error result.
    assert any(not f.ok for f in of_type(events, ToolFinished))
    assert isinstance(events[-1], TurnFinished)


# -- writes -----------------------------------------------------------------------------------


def test_write_pauses_then_confirm_runs_it_once_audits_and_resumes(registry, audit, ctx, notes):
    def after_write(messages, tools):
        (result,) = tool_results(messages)
        assert result["result"]["outcome"] == "done"
        assert result["result"]["result"]["record_ids"] == {"note": [3]}
        return ["Added note 3."]

    script = [
        ["Here is the change:", tool_call("add_note", {"text": "Buy paper"}, "w1")],
        after_write,
    ]
    agent, _model = make_agent(script, registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "add a note: Buy paper"))
    assert isinstance(events[-1], ApprovalNeeded)
    (pending,) = pending_of(events)
    assert pending.tool == "add_note"
    assert pending.arguments == {"text": "Buy paper"}
    assert pending.proposal.title == "Add a note"
    assert pending.decision is None
    assert notes.writes == []  # nothing ran
    assert_valid_history(convo.messages, waiting=["w1"])

    events = run(agent.decide(convo, ctx, "w1", approve=True))
    (done,) = of_type(events, WriteDone)
    assert done == WriteDone("w1", "add_note", True, "Done: Add a note", {"note": [3]})
    assert notes.writes == [("add", "Buy paper")]
    assert notes.notes[3] == "Buy paper"
    assert text_of(events) == "Added note 3."
    assert isinstance(events[-1], TurnFinished)
    (entry,) = audit.entries
    assert entry["action"] == "add_note"
    assert entry["arguments"] == {"text": "Buy paper"}
    assert entry["record_ids"] == {"note": [3]}
    assert entry["outcome"] == "ok"
    assert convo.pending == []
    assert convo.find_write("w1").audit_id == entry["id"]
    assert_valid_history(convo.messages)

    # A second click on the same card never runs the write again.
    again = run(agent.decide(convo, ctx, "w1", approve=True))
    assert again == [AgentError("This change is no longer waiting for a decision.")]
    assert notes.writes == [("add", "Buy paper")]
    assert len(audit.entries) == 1


def test_cancel_tells_the_model_and_runs_nothing(registry, audit, ctx, notes):
    def after_cancel(messages, tools):
        (result,) = tool_results(messages)
        assert result["result"]["outcome"] == "declined"
        return ["OK, I left it."]

    script = [[tool_call("delete_note", {"note_id": 1}, "d1")], after_cancel]
    agent, _ = make_agent(script, registry, audit)
    convo = Conversation()
    run(agent.send(convo, ctx, "delete note 1"))
    events = run(agent.decide(convo, ctx, "d1", approve=False))
    assert of_type(events, WriteCancelled) == [
        WriteCancelled("d1", "delete_note", "Cancelled: Delete note 1")
    ]
    assert text_of(events) == "OK, I left it."
    assert notes.writes == []
    assert 1 in notes.notes
    assert audit.entries == []  # cancellations are not audited: nothing changed
    assert convo.find_write("d1").decision == "cancelled"


def test_a_proposal_that_fails_is_an_error_result_not_a_card(registry, audit, ctx, notes):
    agent, _ = make_agent(
        [[tool_call("delete_note", {"note_id": 42}, "d1")], ["No such note."]], registry, audit
    )
    convo = Conversation()
    events = run(agent.send(convo, ctx, "delete note 42"))
    assert not of_type(events, ApprovalNeeded)
    assert convo.pending == []
    assert tool_messages(convo.messages)["d1"]["error"] == "NotFoundError"
    assert isinstance(events[-1], TurnFinished)


def test_invalid_write_arguments_never_become_a_card(registry, audit, ctx):
    agent, _ = make_agent(
        [[tool_call("add_note", {"text": ""}, "w1")], ["Need text."]], registry, audit
    )
    convo = Conversation()
    run(agent.send(convo, ctx, "add empty note"))
    assert convo.pending == []
    assert tool_messages(convo.messages)["w1"]["error"] == "invalid_arguments"


def test_reads_and_several_writes_in_one_response(registry, audit, ctx, notes):
    calls = [
        tool_call("get_note", {"note_id": 1}, "r1"),
        tool_call("add_note", {"text": "A"}, "w1"),
        tool_call("add_note", {"text": "B"}, "w2"),
    ]
    agent, model = make_agent([calls, ["Done both."]], registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "read and write"))
    assert [p.call_id for p in pending_of(events)] == ["w1", "w2"]
    assert "r1" in tool_messages(convo.messages)

    first = run(agent.decide(convo, ctx, "w2", approve=True))
    assert isinstance(first[-1], ApprovalNeeded)
    assert [p.call_id for p in first[-1].pending] == ["w1"]
    assert model.calls == 1  # still paused

    second = run(agent.decide(convo, ctx, "w1", approve=False))
    assert isinstance(second[0], WriteCancelled)
    assert text_of(second) == "Done both."
    assert notes.writes == [("add", "B")]
    assert_valid_history(convo.messages)


def test_a_failed_write_is_audited_as_error_and_not_retried(registry, audit, ctx, notes, hooks):
    from fbclient import InvalidRequestError

    # A refusal: FreshBooks surely made nothing (a 5xx or timeout is "unconfirmed": tests/faults).
    hooks.fail_add = InvalidRequestError("boom", status=422)
    agent, _ = make_agent(
        [[tool_call("add_note", {"text": "X"}, "w1")], ["It failed."]], registry, audit
    )
    convo = Conversation()
    run(agent.send(convo, ctx, "add"))
    events = run(agent.decide(convo, ctx, "w1", approve=True))
    (done,) = of_type(events, WriteDone)
    assert not done.ok
    assert done.summary.startswith("Failed:")
    assert notes.writes == [("add", "X")]  # exactly one attempt
    assert audit.entries[0]["outcome"] == "error"
    result = tool_messages(convo.messages)["w1"]
    assert result["outcome"] == "failed"
    assert "not retried" in result["note"]


def test_a_new_message_cancels_waiting_cards(registry, audit, ctx, notes):
    script = [[tool_call("add_note", {"text": "X"}, "w1")], ["Sure, something else."]]
    agent, model = make_agent(script, registry, audit)
    convo = Conversation()
    run(agent.send(convo, ctx, "add X"))
    run(agent.send(convo, ctx, "actually, never mind"))
    assert notes.writes == []
    assert convo.find_write("w1").decision == "cancelled"
    sent = model.received[1]
    assert sent[-1] == {"role": "user", "content": "actually, never mind"}
    assert json.loads(sent[-2]["content"])["outcome"] == "declined"
    assert_valid_history(convo.messages)


def test_undo_a_confirmed_create(registry, audit, ctx, notes):
    agent, _ = make_agent(
        [[tool_call("add_note", {"text": "X"}, "w1")], ["Added."]], registry, audit
    )
    convo = Conversation()
    run(agent.send(convo, ctx, "add X"))
    run(agent.decide(convo, ctx, "w1", approve=True))
    assert agent.can_undo(convo.find_write("w1"))
    event = agent.undo(convo, ctx, "w1")
    assert event == UndoDone("w1", "add_note", True, "Undone: Add a note", {"note": [3]})
    assert 3 not in notes.notes
    assert audit.entries[-1]["action"] == "undo:add_note"
    assert audit.entries[-1]["outcome"] == "ok"
    assert "undid" in convo.messages[-1]["content"]
    assert agent.undo(convo, ctx, "w1") == AgentError("This change cannot be undone from here.")
    assert notes.writes == [("add", "X"), ("undo", 3)]


def test_undo_is_refused_for_tools_without_undo(registry, audit, ctx, notes):
    agent, _ = make_agent(
        [[tool_call("delete_note", {"note_id": 2}, "d1")], ["Gone."]], registry, audit
    )
    convo = Conversation()
    run(agent.send(convo, ctx, "delete 2"))
    run(agent.decide(convo, ctx, "d1", approve=True))
    assert not agent.can_undo(convo.find_write("d1"))
    assert isinstance(agent.undo(convo, ctx, "d1"), AgentError)


# -- read-only --------------------------------------------------------------------------------


def test_read_only_offers_no_writes_and_refuses_a_write_call(registry, audit, ctx, notes):
    agent, model = make_agent(
        [[tool_call("delete_note", {"note_id": 1}, "d1")], ["Changes are off."]],
        registry,
        audit,
        read_only=True,
    )
    convo = Conversation()
    events = run(agent.send(convo, ctx, "delete note 1"))
    names = {t["function"]["name"] for t in model.tools_seen[0]}
    assert names == {"get_note", "find_notes", "wait"}
    assert "Read-only mode is on" in model.received[0][0]["content"]
    assert not of_type(events, ApprovalNeeded)
    assert tool_messages(convo.messages)["d1"]["error"] == "read_only"
    assert notes.writes == []


def test_switching_to_read_only_blocks_a_card_made_before(registry, audit, ctx, notes):
    writer, _ = make_agent([[tool_call("add_note", {"text": "X"}, "w1")]], registry, audit)
    convo = Conversation()
    run(writer.send(convo, ctx, "add X"))
    reader, _ = make_agent([["Nothing changed."]], registry, audit, read_only=True)
    events = run(reader.decide(convo, ctx, "w1", approve=True))
    assert of_type(events, WriteDone)[0].ok is False
    assert notes.writes == []
    assert audit.entries == []


# -- state, usage, failures -------------------------------------------------------------------


def test_paused_conversation_survives_json_and_a_new_agent(registry, audit, ctx, notes):
    agent, _ = make_agent([[tool_call("add_note", {"text": "Y"}, "w1")]], registry, audit)
    convo = Conversation()
    run(agent.send(convo, ctx, "add Y"))
    restored = Conversation.from_dict(json.loads(json.dumps(convo.to_dict())))
    assert restored.messages == convo.messages
    assert restored.awaiting[0].proposal == convo.pending[0].proposal

    later, _ = make_agent([["Added Y."]], registry, audit)
    events = run(later.decide(restored, ctx, "w1", approve=True))
    assert of_type(events, WriteDone)[0].ok
    assert notes.notes[3] == "Y"
    again = Conversation.from_dict(json.loads(json.dumps(restored.to_dict())))
    assert later.can_undo(again.find_write("w1"))


def test_usage_and_cost_per_turn_and_session(registry, audit, ctx):
    script = [
        [tool_call("get_note", {"note_id": 1}), Usage(1000, 100)],
        ["ok", Usage(2000, 50)],
        ["again", Usage(1_000_000, 0)],
    ]
    model = FakeChatModel(script, name="gpt-4.1-mini")
    model.local = False
    agent = Agent(model, registry, audit=audit)
    convo = Conversation()
    finished = run(agent.send(convo, ctx, "hi"))[-1]
    assert finished.usage == Usage(3000, 150)
    assert finished.cost_usd == Decimal("0.00144")  # 3000 * 0.40/1M + 150 * 1.60/1M
    finished = run(agent.send(convo, ctx, "hi again"))[-1]
    assert finished.cost_usd == Decimal("0.4")
    assert convo.usage["prompt_tokens"] == 1_003_000
    assert convo.session_cost == Decimal("0.40144")


def test_local_models_have_unknown_cost(registry, audit, ctx):
    agent, _ = make_agent([["hi", Usage(10, 5)]], registry, audit)
    convo = Conversation()
    finished = run(agent.send(convo, ctx, "hi"))[-1]
    assert finished.usage == Usage(10, 5)
    assert finished.cost_usd is None
    assert convo.session_cost is None


def test_a_model_error_becomes_a_sentence_and_the_chat_goes_on(registry, audit, ctx):
    failure = ModelError("The model provider is limiting requests right now.", kind="rate_limit")
    agent, _ = make_agent([["partial ", failure], ["Fine now."]], registry, audit)
    convo = Conversation()
    events = run(agent.send(convo, ctx, "hi"))
    assert events[-1] == AgentError("The model provider is limiting requests right now.")
    assert convo.messages == [{"role": "user", "content": "hi"}]
    events = run(agent.send(convo, ctx, "hi?"))
    assert text_of(events) == "Fine now."


def test_a_bug_inside_a_turn_is_reported_without_a_traceback(registry, audit, ctx):
    agent, _ = make_agent([[TextDelta("x"), object()]], registry, audit)  # not an event
    agent._add_usage = None  # any internal failure
    events = run(agent.send(Conversation(), ctx, "hi"))
    assert isinstance(events[-1], AgentError)
    assert "went wrong" in events[-1].message


@pytest.mark.parametrize("script", [[[]], [["   "]]])
def test_an_empty_answer_is_reported(registry, audit, ctx, script):
    agent, _ = make_agent(script, registry, audit)
    assert isinstance(run(agent.send(Conversation(), ctx, "hi"))[-1], AgentError)


def test_only_recent_turns_are_sent_when_history_is_long(registry, audit, ctx):
    from agent import loop

    agent, model = make_agent([["ok"]], registry, audit)
    convo = Conversation()
    for n in range(50):
        convo.messages += [
            {"role": "user", "content": f"q{n} " + "x" * 5000},
            {"role": "assistant", "content": "a"},
        ]
    run(agent.send(convo, ctx, "latest"))
    sent = model.received[0][1:]
    assert sent[0]["role"] == "user"
    assert sent[-1]["content"] == "latest"
    assert 10 < len(sent) < 100
    assert sum(len(json.dumps(m)) for m in sent) <= loop.HISTORY_CHARS + 10_000


def test_interrupted_tool_calls_are_answered_before_the_next_turn(registry, audit, ctx):
    agent, _model = make_agent([["ok"]], registry, audit)
    convo = Conversation(
        messages=[
            {"role": "user", "content": "q"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "lost",
                        "type": "function",
                        "function": {"name": "get_note", "arguments": "{}"},
                    }
                ],
            },
        ]
    )
    run(agent.send(convo, ctx, "again"))
    assert tool_messages(convo.messages)["lost"]["error"] == "interrupted"
    assert_valid_history(convo.messages)


def test_transcript_for_redrawing_the_chat(registry, audit, ctx):
    script = [[tool_call("get_note", {"note_id": 1}, "c1")], ["Call Acme."]]
    agent, _ = make_agent(script, registry, audit)
    convo = Conversation()
    run(agent.send(convo, ctx, "note 1?"))
    assert convo.transcript() == [
        {"role": "user", "content": "note 1?", "tool_calls": []},
        {"role": "assistant", "content": "", "tool_calls": ["c1"]},
        {"role": "assistant", "content": "Call Acme.", "tool_calls": []},
    ]


def test_repeated_call_ids_are_made_unique(registry, audit, ctx):
    script = [
        [
            tool_call("get_note", {"note_id": 1}, "call_0"),
            tool_call("get_note", {"note_id": 2}, "call_0"),
        ],
        [tool_call("get_note", {"note_id": 1}, "call_0")],
        ["ok"],
    ]
    agent, _ = make_agent(script, registry, audit)
    convo = Conversation()
    run(agent.send(convo, ctx, "notes"))
    ids = [c["id"] for m in convo.messages for c in m.get("tool_calls") or []]
    assert len(ids) == len(set(ids)) == 3
    assert_valid_history(convo.messages)
