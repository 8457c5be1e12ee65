"""Retries where safe, never where not; network failures typed; unmocked requests fail."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpcore2
import httpx2
import pytest
import respx

from fbclient import FreshBooksClient, RetryPolicy
from fbclient.errors import (
    NetworkError,
    RateLimitError,
    RequestTimeout,
    ResponseFormatError,
    ServerError,
)
from fbclient.http import HTTPClient
from fbclient.retry import parse_retry_after

from ..support.constants import ACCOUNT_ID, API

CLIENTS = f"{API}/accounting/account/{ACCOUNT_ID}/users/clients"
ONE = {"response": {"result": {"client": {"id": 1, "fname": "A"}}}}


@pytest.fixture
def sleeps(fb):
    waited: list[float] = []
    fb.http._sleep = waited.append
    return waited


def test_get_retried_after_429_honouring_retry_after(httpx2_mock, books, sleeps):
    route = httpx2_mock.get(f"{CLIENTS}/1").mock(
        side_effect=[
            respx.MockResponse(429, headers={"Retry-After": "7"}, text="slow down"),
            respx.MockResponse(200, json=ONE),
        ]
    )
    assert books.clients.get(1).fname == "A"
    assert route.call_count == 2
    assert sleeps == [7.0]


def test_get_retried_on_5xx_and_connection_errors_then_gives_up(httpx2_mock, books, sleeps):
    route = httpx2_mock.get(f"{CLIENTS}/1").mock(
        side_effect=[
            respx.MockResponse(502, text="<html>Bad gateway</html>"),
            httpcore2.ConnectError("refused"),
            respx.MockResponse(503, json={}),
            respx.MockResponse(500, json={}),
        ]
    )
    with pytest.raises(ServerError):
        books.clients.get(1)
    assert route.call_count == 4  # RetryPolicy.max_attempts
    assert len(sleeps) == 3


def test_post_not_retried_after_503(httpx2_mock, books, sleeps):
    route = httpx2_mock.post(CLIENTS).respond(503, text="Service Unavailable")
    with pytest.raises(ServerError):
        books.clients.create({"fname": "Once"})
    assert route.call_count == 1
    assert sleeps == []


def test_put_not_retried_after_429(httpx2_mock, books, sleeps):
    route = httpx2_mock.put(f"{CLIENTS}/1").respond(429, headers={"Retry-After": "1"})
    with pytest.raises(RateLimitError) as caught:
        books.clients.update(1, {"note": "x"})
    assert caught.value.retry_after == 1.0
    assert route.call_count == 1


def test_post_timeout_is_typed_and_not_retried(httpx2_mock, books, sleeps):
    route = httpx2_mock.post(CLIENTS).mock(side_effect=httpcore2.ReadTimeout("slow"))
    with pytest.raises(RequestTimeout):
        books.clients.create({"fname": "Maybe"})
    assert route.call_count == 1


def test_network_error_is_typed(httpx2_mock, books, sleeps):
    httpx2_mock.get(f"{CLIENTS}/1").mock(side_effect=httpcore2.ConnectError("refused"))
    with pytest.raises(NetworkError) as caught:
        books.clients.get(1)
    assert "could not be reached" in caught.value.user_message


def test_long_retry_after_is_not_waited_for(httpx2_mock, books, sleeps):
    route = httpx2_mock.get(f"{CLIENTS}/1").respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitError):
        books.clients.get(1)
    assert route.call_count == 1
    assert sleeps == []


def test_error_inside_200_on_get_is_retried_once_recovered(httpx2_mock, books, sleeps):
    route = httpx2_mock.get(f"{CLIENTS}/1").mock(
        side_effect=[
            respx.MockResponse(
                200, json={"response": {"errors": [{"errno": 500, "message": "oops"}]}}
            ),
            respx.MockResponse(200, json=ONE),
        ]
    )
    assert books.clients.get(1).id == 1
    assert route.call_count == 2


def test_non_json_200_is_a_format_error(httpx2_mock, books, sleeps):
    httpx2_mock.get(f"{CLIENTS}/1").respond(200, text="<html>maintenance</html>")
    with pytest.raises(ResponseFormatError):
        books.clients.get(1)


def test_malformed_record_is_a_format_error(httpx2_mock, books):
    httpx2_mock.get(f"{CLIENTS}/1").respond(
        json={"response": {"result": {"client": {"id": "not-a-number"}}}}
    )
    with pytest.raises(ResponseFormatError, match="client"):
        books.clients.get(1)


def test_bearer_header_sent_and_no_content_type_on_get(httpx2_mock, books):
    route = httpx2_mock.get(f"{CLIENTS}/1").respond(json=ONE)
    books.clients.get(1)
    headers = route.calls.last.request.headers
    assert headers["Authorization"] == "Bearer test-access-token"
    assert "content-type" not in headers


def test_unmocked_request_fails_instead_of_reaching_network():
    client = FreshBooksClient.with_access_token("t", api_url="https://api.freshbooks.com")
    with respx.mock(using="httpcore2", assert_all_called=False) as router:
        router.get("https://api.freshbooks.com/other").respond(200)
        with pytest.raises(Exception, match="not mocked"):
            client.http.request("GET", "/auth/api/v1/users/me")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("5", 5.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Wed, 25 Nov 2026 12:00:10 GMT", 10.0),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after(header, expected):
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == expected


def test_backoff_grows_exponentially_with_jitter_and_cap():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, max_attempts=10)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (6, 8.0)]:
        delay = policy.delay(attempt, rng=rng)
        assert ceiling / 2 <= delay <= ceiling
    assert policy.should_retry("GET", 1)
    assert not policy.should_retry("POST", 1)
    assert not policy.should_retry("PUT", 1)
    assert not policy.should_retry("GET", 10)


@pytest.mark.parametrize("base", ["https://api.freshbooks.com", "http://sandbox.test/prefix/"])
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/accounting/account/ab12/invoices/invoices", None),
        ("/accounting/account/ab12/invoices/invoices", []),
        (
            "/accounting/account/ab12/invoices/invoices",
            [("include[]", "lines"), ("search[updated_min]", "2026-11-25"), ("page", "2")],
        ),
        (
            "/timetracking/business/7/time_entries",
            {"updated_since": "2026-11-25T10:00:00Z", "team": True, "x": None, "n": 3},
        ),
        ("/a b/é", [("q", "a b+c&d=e/é?#%"), ("q", "two")]),
        ("/already?page=1", [("per_page", "100")]),
        ("relative/path", [("page", "1")]),
        ("https://elsewhere.test/x", [("page", "1")]),
    ],
)
def test_the_url_sent_is_the_one_httpx2_builds(base, path, params):
    with HTTPClient(base) as http:
        reference = http._client.build_request("GET", path, params=params).url
        assert httpx2.URL(http._url(path, params)) == reference
