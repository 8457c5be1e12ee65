"""The official FreshBooks Python SDK, unchanged, against a loopback sandbox.

The SDK reads `FRESHBOOKS_API_URL` / `FRESHBOOKS_AUTH_URL` when a `Client` is built; it posts
form-encoded token requests, JSON bodies and (optionally) `X-API-VERSION`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from freshbooks import Client, FilterBuilder, FreshBooksError, IncludesBuilder, PaginateBuilder

from tests.support.sandbox import LiveServer

pytestmark = pytest.mark.slow
REDIRECT = "http://localhost:8501/"


@pytest.fixture
def server(make_app) -> Iterator[LiveServer]:
    with LiveServer(make_app()) as live:
        yield live


@pytest.fixture
def sdk(server, monkeypatch) -> Client:
    monkeypatch.setenv("FRESHBOOKS_API_URL", server.url)
    monkeypatch.setenv("FRESHBOOKS_AUTH_URL", server.url)
    return Client(client_id="sandbox-client", client_secret="sandbox-secret", redirect_uri=REDIRECT)


def click_approve(url: str) -> str:
    """Open the authorize page, submit its form with Approve, return the code."""
    with httpx2.Client() as browser:
        page = browser.get(url)
        assert page.status_code == 200
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action is not None
        target = str(page.url.copy_with(path=action.group(1), query=None))
        answer = browser.post(target, data={**form, "decision": "approve"})
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT)
    return parse_qs(urlsplit(location).query)["code"][0]


def authorized(sdk: Client) -> Client:
    url = sdk.get_auth_request_url()
    assert url.startswith(f"{sdk.base_url}/oauth/authorize?")
    sdk.get_access_token(click_approve(url))
    return sdk


def test_sdk_oauth_code_exchange_refresh_and_identity(sdk):
    url = sdk.get_auth_request_url(scopes=["user:profile:read", "user:clients:read"])
    tokens = sdk.get_access_token(click_approve(url))
    assert tokens.access_token
    assert tokens.refresh_token
    assert tokens.access_token_expires_at is not None
    old_refresh = tokens.refresh_token
    refreshed = sdk.refresh_access_token()
    assert refreshed.refresh_token != old_refresh
    with pytest.raises(FreshBooksError):
        sdk.refresh_access_token(old_refresh)
    sdk.access_token = refreshed.access_token
    me = sdk.current_user()
    assert me.identity_id == 1001
    accounts = [m.business.account_id for m in me.business_memberships]
    assert accounts == ["ABC123", "XYZ789", None]
    with pytest.raises(FreshBooksError) as denied:
        sdk.invoices.list("ABC123")
    assert denied.value.status_code == 403


def test_sdk_accounting_clients_and_invoices(sdk):
    client = authorized(sdk)
    page = client.clients.list(
        "ABC123",
        builders=[
            PaginateBuilder(1, 2),
            FilterBuilder().like("user_like", "o"),
            IncludesBuilder().include("outstanding_balance"),
        ],
    )
    assert page.pages.per_page == 2
    assert (page.pages.total, page.pages.pages) == (3, 2)  # Acme Corp, Bob, Old Co
    assert len(page) == 2
    assert "outstanding_balance" in page[0].data
    created = client.clients.create("ABC123", {"organization": "SDK Co", "email": "sdk@co.test"})
    assert created.organization == "SDK Co"
    assert created.userid == created.id
    updated = client.clients.update("ABC123", created.id, {"note": "from the sdk"})
    assert updated.note == "from the sdk"
    deleted = client.clients.delete("ABC123", created.id)
    assert deleted.vis_state == 1

    invoices = client.invoices.list(
        "ABC123",
        builders=[FilterBuilder().equals("customerid", 1), IncludesBuilder().include("lines")],
    )
    assert {i.id for i in invoices} == {1, 2}
    assert all(len(i.lines) >= 1 for i in invoices)
    one = client.invoices.get("ABC123", 1, includes=IncludesBuilder().include("lines"))
    assert one.amount.amount == "41.94"
    lines = [{"name": "SDK", "qty": 2, "unit_cost": {"amount": "15.00", "code": "CAD"}}]
    invoice = client.invoices.create(
        "ABC123", {"customerid": 1, "create_date": "2024-06-10", "lines": lines}
    )
    assert invoice.amount.amount == "30.00"
    assert invoice.v3_status == "draft"
    sent = client.invoices.update("ABC123", invoice.id, {"action_mark_as_sent": True})
    assert sent.v3_status == "sent"
    client.invoices.delete("ABC123", invoice.id)
    assert client.invoices.get("ABC123", invoice.id).vis_state == 1
    with pytest.raises(FreshBooksError) as missing:
        client.invoices.get("ABC123", 424242)
    assert missing.value.status_code == 404
    assert missing.value.error_code == 1012


def test_sdk_project_family(sdk):
    client = authorized(sdk)
    projects = client.projects.list(77, builders=[FilterBuilder().boolean("active", True)])
    assert [p.id for p in projects] == [1]
    assert projects.pages.total == 1
    created = client.projects.create(77, {"title": "SDK project", "client_id": 1})
    assert client.projects.get(77, created.id).title == "SDK project"
    assert client.projects.update(77, created.id, {"title": "Renamed"}).title == "Renamed"
    client.projects.delete(77, created.id)
    with pytest.raises(FreshBooksError) as gone:
        client.projects.get(77, created.id)
    assert gone.value.status_code == 404

    team = client.time_entries.list(77, builders=[FilterBuilder().boolean("team", True)])
    assert {e.id for e in team} == {1, 2}
    body = {"is_logged": True, "started_at": "2024-06-14T09:00:00Z", "duration": 600,
            "project_id": 1, "client_id": 1, "note": "sdk"}  # fmt: skip
    entry = client.time_entries.create(77, body)
    assert entry.duration == 600
    replaced = client.time_entries.update(77, entry.id, {**body, "duration": 1200})
    assert replaced.duration == 1200
    client.time_entries.delete(77, entry.id)
    with pytest.raises(FreshBooksError) as validation:
        client.time_entries.create(77, {"note": "incomplete"})
    assert validation.value.status_code == 422
    assert validation.value.error_code == 2001


def test_sdk_with_api_version_header(sdk, server):
    client = authorized(sdk)
    versioned = Client(
        client_id="sandbox-client", access_token=client.access_token, api_version="2023-02-20"
    )
    assert versioned.base_url == server.url
    assert len(versioned.taxes.list("ABC123")) == 1
