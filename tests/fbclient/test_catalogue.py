"""The catalogue of lists, and the write events the resources announce (what the local mirror
applies without asking FreshBooks again)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import respx

from fbclient.catalogue import BY_NAME, CATALOGUE, listings_for
from fbclient.events import RecordWritten
from fbclient.identity import Business

from ..support.constants import ACCOUNT_ID, API, BUSINESS_ID

ACCOUNTING = f"{API}/accounting/account/{ACCOUNT_ID}"
PROJECTS = f"{API}/projects/business/{BUSINESS_ID}"
TIME = f"{API}/timetracking/business/{BUSINESS_ID}"
COMMENTS = f"{API}/comments/business/{BUSINESS_ID}"


def _accounting(singular: str, record: dict) -> respx.MockResponse:
    return respx.MockResponse(200, json={"response": {"result": {singular: record}}})


def test_every_listing_is_declared_once_with_its_id_twins():
    assert len(BY_NAME) == len(CATALOGUE)
    assert BY_NAME["invoices"].record_id({"invoiceid": 7}) == "7"
    assert BY_NAME["clients"].record_id({"id": 0, "userid": 9}) == "9"
    assert BY_NAME["service_rates"].record_id({"service_id": 3, "rate": "1"}) == "3"
    assert BY_NAME["team_members"].record_id({"uuid": "u-1"}) == "u-1"
    no_books = Business(business_id=1, name="Only time", role="owner", account_id=None)
    assert all(not item.accounting for item in listings_for(no_books))


def test_change_queries_follow_each_lists_declaration():
    since = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # still the 9th in US/Eastern
    invoices, entries, projects = BY_NAME["invoices"], BY_NAME["time_entries"], BY_NAME["projects"]
    assert str(invoices.changed_since(since)["updated_min"]) == "2026-03-09"
    assert invoices.deleted_since(since)["vis_state"] == 1
    assert entries.changed_since(since) == {
        "team": True,
        "include_deleted": True,
        "updated_since": "2026-03-10T03:00:00Z",
    }
    assert entries.deleted_since(since) is None
    assert projects.changed_since(since) is None


@pytest.mark.httpx2(assert_all_called=True)
def test_each_mirrored_write_announces_its_record(httpx2_mock, fb, books):
    heard: list[RecordWritten] = []
    fb.http.observe_writes(heard.append)
    httpx2_mock.post(f"{ACCOUNTING}/invoices/invoices").mock(
        return_value=_accounting("invoice", {"id": 11, "invoiceid": 11})
    )
    httpx2_mock.delete(f"{ACCOUNTING}/invoices/invoices/11").mock(
        return_value=respx.MockResponse(200, json={"response": {}})
    )
    httpx2_mock.put(f"{ACCOUNTING}/expenses/expenses/4").mock(
        return_value=_accounting("expense", {"id": 4, "vis_state": 1})
    )
    httpx2_mock.put(f"{PROJECTS}/project/2").mock(
        return_value=respx.MockResponse(200, json={"project": {"id": 2, "title": "T"}})
    )
    httpx2_mock.delete(f"{COMMENTS}/service/6").mock(return_value=respx.MockResponse(204))
    books.invoices.create({"customerid": 1})
    books.invoices.delete(11)
    books.expenses.delete(4)
    books.projects.update(2, {"title": "T"})
    books.services.delete(6)
    business = {"account_id": ACCOUNT_ID, "business_id": BUSINESS_ID}
    assert heard == [
        RecordWritten("invoices", **business, record_id=None, record={"id": 11, "invoiceid": 11}),
        RecordWritten("invoices", **business, record_id="11", record=None, deleted=True),
        RecordWritten("expenses", **business, record_id="4", record={"id": 4, "vis_state": 1}),
        RecordWritten("projects", **business, record_id="2", record={"id": 2, "title": "T"}),
        RecordWritten("services", **business, record_id="6", record=None, deleted=True),
    ]
