"""``python -m mcp_server`` over stdio, driven by the MCP SDK's own ClientSession.

One data folder for the module (demo mode): the first server seeds the demo business, the
others find it. The test process opens the same store to read the audit log and the figures
the dashboards draw from.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest

from agent.tools import build_registry
from copilot.books import frames_for, load_books
from copilot.context import AppContext, pick_business, today_for
from copilot.runtime import Runtime, build_runtime
from insights.receivables import receivables_summary
from mcp_server.catalogue import SESSION_TOOLS
from mcp_server.results import DATA_NOTE
from settings import load_settings
from store.audit import recent_audit

from ..support.mcp_sessions import CLIENT_NAME, Elicitor, data, server_env, session, stdio_params

pytestmark = pytest.mark.slow

REGISTRY = build_registry()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mcp-stdio")


@pytest.fixture(scope="module")
def local(data_dir) -> Iterator[tuple[Runtime, AppContext]]:
    """The app's own view of the same data folder (after a server has seeded it)."""

    async def touch() -> None:
        async with session(stdio_params(data_dir)) as opened:
            await opened.list_tools()

    anyio.run(touch)
    runtime = build_runtime(load_settings(server_env(data_dir)))
    fb = runtime.client("local")
    assert fb is not None
    identity = fb.identity()
    ctx = AppContext("local", True, fb, identity, pick_business(identity, None))
    yield runtime, ctx
    runtime.close()


def mcp_rows(local, action: str) -> list[dict[str, Any]]:
    runtime, ctx = local
    return [
        row
        for row in recent_audit(runtime.sessions, "local", ctx.account_key)
        if row["channel"] == "mcp" and row["action"] == action
    ]


def test_every_tool_is_listed_once_with_hints_from_its_permission(local, data_dir):
    async def listed():
        async with session(stdio_params(data_dir)) as opened:
            return (await opened.list_tools()).tools

    tools = {t.name: t for t in anyio.run(listed)}
    registry = {t.name: t for t in REGISTRY}
    assert set(tools) == set(registry) | set(SESSION_TOOLS)
    assert len(tools) == len(registry) + len(SESSION_TOOLS)
    hints = {name: t.annotations for name, t in tools.items()}
    assert all(h is not None for h in hints.values())
    read_only = {n for n, h in hints.items() if h.read_only_hint}
    assert read_only == {n for n, t in registry.items() if not t.needs_approval} | {
        "list_businesses",
        "choose_business",
    }
    destructive = {n for n, h in hints.items() if h.destructive_hint}
    assert destructive == {"archive_invoice", "archive_expense", "delete_time_entry", "undo_change"}
    writes_idempotent = {n for n, h in hints.items() if h.idempotent_hint and n not in read_only}
    assert writes_idempotent == {n for n, t in registry.items() if t.idempotent}
    assert "update_invoice" in writes_idempotent
    assert (
        {n for n, h in hints.items() if h.open_world_hint}
        == {n for n, t in registry.items() if t.open_world}
        >= {"send_invoice_email", "chase_invoices"}
    )
    # The same compact schemas the chat sends; writes take the confirmation token too.
    summary = REGISTRY.get("business_summary")
    assert tools["business_summary"].input_schema == summary.schema()["function"]["parameters"]
    create = tools["create_invoice"].input_schema["properties"]
    assert set(create) == set(REGISTRY.get("create_invoice").args.model_fields) | {
        "confirmation_token"
    }


def test_read_only_lists_and_runs_no_write(local, data_dir):
    async def run():
        async with session(stdio_params(data_dir, "--read-only")) as opened:
            names = {t.name for t in (await opened.list_tools()).tools}
            refused = await opened.call_tool("create_client", {"organization": "Never Made Ltd"})
            return names, refused

    names, refused = anyio.run(run)
    assert "create_client" not in names
    assert "undo_change" not in names
    assert "business_summary" in names
    assert refused.is_error
    assert "read-only" in refused.content[0].text
    assert not mcp_rows(local, "create_client")


def test_the_summary_gives_the_dashboards_receivables(local, data_dir):
    async def run():
        async with session(stdio_params(data_dir)) as opened:
            return await opened.call_tool("business_summary", {})

    result = anyio.run(run)
    assert not result.is_error
    assert result.content[0].text.startswith(DATA_NOTE)
    summary = data(result)
    runtime, ctx = local
    frames = frames_for(runtime, ctx, load_books(runtime, ctx).snapshot)
    rows = receivables_summary(frames.invoices, today_for(ctx).date()).to_dict("records")
    assert rows
    for row in rows:
        mine = summary["by_currency"][row["currency"]]
        assert Decimal(mine["outstanding"]) == row["outstanding"]
        assert Decimal(mine["overdue"]) == row["overdue"]


def _clients_named(opened, name: str):
    async def found() -> list[dict[str, Any]]:
        result = data(await opened.call_tool("search_clients", {"query": name}))
        return [r for r in result["rows"] if r.get("name") == name]

    return found()


def test_an_accepted_write_happens_once_is_audited_and_can_be_undone(local, data_dir):
    person = Elicitor("accept")
    name = "Accepted Over MCP Ltd"

    async def run():
        async with session(stdio_params(data_dir), elicitor=person) as opened:
            made = data(await opened.call_tool("create_client", {"organization": name}))
            after = await _clients_named(opened, name)
            undone = data(await opened.call_tool("undo_change", {"audit_id": made["audit_id"]}))
            gone = await _clients_named(opened, name)
            again = await opened.call_tool("undo_change", {"audit_id": made["audit_id"]})
            return made, after, undone, gone, again

    made, after, undone, gone, again = anyio.run(run)
    assert made["outcome"] == "done"
    assert len(after) == 1
    assert f"Create client {name}" in person.asked[0]  # the confirm card's preview
    rows = mcp_rows(local, "create_client")
    assert [(r["client"], r["outcome"]) for r in rows] == [(CLIENT_NAME, "ok")]
    assert rows[0]["records"] == {"client": [after[0]["id"]]}
    assert undone["outcome"] == "done"
    assert len(person.asked) == 2  # the undo asked too
    assert gone == []
    assert [r["outcome"] for r in mcp_rows(local, "undo:create_client")] == ["ok"]
    assert again.is_error
    assert "already undone" in again.content[0].text


@pytest.mark.parametrize("answer", ["decline", "cancel"])
def test_a_declined_write_changes_nothing(local, data_dir, answer):
    person = Elicitor(answer)
    name = f"Declined Over MCP {answer}"

    async def run():
        async with session(stdio_params(data_dir), elicitor=person) as opened:
            said = data(await opened.call_tool("create_client", {"organization": name}))
            return said, await _clients_named(opened, name)

    said, found = anyio.run(run)
    assert person.asked
    assert said["outcome"] == "declined"
    assert "confirmation_token" not in said
    assert found == []
    assert not [r for r in mcp_rows(local, "create_client") if name in r["message"]]
