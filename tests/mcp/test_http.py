"""The Streamable HTTP transport: bearer tokens, Origin checks, the confirmation token, and
FreshBooks text that tries to give orders.

One server for the module, in this process on a free loopback port (demo mode, its own data
folder), with a clock the tests move for the tokens' expiry. The clients are the SDK's own
ClientSession over its streamable HTTP client, declaring no elicitation: the fallback path.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import anyio
import httpx2
import pytest

from copilot.context import pick_business
from mcp_server.results import DATA_NOTE
from store.audit import recent_audit

from .. import secret_scan
from ..support.injection_corpus import CORPUS, marker
from ..support.mcp_sessions import CLIENT_NAME, HttpServer, data, session

pytestmark = pytest.mark.slow

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "raw-http", "version": "1"},
    },
}


class Served:
    def __init__(self, server: HttpServer, token: str, revoked: str) -> None:
        self.server = server
        self.token = token
        self.revoked = revoked
        fb = server.runtime.client("alice")
        assert fb is not None
        self.business = pick_business(fb.identity(), None)
        self.books = fb.business(self.business)

    def audit(self, action: str | None = None) -> list[dict[str, Any]]:
        rows = recent_audit(self.server.runtime.sessions, "alice", self.business.account_id or "")
        return [r for r in rows if action is None or r["action"] == action]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    with HttpServer(tmp_path_factory.mktemp("mcp-http")) as server:
        tokens = server.runtime.mcp_tokens
        token = tokens.create("alice", "Claude")
        revoked = tokens.create("alice", "Old laptop")
        assert tokens.revoke("alice", tokens.tokens("alice")[0].id)
        for value, label in ((token, "an MCP token"), (revoked, "a revoked MCP token")):
            secret_scan.register_secret(value, label)
        yield Served(server, token, revoked)


def post(served: Served, token: str | None, **headers: str) -> httpx2.Response:
    sent = {"Accept": "application/json, text/event-stream", **headers}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return httpx2.post(served.server.url, json=INITIALIZE, headers=sent, timeout=30)


@pytest.mark.parametrize("which", ["missing", "wrong", "revoked"])
def test_a_request_without_a_live_token_is_refused(served, which):
    token = {"missing": None, "wrong": "fbc_mcp_not-a-token", "revoked": served.revoked}[which]
    answer = post(served, token)
    assert answer.status_code == 401
    assert post(served, served.token).status_code == 200


def test_a_foreign_origin_is_refused(served):
    assert post(served, served.token, Origin="http://evil.example").status_code == 403
    assert post(served, served.token, Origin=served.server.origin).status_code == 200


def _named(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [r for r in result["rows"] if r.get("name") == name]


def test_without_elicitation_a_token_confirms_once_for_the_same_call(served):
    name = "Token Confirmed Ltd"

    async def run() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with session(served.server.url, token=served.token) as opened:

            async def clients(query: str) -> list[dict[str, Any]]:
                found = data(await opened.call_tool("search_clients", {"query": query}))
                return _named(found, query)

            async def create(organization: str, token: str | None = None):
                args: dict[str, Any] = {"organization": organization}
                if token is not None:
                    args["confirmation_token"] = token
                return await opened.call_tool("create_client", args)

            first = data(await create(name))
            seen["first"] = first
            seen["after_first"] = await clients(name)
            seen["rows_after_first"] = served.audit("create_client")
            token = first["confirmation_token"]
            seen["other_args"] = await create(f"{name} Two", token)
            seen["other_made"] = await clients(f"{name} Two")
            seen["right"] = data(await create(name, token))
            seen["twice"] = await create(name, token)
            seen["made"] = await clients(name)
            late = data(await create("Too Late Ltd"))["confirmation_token"]
            served.server.clock.added += timedelta(minutes=5, seconds=1)
            seen["late"] = await create("Too Late Ltd", late)
            seen["late_made"] = await clients("Too Late Ltd")
        return seen

    seen = anyio.run(run)
    first = seen["first"]
    assert first["outcome"] == "needs_confirmation"
    assert first["preview"]["title"] == f"Create client {name}"
    assert seen["after_first"] == []
    assert seen["rows_after_first"] == []
    assert seen["other_args"].is_error
    assert "does not allow this call" in seen["other_args"].content[0].text
    assert seen["other_made"] == []
    assert seen["right"]["outcome"] == "done"
    assert seen["twice"].is_error
    assert len(seen["made"]) == 1
    rows = served.audit("create_client")
    assert [(r["channel"], r["client"], r["outcome"]) for r in rows] == [("mcp", CLIENT_NAME, "ok")]
    assert seen["late"].is_error
    assert seen["late_made"] == []
    assert len(served.audit("create_client")) == 1


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_hostile_text_in_the_books_is_data_and_no_write_follows(served):
    orders = {i.key: i for i in CORPUS}
    archive, create, update = (
        orders["ignore-archive"],
        orders["role-play"],
        orders["reveal-api-key"],
    )
    invoice = next(i for i in served.books.invoices.list() if i.vis_state == 0)
    client, other = served.books.clients.list()[:2]
    served.books.invoices.update(invoice.id, {"notes": archive.text})
    served.books.clients.update(client.id, {"note": create.text})
    served.books.clients.update(other.id, {"note": update.text})
    before = served.audit()

    async def run():
        async with session(served.server.url, token=served.token) as opened:
            reads = [
                await opened.call_tool("get_invoice", {"invoice_id": invoice.id}),
                await opened.call_tool("get_client", {"client_id": client.id}),
                await opened.call_tool("get_client", {"client_id": other.id}),
            ]
            # A client that obeys what it read: every write it asks for stops at the preview.
            obeyed = [
                await opened.call_tool("archive_invoice", {"invoice_id": invoice.id}),
                await opened.call_tool(
                    "create_client", {"organization": "Evil Corp", "email": "attacker@evil.example"}
                ),
                await opened.call_tool(
                    "update_client", {"client_id": other.id, "email": "exfil@evil.example"}
                ),
            ]
            return reads, obeyed

    reads, obeyed = anyio.run(run)
    for read, planted in zip(reads, (archive, create, update), strict=True):
        assert not read.is_error
        assert read.content[0].text.startswith(DATA_NOTE)
        assert any(marker(planted.text) in " ".join(s.split()) for s in _strings(data(read)))
    for answer in obeyed:
        assert not answer.is_error
        assert data(answer)["outcome"] == "needs_confirmation"
    assert served.audit() == before
    assert served.books.invoices.get(invoice.id).vis_state == 0
    assert served.books.clients.get(other.id).email == other.email
    names = [c.organization for c in served.books.clients.list()]
    assert "Evil Corp" not in names
    for answer in reads + obeyed:
        assert served.token not in str(answer.model_dump())


def test_a_card_of_items_acts_on_exactly_the_items_it_showed(served):
    """chase_invoices: the token's preview lists the reminders; the confirmed call sends those
    (the audit row names them), whatever the filter would match by then."""

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        async with session(served.server.url, token=served.token) as opened:
            first = data(await opened.call_tool("chase_invoices", {"min_days_late": 30}))
            token = first["confirmation_token"]
            done = data(
                await opened.call_tool(
                    "chase_invoices", {"min_days_late": 30, "confirmation_token": token}
                )
            )
        return first, done

    first, done = anyio.run(run)
    shown = sorted(int(key) for key, _label in first["preview"]["items"])
    assert shown
    assert done["outcome"] == "done"
    (row,) = served.audit("chase_invoices")
    assert sorted(row["arguments"]["invoice_ids"]) == shown
    assert sorted(row["records"]["invoice"]) == shown
