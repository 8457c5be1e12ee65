"""OAuth through Authlib, and refresh that happens once however many callers race for it."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from urllib.parse import parse_qs, urlparse

import pytest
import respx

from fbclient import (
    FreshBooksClient,
    MemoryTokenStore,
    OAuthFlow,
    OAuthSettings,
    ReauthorizationRequired,
    RetryPolicy,
    ServerError,
    Token,
    TokenManager,
)
from fbclient.identity import Business

from ..support.constants import ACCOUNT_ID, API

AUTH = "https://auth.freshbooks.test"
TOKEN_URL = f"{API}/auth/oauth/token"
SETTINGS = OAuthSettings(
    client_id="cid",
    client_secret="very-secret",
    redirect_uri="https://localhost:8501/",
    api_url=API,
    auth_url=AUTH,
)
CLIENT_1 = f"{API}/accounting/account/{ACCOUNT_ID}/users/clients/1"
ONE = {"response": {"result": {"client": {"id": 1}}}}


def form(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def token_body(n: int, now: float | None = None) -> dict:
    return {
        "access_token": f"access-{n}",
        "token_type": "Bearer",
        "expires_in": 43200,
        "refresh_token": f"refresh-{n}",
        "scope": "user:profile:read user:clients:read",
        "created_at": int(now if now is not None else time.time()),
    }


def expired(n: int) -> Token:
    return Token(
        access_token=f"access-{n}", refresh_token=f"refresh-{n}", expires_at=time.time() - 10
    )


def books_for(manager: TokenManager):
    client = FreshBooksClient(manager, api_url=API, retry=RetryPolicy(base_delay=0, max_delay=0))
    client.http._sleep = lambda _s: None
    return client.business(Business(business_id=1, account_id=ACCOUNT_ID, name="B", role="owner"))


def test_authorization_url_has_state_scopes_and_redirect():
    url = OAuthFlow(SETTINGS).authorization_url("st4te")
    parsed = urlparse(url)
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == f"{AUTH}/oauth/authorize"
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "cid"
    assert query["redirect_uri"] == "https://localhost:8501/"
    assert query["state"] == "st4te"
    assert "scope" not in query  # none configured: FreshBooks grants the app's registered ones
    assert "very-secret" not in url


def test_authorization_url_asks_for_the_scopes_given():
    configured = replace(SETTINGS, scopes=("user:profile:read", "user:invoices:read"))
    flow = OAuthFlow(configured)
    asked = parse_qs(urlparse(flow.authorization_url("s")).query)["scope"][0].split()
    assert asked == ["user:profile:read", "user:invoices:read"]
    chosen = ["user:profile:read", "user:estimates:read"]
    asked = parse_qs(urlparse(flow.authorization_url("s", chosen)).query)["scope"][0].split()
    assert asked == chosen


def test_exchange_code_sends_secret_in_body(httpx2_mock):
    route = httpx2_mock.post(TOKEN_URL).respond(json=token_body(1, now=1_700_000_000))
    token = OAuthFlow(SETTINGS).exchange_code("the-code")
    sent = form(route.calls.last.request)
    assert sent["grant_type"] == "authorization_code"
    assert sent["code"] == "the-code"
    assert sent["client_id"] == "cid"
    assert sent["client_secret"] == "very-secret"
    assert sent["redirect_uri"] == "https://localhost:8501/"
    assert "authorization" not in route.calls.last.request.headers
    assert token.access_token == "access-1"
    assert token.refresh_token == "refresh-1"
    assert token.expires_at == 1_700_000_000 + 43200
    assert token.scopes == ("user:profile:read", "user:clients:read")


def test_token_repr_hides_secrets():
    token = Token(access_token="SECRET-A", refresh_token="SECRET-R", expires_at=1.0)
    assert "SECRET" not in repr(token)
    assert "SECRET" not in str(token)
    assert "very-secret" not in repr(SETTINGS)


def test_reused_refresh_token_requires_reauthorization(httpx2_mock):
    httpx2_mock.post(TOKEN_URL).respond(
        400, json={"error": "invalid_grant", "error_description": "The refresh token is invalid."}
    )
    with pytest.raises(ReauthorizationRequired, match="invalid"):
        OAuthFlow(SETTINGS).refresh("refresh-0")


def test_token_endpoint_5xx_is_server_error_not_reauth(httpx2_mock):
    httpx2_mock.post(TOKEN_URL).respond(503, text="<html>down</html>")
    with pytest.raises(ServerError):
        OAuthFlow(SETTINGS).refresh("refresh-0")


def test_revoke_posts_token_and_client_credentials(httpx2_mock):
    route = httpx2_mock.post(f"{API}/auth/oauth/revoke").respond(200, json={})
    OAuthFlow(SETTINGS).revoke("refresh-9")
    sent = form(route.calls.last.request)
    assert sent["token"] == "refresh-9"
    assert sent["client_id"] == "cid"
    assert sent["client_secret"] == "very-secret"


def test_refresh_rotation_persisted_before_use(httpx2_mock):
    store = MemoryTokenStore(expired(0))
    seen_in_store_when_used: list[str | None] = []

    def api(request):
        seen_in_store_when_used.append(store.load().access_token)
        assert request.headers["Authorization"] == "Bearer access-1"
        return respx.MockResponse(200, json=ONE)

    token_route = httpx2_mock.post(TOKEN_URL).respond(json=token_body(1))
    httpx2_mock.get(CLIENT_1).mock(side_effect=api)
    manager = TokenManager(store, refresh=OAuthFlow(SETTINGS).refresh)
    books = books_for(manager)
    books.clients.get(1)
    assert form(token_route.calls.last.request)["refresh_token"] == "refresh-0"
    assert store.load().refresh_token == "refresh-1"
    assert seen_in_store_when_used == ["access-1"]
    assert store.saves == 1


def test_twenty_concurrent_callers_refresh_once(httpx2_mock):
    def slow_token(request):
        time.sleep(0.05)  # widen the race window
        return respx.MockResponse(200, json=token_body(1))

    token_route = httpx2_mock.post(TOKEN_URL).mock(side_effect=slow_token)
    api = httpx2_mock.get(CLIENT_1).respond(json=ONE)
    store = MemoryTokenStore(expired(0))
    manager = TokenManager(store, refresh=OAuthFlow(SETTINGS).refresh)
    books = books_for(manager)

    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def call():
        barrier.wait()
        try:
            books.clients.get(1)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert token_route.call_count == 1
    assert api.call_count == 20
    assert {c.request.headers["Authorization"] for c in api.calls} == {"Bearer access-1"}
    assert store.saves == 1


@pytest.mark.httpx2(assert_all_called=False)
def test_store_refreshed_elsewhere_is_reread_not_refreshed(httpx2_mock):
    token_route = httpx2_mock.post(TOKEN_URL).respond(json=token_body(9))
    store = MemoryTokenStore(expired(0))
    manager = TokenManager(store, refresh=OAuthFlow(SETTINGS).refresh)
    manager._current = expired(0)  # this process still holds the old, expired pair
    fresh = Token(access_token="access-5", refresh_token="refresh-5", expires_at=time.time() + 3600)
    store.save(fresh)  # ...while another process refreshed and saved a new one
    assert manager.access_token() == "access-5"
    assert token_route.call_count == 0


def test_401_refreshes_once_and_resends(httpx2_mock):
    token_route = httpx2_mock.post(TOKEN_URL).respond(json=token_body(2))
    api = httpx2_mock.get(CLIENT_1).mock(
        side_effect=lambda request: (
            respx.MockResponse(200, json=ONE)
            if request.headers["Authorization"] == "Bearer access-2"
            else respx.MockResponse(
                401, json={"response": {"errors": [{"errno": 1003, "message": "revoked"}]}}
            )
        )
    )
    live = Token(access_token="access-1", refresh_token="refresh-1", expires_at=time.time() + 3600)
    store = MemoryTokenStore(live)
    manager = TokenManager(store, refresh=OAuthFlow(SETTINGS).refresh)
    books = books_for(manager)
    assert books.clients.get(1).id == 1
    assert token_route.call_count == 1
    assert api.call_count == 2
    assert store.load().access_token == "access-2"


@pytest.mark.httpx2(assert_all_called=False)
def test_401_after_other_process_refreshed_uses_stored_token(httpx2_mock):
    token_route = httpx2_mock.post(TOKEN_URL).respond(json=token_body(3))
    api = httpx2_mock.get(CLIENT_1).mock(
        side_effect=lambda request: (
            respx.MockResponse(200, json=ONE)
            if request.headers["Authorization"] == "Bearer access-7"
            else respx.MockResponse(401, json={"message": "invalid_token: revoked"})
        )
    )
    store = MemoryTokenStore(
        Token(access_token="access-1", refresh_token="r1", expires_at=time.time() + 3600)
    )
    manager = TokenManager(store, refresh=OAuthFlow(SETTINGS).refresh)
    manager.access_token()  # cache access-1
    store.save(Token(access_token="access-7", refresh_token="r7", expires_at=time.time() + 3600))
    books = books_for(manager)
    assert books.clients.get(1).id == 1
    assert token_route.call_count == 0
    assert api.call_count == 2


def test_no_stored_token_means_reconnect(httpx2_mock):
    manager = TokenManager(MemoryTokenStore(None), refresh=OAuthFlow(SETTINGS).refresh)
    with pytest.raises(ReauthorizationRequired) as caught:
        manager.access_token()
    assert "reconnect" in caught.value.user_message.lower()
