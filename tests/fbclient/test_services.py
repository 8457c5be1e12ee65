"""Services and service rates: ``/comments/business/{b}/...``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import respx
from pydantic import ValidationError

from fbclient import NotFoundError

from ..support.constants import API, BUSINESS_ID

BASE = f"{API}/comments/business/{BUSINESS_ID}"

SERVICE = {
    "business_id": BUSINESS_ID,
    "id": 3,
    "name": "Research",
    "billable": True,
    "project_default": False,
    "vis_state": 0,
}


def listing(rows, page=1, pages=1, total=None):
    total = len(rows) if total is None else total
    return {
        "services": rows,
        "meta": {"total": total, "per_page": 100, "page": page, "pages": pages},
    }


def test_list_includes_task_id_as_bare_param_and_pages_in_order(httpx2_mock, books):
    pages = {
        1: listing([{**SERVICE, "id": 1, "task_id": 11}], page=1, pages=2, total=2),
        2: listing([{**SERVICE, "id": 2, "task_id": 0}], page=2, pages=2, total=2),
    }
    route = httpx2_mock.get(f"{BASE}/services").mock(
        side_effect=lambda request: respx.MockResponse(
            200, json=pages[int(request.url.params["page"])]
        )
    )
    services = books.services.list(include_task_id=True)
    assert [(s.id, s.task_id) for s in services] == [(1, 11), (2, None)]
    assert route.calls[0].request.url.params["include_task_id"] == "true"
    assert route.call_count == 2


def test_list_empty(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/services").respond(json=listing([], pages=0))
    assert list(books.services.list()) == []
    assert "include_task_id" not in route.calls.last.request.url.params


def test_get_and_create(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/service/3").respond(json={"service": SERVICE})
    post = httpx2_mock.post(f"{BASE}/service").respond(json={"service": SERVICE})
    assert books.services.get(3).name == "Research"
    assert books.services.create({"name": "Research"}).id == 3
    assert json.loads(post.calls.last.request.content) == {"service": {"name": "Research"}}


@pytest.mark.parametrize(("data", "error"), [({}, ValueError), ({"nme": "x"}, ValidationError)])
def test_create_refuses_bad_input(httpx2_mock, books, data, error):
    with pytest.raises(error):
        books.services.create(data)
    assert httpx2_mock.calls.call_count == 0


def test_update_and_delete(httpx2_mock, books):
    put = httpx2_mock.put(f"{BASE}/service/3").respond(
        json={"service": {**SERVICE, "billable": False}}
    )
    httpx2_mock.delete(f"{BASE}/service/3").respond(204)
    assert books.services.update(3, {"billable": False}).billable is False
    assert json.loads(put.calls.last.request.content) == {"service": {"billable": False}}
    assert books.services.delete(3) is None


def test_delete_answer_with_body_is_read(httpx2_mock, books):
    httpx2_mock.delete(f"{BASE}/service/3").respond(json={"service": {**SERVICE, "vis_state": 1}})
    assert books.services.delete(3).vis_state == 1


@pytest.mark.parametrize(
    ("method", "verb", "rate", "wire"),
    [
        ("create_rate", "POST", "10.00", "10.00"),
        ("update_rate", "PUT", Decimal("12.5"), "12.5"),
        ("update_rate", "PUT", 20, "20"),
    ],
)
def test_set_rate_sends_plain_decimal(httpx2_mock, books, method, verb, rate, wire):
    route = httpx2_mock.route(method=verb, url=f"{BASE}/service/3/rate").respond(
        json={"service_rate": {"rate": wire, "business_id": BUSINESS_ID, "service_id": 3}}
    )
    result = getattr(books.services, method)(3, rate)
    assert json.loads(route.calls.last.request.content) == {"service_rate": {"rate": wire}}
    assert result.rate == Decimal(wire)
    assert result.service_id == 3


def test_get_rate_is_decimal_without_currency(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/service/3/rate").respond(
        json={"service_rate": {"rate": "10.10", "business_id": BUSINESS_ID, "service_id": 3}}
    )
    rate = books.services.get_rate(3).rate
    assert isinstance(rate, Decimal)
    assert rate + Decimal("0.20") == Decimal("10.30")


def test_negative_rate_is_refused_before_any_request(httpx2_mock, books):
    with pytest.raises(ValidationError):
        books.services.create_rate(3, "-1")
    assert httpx2_mock.calls.call_count == 0


def test_list_rates_without_meta_is_one_request(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/service_rates").respond(
        json={
            "service_rates": [
                {"rate": "10.00", "business_id": BUSINESS_ID, "service_id": 3},
                {"rate": None, "business_id": BUSINESS_ID, "service_id": 4},
            ]
        }
    )
    rates = books.services.list_rates()
    assert [(r.service_id, r.rate) for r in rates] == [(3, Decimal("10.00")), (4, None)]
    assert route.call_count == 1


def test_missing_service_is_not_found(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/service/9/rate").respond(
        404, json={"error": "Requested resource could not be found."}
    )
    with pytest.raises(NotFoundError):
        books.services.get_rate(9)
