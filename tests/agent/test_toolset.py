"""The tools one request carries: compact schemas, a core, find_tools, loaded tools, a budget."""

from __future__ import annotations

import json

import pytest

from agent.budget import MAX_TOOL_CHARS, ContextBudget
from agent.conversation import Conversation
from agent.loop import Agent
from agent.toolmatch import rank_tools
from agent.tools import all_tools, build_registry
from agent.toolset import CORE, FIND_TOOLS, FindToolsArgs, Toolset
from settings import MIN_MODEL_CONTEXT

from ..support.audit import MemoryAudit
from ..support.fake_model import FakeChatModel

REGISTRY = build_registry()
ALL = {t.name for t in all_tools()}
WRITES = {t.name for t in all_tools() if t.needs_approval}


def names(schemas):
    return [s["function"]["name"] for s in schemas]


def toolset(context=MIN_MODEL_CONTEXT, read_only=False) -> Toolset:
    budget = ContextBudget(context).tool_chars
    return Toolset(REGISTRY, read_only=read_only, budget_chars=budget)


def _keys(node, inside_properties=False):
    if isinstance(node, dict):
        for key, value in node.items():
            if not inside_properties:
                yield key
            yield from _keys(value, key in ("properties", "$defs") and not inside_properties)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def test_compact_schemas_keep_no_titles_or_copied_docstrings():
    for tool in all_tools():
        assert "title" not in set(_keys(tool.schema())), tool.name
        parameters = tool.schema()["function"]["parameters"]
        assert "description" not in parameters
        assert all("description" not in d for d in parameters.get("$defs", {}).values())


@pytest.mark.parametrize("context", [MIN_MODEL_CONTEXT, 8192, 32_768, 1_000_000])
def test_every_choice_fits_the_budget(context):
    tools = toolset(context)
    budget = min(MAX_TOOL_CHARS, tools.budget)
    assert len(json.dumps(tools.offered())) <= budget
    for name in ALL:  # whatever the chat loaded
        loaded = tools.load([], [name])
        offered = tools.offered(loaded)
        assert len(json.dumps(offered)) <= budget
        assert name in names(offered), name  # the largest tool still fits next to the core
        assert {FIND_TOOLS, *CORE} <= set(names(offered))


def test_a_small_registry_is_offered_whole_without_find_tools(registry):
    tools = Toolset(registry, read_only=False, budget_chars=10_000)
    assert tools.complete
    assert FIND_TOOLS not in names(tools.offered())
    assert tools.get(FIND_TOOLS) is None
    assert tools.load([], ["get_note"]) == []


def test_loaded_tools_are_newest_first_and_the_oldest_are_evicted():
    tools = toolset()
    loaded: list[str] = []
    for name in ["log_time", "create_expense", "update_invoice", "tax_summary"]:
        loaded = tools.load(loaded, [name])
    assert loaded[0] == "tax_summary"
    assert "log_time" not in loaded  # the budget of a 4,096-token context holds only a few
    again = tools.load(loaded, ["log_time"])
    assert again[0] == "log_time"


def test_read_only_offers_and_finds_no_writes():
    tools = toolset(read_only=True)
    assert not WRITES & set(names(tools.offered(tools.load([], ["create_invoice"]))))
    found = tools.finder.handler(None, FindToolsArgs(task="create an invoice"))  # type: ignore[arg-type]
    assert not WRITES & {f["name"] for f in found["found"]}
    assert tools.get("create_invoice") is None


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("log 3 hours on a project", "log_time"),
        ("tax report for last year", "tax_summary"),
        ("archive an expense", "archive_expense"),
        ("who is on my team", "list_team_members"),
        ("quote for a customer", "search_estimates"),
        ("send an invoice by email", "send_invoice_email"),
        ("turn the accepted quote into an invoice", "convert_estimate_to_invoice"),
        ("email the estimate to the client", "send_estimate_email"),
        ("profit and loss", "profit_and_loss"),
        ("delete_time_entry", "delete_time_entry"),
    ],
)
def test_find_tools_finds_the_tool_for_a_task(task, expected):
    found = toolset().finder.handler(None, FindToolsArgs(task=task))  # type: ignore[arg-type]
    assert expected in [f["name"] for f in found["found"]]
    assert all(len(f["description"]) <= 110 for f in found["found"])


def test_find_tools_without_a_match_lists_every_tool():
    found = toolset().finder.handler(None, FindToolsArgs(task="zzz qqq"))  # type: ignore[arg-type]
    assert found["found"] == []
    assert set(found["all_tools"]) == ALL


def test_every_tool_is_reachable_with_find_tools():
    tools = toolset()
    for tool in all_tools():
        task = tool.name.replace("_", " ")
        found = tools.finder.handler(None, FindToolsArgs(task=task))  # type: ignore[arg-type]
        assert tool.name in Toolset.found_names(found), tool.name


def test_a_message_preloads_the_tools_it_is_about():
    tools = toolset()
    assert tools.preload([], "Log 2 hours on the website project")[0] == "log_time"
    assert tools.preload([], "hello there") == []
    assert rank_tools(all_tools(), "record a payment on invoice 42", limit=1) == ["record_payment"]


def test_the_loaded_tools_are_saved_with_the_conversation():
    convo = Conversation(tools=["log_time", "tax_summary"])
    assert Conversation.from_dict(json.loads(json.dumps(convo.to_dict()))).tools == [
        "log_time",
        "tax_summary",
    ]
    assert Conversation.from_dict({"messages": []}).tools == []  # saved before tools existed


def test_an_agent_offers_the_tools_the_conversation_loaded():
    agent = Agent(FakeChatModel([]), REGISTRY, audit=MemoryAudit(), context_tokens=4096)
    fresh = names(agent.tool_schemas())
    assert "tax_summary" not in fresh
    convo = Conversation(tools=["tax_summary"])
    assert "tax_summary" in names(agent.tool_schemas(convo))
