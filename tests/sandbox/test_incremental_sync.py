"""The filters an incremental mirror relies on (freshbooks-api.md §3.0, §3.7, §3.8).

* accounting lists: `search[updated_min]` / `updated_max` compare the day of the record's own
  `updated` stamp (naive US/Eastern), inclusive; the default view is active and archived
  (vis_state 0 and 2), `search[vis_state]=1` the deleted ones;
* every write stamps `updated`: create, edit, action, archive, delete (PUT vis_state=1 or HTTP
  DELETE), restore, and a payment stamps its invoice too;
* time entries: `updated_since` (ISO UTC; naive means UTC) sees creates, replaces and, with
  `include_deleted=true`, deletes, which come back with `"active": false`;
* projects: `updated_since` sees creates and edits; a DELETE is a hard delete, invisible to
  `updated_since` (a mirror has to notice missing ids itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette

from sandbox.demo_token import issue_token

from ..support.sandbox_api import NOW, Api, FakeClock

BASE = "/accounting/account/ABC123"
CLIENTS = f"{BASE}/users/clients"
INVOICES = f"{BASE}/invoices/invoices"
ESTIMATES = f"{BASE}/estimates/estimates"
EXPENSES = f"{BASE}/expenses/expenses"
PAYMENTS = f"{BASE}/payments/payments"
TAXES = f"{BASE}/taxes/taxes"
ITEMS = f"{BASE}/items/items"
TASKS = f"{BASE}/projects/tasks"
ENTRIES = "/timetracking/business/77/time_entries"
PROJECTS = "/projects/business/77/projects"
PROJECT = "/projects/business/77/project"

LATER = "2024-06-17"  # the day of the writes below (two days after the seed's stamps)


def rows(api: Api, path: str, plural: str, **params: Any) -> dict[int, dict[str, Any]]:
    response = api.get(path, params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    found = body["response"]["result"][plural] if "response" in body else body[plural]
    return {row["id"]: row for row in found}


def changed(api: Api, path: str, plural: str, day: str, **params: Any) -> set[int]:
    return set(rows(api, path, plural, **{"search[updated_min]": day, **params}))


@pytest.fixture
def later(app: Starlette, make_api: Callable[..., Api], clock: FakeClock) -> Api:
    """A client two days after the books were loaded (their `updated` is 2024-06-15)."""
    clock.advance(days=2)
    return make_api(app, issue_token(app))


def test_updated_min_compares_the_eastern_day_of_updated(
    app: Starlette, make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = make_api(app, issue_token(app))
    assert changed(api, CLIENTS, "clients", "2024-06-15") == {1, 2, 3}  # stamped at load
    # 03:30 UTC on the 17th is still the 16th in New York (EDT): the day that counts.
    clock.now = dt.datetime(2024, 6, 17, 3, 30, tzinfo=dt.UTC)
    api = make_api(app, issue_token(app))
    response = api.put(f"{CLIENTS}/1", json={"client": {"note": "late"}})
    assert response.json()["response"]["result"]["client"]["updated"] == "2024-06-16 23:30:00"
    assert changed(api, CLIENTS, "clients", "2024-06-16") == {1}
    assert changed(api, CLIENTS, "clients", "2024-06-16 23:59:59") == {1}  # a day, not a time
    assert changed(api, CLIENTS, "clients", "2024-06-17") == set()
    day_15 = {"search[updated_max]": "2024-06-15"}
    assert set(rows(api, CLIENTS, "clients", **day_15)) == {2, 3}  # 3 is archived
    window = {"search[updated_min]": "2024-06-16", "search[updated_max]": "2024-06-16"}
    assert set(rows(api, CLIENTS, "clients", **window)) == {1}


def test_default_views_keep_archived_and_hide_deleted(later: Api) -> None:
    assert later.put(f"{INVOICES}/2", json={"invoice": {"vis_state": 2}}).status_code == 200
    assert later.delete(f"{INVOICES}/3").status_code == 200
    assert set(rows(later, INVOICES, "invoices")) == {1, 2}
    assert set(rows(later, INVOICES, "invoices", **{"search[vis_state]": 2})) == {2}
    assert set(rows(later, INVOICES, "invoices", **{"search[vis_state]": 1})) == {3}
    assert set(rows(later, INVOICES, "invoices", **{"search[vis_state]": 0})) == {1}
    assert changed(later, INVOICES, "invoices", LATER) == {2}
    assert changed(later, INVOICES, "invoices", LATER, **{"search[vis_state]": 1}) == {3}


@dataclass(frozen=True)
class Write:
    """One kind of write, and what a mirror must find changed on the day it happened."""

    name: str
    method: str
    path: str
    body: dict[str, Any] | None
    plural: str
    vis_state: int | None  # the view it shows up in (None: the default view)
    also: dict[str, set[int]] = field(default_factory=dict)  # other lists: ids stamped too

    @property
    def listing(self) -> str:
        """The list the written record belongs to."""
        return self.path if self.method == "POST" else self.path.rsplit("/", 1)[0]


WRITES = [
    Write("create", "POST", CLIENTS, {"client": {"organization": "New"}}, "clients", None),
    Write("edit", "PUT", f"{CLIENTS}/2", {"client": {"note": "hi"}}, "clients", None),
    Write("archive", "PUT", f"{EXPENSES}/1", {"expense": {"vis_state": 2}}, "expenses", 2),
    Write("delete by PUT", "PUT", f"{EXPENSES}/3", {"expense": {"vis_state": 1}}, "expenses", 1),
    Write("restore", "PUT", f"{CLIENTS}/3", {"client": {"vis_state": 0}}, "clients", 0),
    Write(
        "action",
        "PUT",
        f"{INVOICES}/2",
        {"invoice": {"action_mark_as_sent": True}},
        "invoices",
        None,
    ),
    Write("DELETE invoice", "DELETE", f"{INVOICES}/2", None, "invoices", 1),
    Write("DELETE estimate", "DELETE", f"{ESTIMATES}/1", None, "estimates", 1),
    Write("DELETE tax", "DELETE", f"{TAXES}/1", None, "taxes", 1),
    Write("edit item", "PUT", f"{ITEMS}/1", {"item": {"name": "Gizmo"}}, "items", None),
    Write("edit task", "PUT", f"{TASKS}/1", {"task": {"name": "Design+"}}, "tasks", None),
    Write(
        "payment",
        "POST",
        PAYMENTS,
        {"payment": {"invoiceid": 1, "amount": {"amount": "1.00"}, "date": LATER}},
        "payments",
        None,
        {INVOICES: {1}},
    ),
    Write(
        "payment edit",
        "PUT",
        f"{PAYMENTS}/2",
        {"payment": {"note": "wire"}},
        "payments",
        None,
        {INVOICES: {3}},
    ),
    Write(
        "payment delete",
        "PUT",
        f"{PAYMENTS}/1",
        {"payment": {"vis_state": 1}},
        "payments",
        1,
        {INVOICES: {1}},
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_every_write_stamps_updated(later: Api, write: Write) -> None:
    response = later.request(write.method, write.path, json=write.body)
    assert response.status_code == 200, response.text
    result = response.json()["response"].get("result")  # HTTP DELETE answers {"response": {}}
    key = next(iter(result.values()))["id"] if result else int(write.path.rsplit("/", 1)[1])
    view = {} if write.vis_state is None else {"search[vis_state]": write.vis_state}
    stamped = rows(later, write.listing, write.plural, **{"search[updated_min]": LATER, **view})
    assert set(stamped) == {key}
    assert stamped[key]["updated"].startswith(f"{LATER} ")
    for path, keys in write.also.items():
        assert changed(later, path, path.rsplit("/", 1)[1], LATER) == keys


def test_a_payment_restamps_its_invoice_with_the_new_balance(later: Api) -> None:
    before = rows(later, INVOICES, "invoices")[1]
    payment = {"invoiceid": 1, "amount": {"amount": "21.94"}, "date": LATER}
    assert later.post(PAYMENTS, json={"payment": payment}).status_code == 200
    paid = rows(later, INVOICES, "invoices", **{"search[updated_min]": LATER})[1]
    assert before["updated"].startswith("2024-06-15 ")
    assert paid["updated"].startswith(f"{LATER} ")
    assert (paid["outstanding"]["amount"], paid["payment_status"]) == ("0.00", "paid")


def test_time_entries_updated_since_sees_creates_replaces_and_deletes(
    app: Starlette, make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = make_api(app, issue_token(app))
    team = {"team": "true"}
    assert rows(api, ENTRIES, "time_entries", updated_since="2024-06-01T00:00:00Z", **team) == {}
    clock.advance(hours=1)  # 17:00Z: create
    entry = {"is_logged": True, "started_at": "2024-06-15T09:00:00Z", "duration": 600}
    created = api.post(ENTRIES, json={"time_entry": entry}).json()["time_entry"]["id"]
    clock.advance(hours=1)  # 18:00Z: replace entry 1
    replace = {"is_logged": True, "started_at": "2024-01-08T14:00:00Z", "duration": 60}
    assert api.put(f"{ENTRIES}/1", json={"time_entry": replace}).status_code == 200
    clock.advance(hours=1)  # 19:00Z: delete entry 2
    assert api.delete(f"{ENTRIES}/2").status_code == 204

    def since(moment: str, **params: Any) -> set[int]:
        return set(rows(api, ENTRIES, "time_entries", updated_since=moment, **team, **params))

    assert since("2024-06-15T17:00:00Z") == {created, 1}
    assert since("2024-06-15T17:00:00Z", include_deleted="true") == {created, 1, 2}
    assert since("2024-06-15T18:00:00") == {1}  # no zone: UTC
    assert since("2024-06-15T18:00:01Z") == set()
    deleted = rows(
        api,
        ENTRIES,
        "time_entries",
        updated_since="2024-06-15T18:00:01Z",
        include_deleted="true",
        **team,
    )
    assert set(deleted) == {2}
    assert deleted[2]["active"] is False
    assert not any(key.startswith("_") for key in deleted[2])  # the stamp itself stays private
    assert api.get(ENTRIES, params={"updated_since": "yesterday"}).status_code == 422


def test_projects_updated_since_sees_edits_and_creates_but_not_deletes(
    app: Starlette, make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = make_api(app, issue_token(app))
    start = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert rows(api, PROJECTS, "projects", updated_since=start) == {}
    clock.advance(minutes=30)
    edited = api.put(f"{PROJECT}/1", json={"project": {"title": "Renamed"}}).json()["project"]
    assert edited["updated_at"] == "2024-06-15T16:30:00"  # ISO UTC without a zone
    created = api.post(PROJECT, json={"project": {"title": "New"}}).json()["project"]["id"]
    assert set(rows(api, PROJECTS, "projects", updated_since=start)) == {1, created}
    assert set(rows(api, PROJECTS, "projects", updated_since="2024-06-15T16:30:01Z")) == set()
    assert api.delete(f"{PROJECT}/2").status_code == 204
    # A hard delete leaves nothing to find: only a full id list shows project 2 is gone.
    assert set(rows(api, PROJECTS, "projects", updated_since=start)) == {1, created}
    assert set(rows(api, PROJECTS, "projects")) == {1, created}
