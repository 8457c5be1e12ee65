"""Tools the connection's OAuth scopes rule out: not offered, not found, not run; the model is
told which scope they need, in the sentence the pages use."""

from __future__ import annotations

from agent.conversation import Conversation
from agent.loop import Agent
from agent.tools import all_tools, build_registry
from agent.tools.scopes import NEEDS
from agent.toolset import FindToolsArgs
from fbclient.scopes import Grant, explain_missing
from settings import DEFAULT_SCOPES

from ..support.audit import MemoryAudit
from ..support.fake_model import FakeChatModel, tool_call

REGISTRY = build_registry()
GUIDE_GRANT = Grant(frozenset(DEFAULT_SCOPES))


def offered_names(agent: Agent) -> set[str]:
    return {s["function"]["name"] for s in agent.tool_schemas()}


def test_every_tool_declares_real_scopes():
    assert set(NEEDS) == {t.name for t in all_tools()}
    for tool in REGISTRY:
        assert tool.scopes, tool.name
        assert all(s.startswith("user:") and s.count(":") == 2 for s in tool.scopes)
        if tool.needs_approval:
            assert any(s.endswith(":write") for s in tool.scopes), tool.name


def test_a_guide_grant_leaves_out_exactly_the_estimate_and_service_tools():
    available = {t.name for t in REGISTRY.available(grant=GUIDE_GRANT)}
    assert {t.name for t in REGISTRY} - available == {
        "search_estimates",
        "get_estimate",
        "create_estimate",
        "update_estimate",
        "send_estimate_email",
        "convert_estimate_to_invoice",
        "list_services",
    }
    assert len(REGISTRY.available(grant=Grant())) == len(REGISTRY)  # unknown: all offered


def test_tools_outside_the_grant_are_neither_offered_nor_found():
    agent = Agent(FakeChatModel([]), REGISTRY, audit=MemoryAudit(), grant=GUIDE_GRANT)
    assert "search_estimates" not in offered_names(agent)
    found = agent.toolset.finder.handler(None, FindToolsArgs(task="estimates quotes"))  # type: ignore[arg-type]  # find_tools reads no context
    assert "search_estimates" not in [f["name"] for f in found["found"]]
    assert agent.toolset.withheld["search_estimates"] == ("user:estimates:read",)


def test_a_call_to_a_tool_outside_the_grant_gets_the_sentence_and_the_prompt_says_so(ctx):
    model = FakeChatModel(
        [[tool_call("search_estimates", {})], "You need to add the estimates scope."]
    )
    agent = Agent(model, REGISTRY, audit=MemoryAudit(), grant=GUIDE_GRANT)
    convo = Conversation()
    list(agent.send(convo, ctx, "Show my open estimates"))
    system = model.received[0][0]["content"]
    assert (
        "search_estimates, get_estimate, convert_estimate_to_invoice (needs user:estimates:read)"
        in system
    )
    assert (
        "create_estimate, update_estimate, send_estimate_email "
        "(needs user:estimates:read and user:estimates:write)" in system
    )
    assert "list_services (needs user:billable_items:read)" in system
    answer = next(m for m in convo.messages if m.get("role") == "tool")
    assert '"error":"missing_scope"' in answer["content"]
    assert explain_missing(("user:estimates:read",)) in answer["content"]
