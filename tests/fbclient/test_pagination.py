"""Lists return every page: page 1, then the rest concurrently, in order, with a ceiling."""

from __future__ import annotations

import threading
import time

import pytest
import respx

from fbclient.pagination import Page, fetch_all

from ..support.constants import ACCOUNT_ID, API

CLIENTS = f"{API}/accounting/account/{ACCOUNT_ID}/users/clients"


def page_body(page: int, pages: int, total: int, per_page: int = 100):
    start = (page - 1) * per_page
    count = max(0, min(per_page, total - start))
    rows = [
        {"id": start + i + 1, "userid": start + i + 1, "fname": f"c{start + i + 1}"}
        for i in range(count)
    ]
    return {
        "response": {
            "result": {
                "clients": rows,
                "page": page,
                "pages": pages,
                "per_page": per_page,
                "total": total,
            }
        }
    }


def test_all_pages_in_order(httpx2_mock, books):
    def answer(request):
        page = int(request.url.params["page"])
        return respx.MockResponse(200, json=page_body(page, 3, 250))

    route = httpx2_mock.get(CLIENTS).mock(side_effect=answer)
    clients = books.clients.list()
    assert [c.id for c in clients] == list(range(1, 251))
    assert clients.total == 250
    assert not clients.truncated
    assert sorted(int(c.request.url.params["page"]) for c in route.calls) == [1, 2, 3]
    assert all(c.request.url.params["per_page"] == "100" for c in route.calls)


def test_empty_list(httpx2_mock, books):
    route = httpx2_mock.get(CLIENTS).respond(
        json={
            "response": {
                "result": {"clients": [], "page": 1, "pages": 0, "per_page": 100, "total": 0}
            }
        }
    )
    clients = books.clients.list()
    assert len(clients) == 0
    assert clients.total == 0
    assert route.call_count == 1


def test_per_page_is_capped_at_100(httpx2_mock, books):
    route = httpx2_mock.get(CLIENTS).respond(json=page_body(1, 1, 5))
    books.clients.list_page(per_page=500)
    assert route.calls.last.request.url.params["per_page"] == "100"


def test_page_ceiling_truncates_and_says_so(httpx2_mock, books):
    def answer(request):
        page = int(request.url.params["page"])
        return respx.MockResponse(200, json=page_body(page, 40, 4000))

    route = httpx2_mock.get(CLIENTS).mock(side_effect=answer)
    clients = books.clients.list(max_pages=5)
    assert len(clients) == 500
    assert clients.truncated
    assert clients.total == 4000
    assert route.call_count == 5


def test_concurrency_is_bounded_and_used():
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def fetch(page: int) -> Page[int]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.01)
        with lock:
            in_flight -= 1
        return Page(items=[page], page=page, pages=30, per_page=1, total=30)

    result = fetch_all(fetch, concurrency=4)
    assert list(result) == list(range(1, 31))
    assert 2 <= peak <= 4


def test_a_failing_page_fails_the_list(httpx2_mock, books):
    def answer(request):
        page = int(request.url.params["page"])
        if page == 2:
            return respx.MockResponse(
                404, json={"response": {"errors": [{"errno": 1012, "message": "gone"}]}}
            )
        return respx.MockResponse(200, json=page_body(page, 3, 250))

    httpx2_mock.get(CLIENTS).mock(side_effect=answer)
    with pytest.raises(Exception, match="gone"):
        books.clients.list()
