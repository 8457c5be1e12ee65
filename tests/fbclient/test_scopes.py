"""Scopes: parsing a configured list, a connection's grant from its token, narrowed by a 403."""

from __future__ import annotations

import time

import pytest

from fbclient import FreshBooksClient, MemoryTokenStore, PermissionDeniedError, TokenManager
from fbclient.catalogue import CATALOGUE, listings_for
from fbclient.identity import Business
from fbclient.oauth import Token
from fbclient.resources.estimates import Estimates
from fbclient.resources.services import Services
from fbclient.retry import RetryPolicy
from fbclient.scopes import Grant, parse_scopes

from ..support.constants import ACCOUNT_ID, API

ESTIMATES = f"{API}/accounting/account/{ACCOUNT_ID}/estimates/estimates"
GRANTED = "user:profile:read user:invoices:read"


def scope_403(provided: str, required: str) -> dict[str, str]:
    """FreshBooks' answer to a request its token lacks the scope for (as documented)."""
    return {
        "message": "insufficient_scope: The request requires higher privileges than provided "
        f"by the access token. Provided: ['{provided}']. Required: ['{required}']."
    }


def client_with(scope: str) -> tuple[FreshBooksClient, MemoryTokenStore]:
    store = MemoryTokenStore(Token(access_token="a", expires_at=time.time() + 3600, scope=scope))
    client = FreshBooksClient(
        TokenManager(store, refresh=None), api_url=API, retry=RetryPolicy(base_delay=0)
    )
    return client, store


def business() -> Business:
    return Business(business_id=1, account_id=ACCOUNT_ID, name="B", role="owner")


def test_parse_scopes_keeps_order_drops_repeats_and_names_bad_ones():
    assert parse_scopes("user:a:read  user:b:write,user:a:read") == ("user:a:read", "user:b:write")
    with pytest.raises(ValueError, match="invoices:list is not a scope"):
        parse_scopes("user:invoices:read invoices:list")


def test_grant_unknown_allows_everything_known_allows_what_it_lists():
    assert Grant.of("").allows("user:estimates:read")
    grant = Grant.of(GRANTED)
    assert grant.allows("user:invoices:read")
    assert not grant.allows("user:estimates:read")
    assert grant.missing(["user:estimates:read", "user:invoices:read"]) == ("user:estimates:read",)


def test_every_listing_carries_its_resources_read_scope():
    scopes = {listing.name: listing.scope for listing in CATALOGUE}
    assert scopes["estimates"] == Estimates.scopes.read == "user:estimates:read"
    assert scopes["service_rates"] == Services.scopes.read == "user:billable_items:read"
    assert all(s.startswith("user:") and s.endswith(":read") for s in scopes.values())


def test_listings_for_a_grant_leave_out_what_it_cannot_read():
    names = {listing.name for listing in listings_for(business(), Grant.of(GRANTED))}
    assert names == {"invoices", "invoice_profiles"}  # profiles are read with the invoices scope
    assert len(listings_for(business(), Grant.of(""))) == len(CATALOGUE)


def test_the_grant_is_read_from_the_token(httpx2_mock):
    client, _store = client_with(GRANTED)
    assert client.grant() == Grant(frozenset(GRANTED.split()))
    assert client.business(business()).grant() == client.grant()


def test_a_403_insufficient_scope_narrows_the_stored_grant_to_what_freshbooks_provided(
    httpx2_mock,
):
    client, store = client_with("user:profile:read user:invoices:read user:estimates:read")
    httpx2_mock.get(ESTIMATES).respond(403, json=scope_403(GRANTED, "user:estimates:read"))
    with pytest.raises(PermissionDeniedError) as caught:
        client.business(business()).estimates.list()
    assert caught.value.missing_scopes == ("user:estimates:read",)
    assert "tick it on the FreshBooks developer page (" in caught.value.user_message
    assert caught.value.user_message.endswith("), then Reconnect.")
    stored = store.load()
    assert stored is not None
    assert set(stored.scopes) == set(GRANTED.split())
    assert not client.grant().allows("user:estimates:read")


def test_a_403_without_a_provided_list_takes_the_missing_scope_out_of_a_known_grant(
    httpx2_mock,
):
    client, _store = client_with("user:profile:read user:estimates:read")
    httpx2_mock.get(ESTIMATES).respond(
        403,
        json={"message": "insufficient_scope: Provided: []. Required: ['user:estimates:read']."},
    )
    with pytest.raises(PermissionDeniedError):
        client.business(business()).estimates.list()
    assert client.grant() == Grant(frozenset({"user:profile:read"}))


def test_a_403_for_another_reason_leaves_the_grant_alone(httpx2_mock):
    client, store = client_with(GRANTED)
    httpx2_mock.get(ESTIMATES).respond(
        403, json={"response": {"errors": [{"errno": 1003, "message": "Access denied"}]}}
    )
    with pytest.raises(PermissionDeniedError):
        client.business(business()).estimates.list()
    stored = store.load()
    assert stored is not None
    assert stored.scope == GRANTED


def test_a_refresh_answer_without_scope_keeps_the_grant():
    store = MemoryTokenStore(
        Token(access_token="old", refresh_token="r1", expires_at=time.time() - 10, scope=GRANTED)
    )
    fresh = Token(access_token="new", refresh_token="r2", expires_at=time.time() + 3600)
    manager = TokenManager(store, refresh=lambda _r: fresh)
    assert manager.access_token() == "new"
    assert manager.grant() == Grant.of(GRANTED)
