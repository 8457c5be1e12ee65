"""The chat behind a server that keeps only 4,096 tokens, as Ollama does by default.

The real ``OpenAIChatModel`` talks HTTP to ``CuttingOpenAI`` (tests/support/cutting_openai.py),
which renders each request as one prompt, counts it with its own tokenizer and drops the front
of what does not fit. Its scripted model calls a tool only if it received it. With
COPILOT_MODEL_CONTEXT=4096 nothing is cut and every kind of turn completes; a server that keeps
far less than it is sent is noticed and reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from agent.loop import (
    Agent,
    ApprovalNeeded,
    Conversation,
    PromptCut,
    ToolFinished,
    TurnFinished,
    WriteCancelled,
    WriteDone,
)
from agent.model import OpenAIChatModel
from copilot.chat import open_chat
from copilot.context import AppContext
from copilot.runtime import Runtime, build_runtime
from settings import Settings

from ..support.audit import MemoryAudit
from ..support.cutting_openai import NO_TOOLS, Call, CuttingOpenAI, offered, wants
from ..support.fake_model import tool_results
from ..support.sandbox_tools import Env, sandbox_env
from ..support.turns import of_type, pending_of, run, text_of

CONTEXT = 4096


@pytest.fixture(scope="module")
def env() -> Iterator[Env]:
    with sandbox_env() as opened:
        yield opened


def strict(env: Env, name: str, call_id: str, /, **given: Any) -> Call:
    """A call as a strict-mode model makes it: every argument present, null if unused."""
    tool = env.tool(name)
    return Call(name, dict.fromkeys(tool.args.model_fields) | given, id=call_id)


def agent_on(server: CuttingOpenAI, env: Env) -> tuple[Agent, OpenAIChatModel]:
    model = OpenAIChatModel("fake-model", None, server.base_url, timeout=10, max_retries=0)
    agent = Agent(model, env.registry, audit=MemoryAudit(), context_tokens=CONTEXT)
    return agent, model


def last_results(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["result"] for r in tool_results(request["messages"])]


def assert_nothing_cut(server: CuttingOpenAI) -> None:
    assert server.errors == []
    assert server.dropped
    assert set(server.dropped) == {0}, server.dropped


def test_a_read(env):
    script = [
        wants("business_summary", [strict(env, "business_summary", "c1")]),
        wants("business_summary", lambda r: f"Summary read: {bool(last_results(r))}."),
    ]
    with CuttingOpenAI(script, keep=CONTEXT) as server:
        agent, model = agent_on(server, env)
        convo = Conversation()
        events = run(agent.send(convo, env.ctx, "How is the business doing?"))
        model.close()
    assert [e.ok for e in of_type(events, ToolFinished)] == [True]
    assert text_of(events) == "Summary read: True."
    assert isinstance(events[-1], TurnFinished)
    assert_nothing_cut(server)


def _client_id(request: dict[str, Any]) -> int:
    content = next(m for m in reversed(request["messages"]) if m["role"] == "tool")["content"]
    match = re.search(r'"id":\s*(\d+)', content)
    assert match, content
    return int(match.group(1))


def _invoice_script(env: Env) -> list[Any]:
    line = {
        "name": "Design",
        "description": None,
        "quantity": "2",
        "unit_cost": "100.00",
        "tax_name": None,
        "tax_percent": None,
    }
    return [
        wants("find_client", [strict(env, "find_client", "c1", name="Brightline Coffee Roasters")]),
        wants(
            "create_invoice",
            lambda r: [strict(env, "create_invoice", "c2", client_id=_client_id(r), lines=[line])],
        ),
        wants("create_invoice", lambda r: f"Outcome: {last_results(r)[0].get('outcome')}."),
    ]


def test_a_write_confirmed(env):
    with CuttingOpenAI(_invoice_script(env), keep=CONTEXT) as server:
        agent, model = agent_on(server, env)
        convo = Conversation()
        events = run(agent.send(convo, env.ctx, "Create an invoice for Brightline: 2 hours"))
        (card,) = pending_of(events)
        assert card.tool == "create_invoice"
        decided = run(agent.decide(convo, env.ctx, card.call_id, True))
        (done,) = of_type(decided, WriteDone)
        assert done.ok
        assert text_of(decided) == "Outcome: done."
        assert agent.undo(convo, env.ctx, card.call_id).ok  # leave the sandbox as it was
        model.close()
    assert_nothing_cut(server)


def test_a_write_cancelled(env):
    with CuttingOpenAI(_invoice_script(env), keep=CONTEXT) as server:
        agent, model = agent_on(server, env)
        convo = Conversation()
        events = run(agent.send(convo, env.ctx, "Create an invoice for Brightline: 2 hours"))
        assert of_type(events, ApprovalNeeded)
        (card,) = pending_of(events)
        decided = run(agent.decide(convo, env.ctx, card.call_id, False))
        assert of_type(decided, WriteCancelled)
        assert text_of(decided) == "Outcome: declined."
        model.close()
    assert_nothing_cut(server)


def test_a_question_for_a_tool_outside_the_core(env):
    def search(request: dict[str, Any]) -> list[Call]:
        assert "list_team_members" not in offered(request)  # it has to be found
        return [Call("find_tools", {"task": "list the team members"}, id="c1")]

    def answer(request: dict[str, Any]) -> str:
        people = last_results(request)[0]["rows"]
        return f"{len(people)} people."

    script = [
        wants("find_tools", search),
        wants("list_team_members", [strict(env, "list_team_members", "c2")]),
        wants("list_team_members", answer),
    ]
    with CuttingOpenAI(script, keep=CONTEXT) as server:
        agent, model = agent_on(server, env)
        convo = Conversation()
        events = run(agent.send(convo, env.ctx, "Who works with me here?"))
        model.close()
    assert [e.name for e in of_type(events, ToolFinished)] == ["find_tools", "list_team_members"]
    assert re.fullmatch(r"\d+ people\.", text_of(events))
    assert convo.tools[0] == "list_team_members"  # loaded for the rest of the conversation
    assert_nothing_cut(server)


def test_a_server_that_cuts_harder_than_the_tools_need_is_reported(env):
    script = [wants("business_summary", [strict(env, "business_summary", "c1")])]
    with CuttingOpenAI(script, keep=800) as server:
        agent, model = agent_on(server, env)
        convo = Conversation()
        events = run(agent.send(convo, env.ctx, "How is the business doing?"))
        model.close()
    (cut,) = of_type(events, PromptCut)
    assert 0 < cut.read <= 800
    assert cut.sent > 1600
    assert "OLLAMA_CONTEXT_LENGTH=16384" in cut.message
    assert text_of(events) == NO_TOOLS  # what the model said, but nothing ran
    assert not of_type(events, ToolFinished)
    assert convo.messages == [{"role": "user", "content": "How is the business doing?"}]
    assert server.dropped[0] > 0


# -- through the app's chat session --------------------------------------------------------


def _session_runtime(tmp_path, server: CuttingOpenAI) -> Runtime:
    settings = Settings(
        copilot_data_dir=str(tmp_path),
        openai_base_url=server.base_url,
        copilot_model="fake-model",
        copilot_model_context=CONTEXT,
    )
    return build_runtime(settings)


def _context(runtime: Runtime) -> AppContext:
    fb = runtime.client("local")
    assert fb is not None
    identity = fb.identity()
    business = next(b for b in identity.businesses if b.has_accounting)
    return AppContext(owner="local", demo=True, fb=fb, identity=identity, business=business)


@pytest.mark.parametrize(("keep", "cut"), [(CONTEXT, False), (800, True)])
def test_the_chat_session_behind_the_cut(tmp_path, keep, cut):
    call = Call("business_summary", {}, id="c1")
    script = [wants("business_summary", [call]), wants("business_summary", "All good.")]
    with CuttingOpenAI(script, keep=keep) as server:
        runtime = _session_runtime(tmp_path, server)
        try:
            chat = open_chat(runtime, _context(runtime), read_only=False)
            assert chat is not None
            assert chat.agent.budget.tokens == CONTEXT
            convo = chat.restore()
            events = list(chat.send(convo, "How is the business doing?"))
            chat.save(convo)
            saved = chat.restore()
        finally:
            runtime.close()
    if cut:
        assert of_type(events, PromptCut)
        assert saved.messages == [{"role": "user", "content": "How is the business doing?"}]
    else:
        assert text_of(events) == "All good."
        assert json.loads(saved.messages[2]["content"])  # the summary, kept with the chat
        assert_nothing_cut(server)
