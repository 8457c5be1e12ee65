"""The client under every fault, on the sandbox: safe requests retried, writes never, typed errors.

Counted at the transport, so a retry the client makes is a request seen; waits are recorded by a
fake ``sleep`` (no test waits). The client tries a safe request at most
``RetryPolicy.max_attempts`` (4) times.
"""

from __future__ import annotations

import re

import pytest

from fbclient import (
    APIError,
    FreshBooksError,
    NetworkError,
    RateLimitError,
    RequestTimeout,
    ResponseFormatError,
    RetryPolicy,
    ServerError,
)
from fbclient.models.clients import ClientInput

from ..support.faulty_transport import KINDS

ATTEMPTS = RetryPolicy().max_attempts
# What each fault becomes in the client's exception tree.
RAISES: dict[str, type[FreshBooksError]] = {
    "rate_limit": RateLimitError,
    "json_500": ServerError,
    "html_502": ServerError,
    "text_503": ServerError,
    "html_504_after_write": ServerError,
    "timeout_before": RequestTimeout,
    "timeout_after": RequestTimeout,
    "connect_error": NetworkError,
    "non_json_200": ResponseFormatError,
    "error_in_200": APIError,
}
# Words of a traceback or the code, never of a sentence for a person.
RAW = re.compile(r"Traceback|[A-Z][a-z]+(Error|Exception|Timeout)\b|httpx|<html|\bHTTP \d{3}\b")


def assert_sentence(error: FreshBooksError) -> None:
    """The error's message for people is a sentence: no class names, markup or status codes."""
    text = error.user_message
    assert text.endswith("."), text
    assert not RAW.search(text), text


def test_every_kind_is_mapped():
    assert set(RAISES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_a_get_is_retried_then_fails_with_a_typed_error(client, faults, kind):
    faults.inject(kind, path="/users/clients", retry_after="3" if kind == "rate_limit" else None)
    books = client.business(client.identity().businesses[0])
    with pytest.raises(RAISES[kind]) as caught:
        books.clients.list_page(1, 5)
    assert type(caught.value) is RAISES[kind]  # the exact class, not a parent
    assert_sentence(caught.value)
    gets = faults.requests("GET", "/users/clients")
    assert len(gets) == ATTEMPTS
    assert len({s.url for s in gets}) == 1
    assert len(faults.sleeps) == ATTEMPTS - 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_get_gets_past_a_transient_fault(client, faults, kind):
    faults.inject(kind, path="/users/clients", per_url=2)
    books = client.business(client.identity().businesses[0])
    page = books.clients.list_page(1, 5)
    assert page.items  # the answer the third attempt got
    assert len(faults.requests("GET", "/users/clients")) == 3


def test_retry_after_is_honoured_and_backoff_is_used_without_it(client, faults):
    books = client.business(client.identity().businesses[0])
    faults.inject("rate_limit", path="/users/clients", retry_after="7", per_url=3)
    books.clients.list_page(1, 5)
    assert faults.sleeps == [7.0, 7.0, 7.0]
    faults.calm()
    faults.forget()
    faults.inject("rate_limit", path="/invoices/invoices", per_url=3)
    books.invoices.list_page(1, 5)
    # Exponential with full jitter around 0.5 s, 1 s, 2 s: each in [ceiling/2, ceiling].
    policy = RetryPolicy()
    for attempt, wait in enumerate(faults.sleeps, start=1):
        ceiling = policy.base_delay * 2 ** (attempt - 1)
        assert ceiling / 2 <= wait <= ceiling


def test_a_retry_after_too_long_to_wait_is_handed_to_the_caller(client, faults):
    faults.inject("rate_limit", path="/users/clients", retry_after="3600")
    books = client.business(client.identity().businesses[0])
    with pytest.raises(RateLimitError) as caught:
        books.clients.list_page(1, 5)
    assert caught.value.retry_after == 3600
    assert len(faults.requests("GET", "/users/clients")) == 1
    assert faults.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("verb", ["POST", "PUT", "DELETE"])
def test_a_write_is_never_retried(client, faults, kind, verb):
    books = client.business(client.identity().businesses[0])
    invoice = books.invoices.list_page(1, 1).items[0]
    client_id = books.clients.list_page(1, 1).items[0].id
    write = {
        "POST": lambda: books.clients.create(ClientInput(organization=f"Retry check {kind}")),
        "PUT": lambda: books.clients.update(client_id, ClientInput(note=f"retry check {kind}")),
        "DELETE": lambda: books.invoices.delete(invoice.id),
    }[verb]
    faults.inject(kind, method=verb)
    with pytest.raises(RAISES[kind]) as caught:
        write()
    assert_sentence(caught.value)
    assert len(faults.requests(verb)) == 1  # exactly one attempt, whatever the fault
    assert faults.sleeps == []


# -- the sandbox's own fault injection (sandbox/core/faults.py) -----------------------------------


def test_a_sandbox_5xx_burst_is_retried_and_ends(client, faults, sandbox_app):
    box = sandbox_app[0].state.sandbox
    books = client.business(client.identity().businesses[0])
    before = sum(box.faults.injected[k] for k in ("json_500", "html_502", "text_503"))
    faults.sandbox_faults(fail_rate=1.0)
    with pytest.raises(ServerError) as caught:
        books.expenses.list_page(1, 5)
    assert_sentence(caught.value)
    assert len(faults.requests("GET", "/expenses/expenses")) == ATTEMPTS
    injected = sum(
        box.faults.injected[k]
        for k in ("json_500", "html_502", "text_503", "html_504_after_processing")
    )
    assert injected - before >= ATTEMPTS
    faults.calm()
    assert books.expenses.list_page(1, 5).items  # the burst is over: the same call works


def test_a_sandbox_error_inside_200_is_retried(client, faults):
    books = client.business(client.identity().businesses[0])
    faults.sandbox_faults(error_in_200_rate=1.0)
    with pytest.raises(APIError) as caught:
        books.payments.list_page(1, 5)
    assert caught.value.status == 200
    assert "unexpected error" in caught.value.user_message
    assert len(faults.requests("GET", "/payments/payments")) == ATTEMPTS


def test_a_sandbox_rate_limit_storm_waits_for_retry_after(client, faults):
    books = client.business(client.identity().businesses[0])
    faults.sandbox_faults(rate_limit=1)
    # The limiter's clock moves only when the client waits: the second request in the same
    # second is refused, the client waits the Retry-After (1 s) and gets in.
    assert books.clients.list_page(1, 5).items
    assert books.invoices.list_page(1, 5).items
    assert faults.sleeps == [1.0]
    assert len(faults.requests("GET", "/invoices/invoices")) == 2


def test_a_sandbox_rate_limit_storm_that_waiting_does_not_end(client, faults):
    books = client.business(client.identity().businesses[0])
    faults.clock_moves = False  # the window never passes: every retry is refused
    faults.sandbox_faults(rate_limit=1)
    assert books.clients.list_page(1, 5).items  # the one request this second allows
    with pytest.raises(RateLimitError) as caught:
        books.invoices.list_page(1, 5)
    assert caught.value.retry_after == 1.0
    assert_sentence(caught.value)
    assert faults.sleeps == [1.0] * (ATTEMPTS - 1)
    assert len(faults.requests("GET", "/invoices/invoices")) == ATTEMPTS
