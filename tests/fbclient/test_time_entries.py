"""Time entries resource: plural paths, bare filters, read-merge-write updates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import respx
from pydantic import ValidationError

from fbclient import InvalidRequestError, NotFoundError

from ..support.constants import API, BUSINESS_ID

BASE = f"{API}/timetracking/business/{BUSINESS_ID}/time_entries"

ENTRY = {
    "id": 218192,
    "identity_id": 6600,
    "is_logged": True,
    "started_at": "2020-10-17T05:00:00Z",
    "created_at": "2020-10-17T01:09:41Z",
    "client_id": 4321,
    "project_id": 654,
    "pending_client": None,
    "pending_project": None,
    "pending_task": None,
    "task_id": None,
    "service_id": 3,
    "note": "Some note",
    "active": True,
    "billable": True,
    "billed": False,
    "internal": False,
    "retainer_id": None,
    "duration": 5400,
    "timer": None,
}

# What a PUT of ENTRY must carry: every writable field, no read-only ones.
WRITABLE = {
    "identity_id": 6600,
    "is_logged": True,
    "started_at": "2020-10-17T05:00:00Z",
    "client_id": 4321,
    "project_id": 654,
    "service_id": 3,
    "note": "Some note",
    "billable": True,
    "billed": False,
    "internal": False,
    "duration": 5400,
}


def listing(rows, page=1, pages=1, total=None):
    total = len(rows) if total is None else total
    return {
        "time_entries": rows,
        "meta": {"total": total, "per_page": 100, "page": page, "pages": pages},
    }


def test_list_sends_bare_filters_as_utc_and_parses_times(httpx2_mock, books):
    route = httpx2_mock.get(BASE).respond(json=listing([ENTRY]))
    eastern = timezone(timedelta(hours=-4))
    entries = books.time_entries.list(
        started_from=datetime(2024, 3, 1, 0, 0, tzinfo=eastern),
        started_to=datetime(2024, 3, 31, 23, 59, 59, tzinfo=UTC),
        billable=True,
        billed=False,
        client_id=4321,
        project_id=654,
        team=True,
        include_unlogged=True,
        include_deleted=False,
        identity_id=6600,
    )
    sent = route.calls.last.request.url.params
    assert dict(sent) == {
        "started_from": "2024-03-01T04:00:00Z",
        "started_to": "2024-03-31T23:59:59Z",
        "billable": "true",
        "billed": "false",
        "client_id": "4321",
        "project_id": "654",
        "team": "true",
        "include_unlogged": "true",
        "include_deleted": "false",
        "identity_id": "6600",
        "page": "1",
        "per_page": "100",
    }
    (entry,) = entries
    assert entry.started_at == datetime(2020, 10, 17, 5, 0, tzinfo=UTC)
    assert entry.started_at.utcoffset() == timedelta(0)
    assert entry.hours == Decimal("1.5000")
    assert entry.task_id is None
    assert entry.model_extra["pending_client"] is None


def test_list_refuses_naive_datetimes_before_any_request(httpx2_mock, books):
    with pytest.raises(ValueError, match="timezone"):
        books.time_entries.list(started_from=datetime(2024, 3, 1))
    assert httpx2_mock.calls.call_count == 0


def test_list_pages_in_order_and_empty(httpx2_mock, books):
    pages = {
        1: listing([{**ENTRY, "id": 1}], page=1, pages=2, total=2),
        2: listing([{**ENTRY, "id": 2}], page=2, pages=2, total=2),
    }
    httpx2_mock.get(BASE).mock(
        side_effect=lambda request: respx.MockResponse(
            200, json=pages[int(request.url.params["page"])]
        )
    )
    assert [e.id for e in books.time_entries.list()] == [1, 2]


def test_list_empty(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=listing([], pages=0))
    assert list(books.time_entries.list()) == []


def test_get(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/218192").respond(json={"time_entry": ENTRY})
    entry = books.time_entries.get(218192)
    assert (entry.id, entry.client_id, entry.duration) == (218192, 4321, 5400)


def test_create_sends_utc_z_and_seconds(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json={"time_entry": ENTRY})
    created = books.time_entries.create(
        {
            "is_logged": True,
            "started_at": datetime(2020, 10, 17, 1, 0, tzinfo=timezone(timedelta(hours=-4))),
            "duration": 5400,
            "project_id": 654,
            "note": "Some note",
        }
    )
    assert json.loads(route.calls.last.request.content) == {
        "time_entry": {
            "is_logged": True,
            "started_at": "2020-10-17T05:00:00Z",
            "duration": 5400,
            "project_id": 654,
            "note": "Some note",
        }
    }
    assert created.id == 218192


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"is_logged": True, "duration": 60}, ValueError),  # no started_at
        ({"is_logged": True, "started_at": datetime(2020, 1, 1), "duration": 60}, ValidationError),
        (
            {"is_logged": True, "started_at": "2020-01-01T00:00:00Z", "duration": -1},
            ValidationError,
        ),
        ({"is_logged": True, "started_at": "2020-01-01T00:00:00Z", "hours": 1}, ValidationError),
    ],
)
def test_create_refuses_bad_input_before_any_request(httpx2_mock, books, data, error):
    with pytest.raises(error):
        books.time_entries.create(data)
    assert httpx2_mock.calls.call_count == 0


def test_create_validation_error(httpx2_mock, books):
    httpx2_mock.post(BASE).respond(
        422, json={"errno": 2001, "error": {"started_at": "field required"}}
    )
    with pytest.raises(InvalidRequestError) as caught:
        books.time_entries.create(
            {"is_logged": True, "started_at": "2020-01-01T00:00:00Z", "duration": 60}
        )
    assert caught.value.field_errors == {"started_at": "field required"}


def test_update_reads_merges_and_puts_the_whole_record(httpx2_mock, books):
    get = httpx2_mock.get(f"{BASE}/218192").respond(json={"time_entry": ENTRY})
    put = httpx2_mock.put(f"{BASE}/218192").respond(
        json={"time_entry": {**ENTRY, "note": "Reviewed", "duration": 3600}}
    )
    updated = books.time_entries.update(218192, {"note": "Reviewed", "duration": 3600})
    assert [call.request.method for call in httpx2_mock.calls] == ["GET", "PUT"]
    assert get.call_count == put.call_count == 1
    assert json.loads(put.calls.last.request.content) == {
        "time_entry": {**WRITABLE, "note": "Reviewed", "duration": 3600}
    }
    assert (updated.note, updated.duration) == ("Reviewed", 3600)


def test_update_can_clear_a_field(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/218192").respond(json={"time_entry": ENTRY})
    put = httpx2_mock.put(f"{BASE}/218192").respond(json={"time_entry": ENTRY})
    books.time_entries.update(218192, {"project_id": None})
    sent = json.loads(put.calls.last.request.content)["time_entry"]
    assert sent["project_id"] is None
    assert sent["client_id"] == 4321


@pytest.mark.parametrize("changes", [{}, {"id": 5}, {"created_at": "2020-01-01T00:00:00Z"}])
def test_update_refuses_empty_or_read_only_changes(httpx2_mock, books, changes):
    with pytest.raises((ValueError, ValidationError)):
        books.time_entries.update(218192, changes)
    assert httpx2_mock.calls.call_count == 0


def test_update_of_missing_entry_does_not_put(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/1").respond(
        404, json={"error": "Requested resource could not be found."}
    )
    with pytest.raises(NotFoundError):
        books.time_entries.update(1, {"note": "x"})
    # No PUT route exists: the router would fail the test on an unmocked PUT.
    assert [call.request.method for call in httpx2_mock.calls] == ["GET"]


def test_delete_answers_204(httpx2_mock, books):
    route = httpx2_mock.delete(f"{BASE}/218192").respond(204)
    assert books.time_entries.delete(218192) is None
    assert route.call_count == 1


def test_mark_billed_updates_each_and_reports_failures(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/1").respond(json={"time_entry": {**ENTRY, "id": 1}})
    httpx2_mock.get(f"{BASE}/2").respond(
        404, json={"error": "Requested resource could not be found."}
    )
    put = httpx2_mock.put(f"{BASE}/1").respond(
        json={"time_entry": {**ENTRY, "id": 1, "billed": True}}
    )
    result = books.time_entries.mark_billed([1, 2, 1])
    assert [e.id for e in result.updated] == [1]
    assert result.updated[0].billed is True
    assert list(result.failed) == [2]
    assert isinstance(result.failed[2], NotFoundError)
    assert put.call_count == 1
    assert json.loads(put.calls.last.request.content)["time_entry"] == {**WRITABLE, "billed": True}
