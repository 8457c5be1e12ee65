"""Clients resource: requests sent and answers parsed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import respx

from fbclient import InvalidRequestError, Money

from ..support.constants import ACCOUNT_ID, API

BASE = f"{API}/accounting/account/{ACCOUNT_ID}/users/clients"

CLIENT = {
    "id": 12,
    "userid": 12,
    "fname": "Ada",
    "lname": "Lovelace",
    "organization": "Analytical Ltd",
    "email": "ada@example.com",
    "currency_code": "GBP",
    "signup_date": "2024-03-01 12:00:00",
    "updated": "2024-07-01 09:30:00",
    "vis_state": 0,
    "some_future_field": {"kept": True},
}


def result(**payload):
    return {"response": {"result": payload}}


def test_list_sends_search_include_sort_and_reads_balances(httpx2_mock, books):
    row = {
        **CLIENT,
        "outstanding_balance": [
            {"amount": {"amount": "100.50", "code": "GBP"}},
            {"amount": {"amount": "20", "code": "USD"}},
        ],
    }
    route = httpx2_mock.get(BASE).respond(
        json=result(clients=[row], page=1, pages=1, per_page=100, total=1)
    )
    clients = books.clients.list(
        {"organization_like": "analyt", "userids": [12, 13], "has_outstanding": True},
        include=["outstanding_balance"],
        sort="organization_name",
    )
    sent = route.calls.last.request.url.params
    assert sent.get_list("search[userids][]") == ["12", "13"]
    assert sent["search[organization_like]"] == "analyt"
    assert sent["search[has_outstanding]"] == "true"
    assert sent.get_list("include[]") == ["outstanding_balance"]
    assert sent["sort"] == "organization_name_asc"
    assert sent["per_page"] == "100"
    (client,) = clients
    assert client.outstanding_balance == [Money.of("100.50", "GBP"), Money.of("20", "USD")]
    assert client.display_name == "Analytical Ltd"
    assert client.signup_date.utcoffset().total_seconds() == 0
    assert client.model_extra["some_future_field"] == {"kept": True}


def test_get_folds_legacy_id(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/12").respond(json=result(client={**CLIENT, "id": None}))
    assert books.clients.get(12).id == 12


def test_create_wraps_body_in_singular_envelope(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(client=CLIENT))
    created = books.clients.create({"fname": "Ada", "email": "ada@example.com"})
    assert json.loads(route.calls.last.request.content) == {
        "client": {"fname": "Ada", "email": "ada@example.com"}
    }
    assert created.id == 12


def test_update_is_partial_and_delete_is_vis_state(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/12").mock(
        side_effect=[
            respx.MockResponse(200, json=result(client={**CLIENT, "note": "vip"})),
            respx.MockResponse(200, json=result(client={**CLIENT, "vis_state": 1})),
        ]
    )
    assert books.clients.update(12, {"note": "vip"}).note == "vip"
    assert json.loads(route.calls[0].request.content) == {"client": {"note": "vip"}}
    assert books.clients.delete(12).vis_state == 1
    assert json.loads(route.calls[1].request.content) == {"client": {"vis_state": 1}}


def test_update_refuses_vis_state_mixed_with_fields(books):
    with pytest.raises(ValueError, match="vis_state"):
        books.clients.update(12, {"vis_state": 0, "note": "x"})


def test_create_validation_error_7012(httpx2_mock, books):
    httpx2_mock.post(BASE).respond(
        422,
        json={
            "response": {
                "errors": [
                    {
                        "errno": 7012,
                        "field": None,
                        "message": "Client must have a first name, last name, email or organization.",
                        "object": "client",
                        "value": None,
                    }
                ]
            }
        },
    )
    with pytest.raises(InvalidRequestError) as caught:
        books.clients.create({"note": "nobody"})
    assert caught.value.errno == 7012
    assert "first name" in caught.value.user_message


def test_amounts_are_decimal_not_float(httpx2_mock, books):
    row = {**CLIENT, "credit_balance": [{"amount": {"amount": "0.10", "code": "GBP"}}]}
    httpx2_mock.get(f"{BASE}/12").respond(json=result(client=row))
    amount = books.clients.get(12).credit_balance[0].amount
    assert isinstance(amount, Decimal)
    assert amount + Decimal("0.20") == Decimal("0.30")
