"""Lists answer from memoized record copies: they must never go stale.

Every list below is read once (so its records are memoized), then something changes, and the
same list must show the change: a write to the record, a payment to its invoice, a day passing
(overdue), another include, logged time on a project. Each test also reads the list in both
shapes in turn, the way the dashboards and the agent alternate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette

from sandbox.demo_token import issue_token
from tests.support.sandbox import tiny_demo

from ..support.sandbox_api import Api, FakeClock

BASE = "/accounting/account/ABC123"
INVOICES = f"{BASE}/invoices/invoices"
PAYMENTS = f"{BASE}/payments/payments"
EXPENSES = f"{BASE}/expenses/expenses"
CLIENTS = f"{BASE}/users/clients"
PROJECTS = "/projects/business/77/projects"
ENTRIES = "/timetracking/business/77/time_entries"


def listed(api: Api, path: str, plural: str, **params: Any) -> dict[int, dict[str, Any]]:
    response = api.get(path, params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    rows = body["response"]["result"][plural] if "response" in body else body[plural]
    return {row["id"]: row for row in rows}


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]  # JSON is Any


def test_invoice_list_follows_edits_and_payments(api: Api) -> None:
    lines = {"include[]": "lines"}
    assert listed(api, INVOICES, "invoices", **lines)[2]["notes"] == ""
    ok(api.put(f"{INVOICES}/2", json={"invoice": {"notes": "Net 15"}}))
    assert listed(api, INVOICES, "invoices", **lines)[2]["notes"] == "Net 15"
    assert listed(api, INVOICES, "invoices")[2]["notes"] == "Net 15"

    assert listed(api, INVOICES, "invoices", **lines)[1]["outstanding"]["amount"] == "21.94"
    payment = {"invoiceid": 1, "amount": {"amount": "1.94"}, "date": "2024-06-15"}
    paid = ok(api.post(PAYMENTS, json={"payment": payment}))["response"]["result"]["payment"]
    after = listed(api, INVOICES, "invoices", **lines)[1]
    assert (after["outstanding"]["amount"], after["payment_status"]) == ("20.00", "partial")
    ok(api.put(f"{PAYMENTS}/{paid['id']}", json={"payment": {"vis_state": 1}}))
    assert listed(api, INVOICES, "invoices", **lines)[1]["outstanding"]["amount"] == "21.94"


def test_overdue_follows_the_clock_without_any_write(
    app: Starlette, make_api: Callable[..., Api], clock: FakeClock
) -> None:
    api = make_api(app, issue_token(app))
    line = {"name": "Work", "qty": "1", "unit_cost": {"amount": "80.00", "code": "CAD"}}
    body = {"customerid": 1, "create_date": "2024-06-10", "due_offset_days": 10, "lines": [line]}
    created = ok(api.post(INVOICES, json={"invoice": body}))["response"]["result"]["invoice"]
    key = created["id"]
    ok(api.put(f"{INVOICES}/{key}", json={"invoice": {"action_mark_as_sent": True}}))
    for params in ({}, {"include[]": "lines"}):
        assert listed(api, INVOICES, "invoices", **params)[key]["v3_status"] == "sent"
    clock.advance(days=6)  # due 2024-06-20; now 2024-06-21
    later = make_api(app, issue_token(app))
    for params in ({}, {"include[]": "lines"}):
        row = listed(later, INVOICES, "invoices", **params)[key]
        assert (row["v3_status"], row["display_status"]) == ("overdue", "outstanding")


def test_expense_status_follows_its_invoice(api: Api) -> None:
    assert listed(api, EXPENSES, "expenses")[2]["status"] == 1  # has a client, not invoiced
    ok(api.put(f"{EXPENSES}/2", json={"expense": {"invoiceid": 2}}))
    assert listed(api, EXPENSES, "expenses")[2]["status"] == 2  # invoiced
    payment = {"invoiceid": 2, "amount": {"amount": "100.00"}, "date": "2024-06-15"}
    paid = ok(api.post(PAYMENTS, json={"payment": payment}))["response"]["result"]["payment"]
    # The expense itself did not change: its status follows the invoice being paid.
    assert listed(api, EXPENSES, "expenses")[2]["status"] == 4
    with_category = listed(api, EXPENSES, "expenses", **{"include[]": "category"})[2]
    assert (with_category["status"], with_category["category"]["id"]) == (4, 2)
    ok(api.put(f"{PAYMENTS}/{paid['id']}", json={"payment": {"vis_state": 1}}))
    assert listed(api, EXPENSES, "expenses")[2]["status"] == 2


def test_a_stored_expense_status_is_not_trusted_once_its_invoice_is_paid(
    make_app: Callable[..., Starlette], make_api: Callable[..., Api]
) -> None:
    # Seeded expenses carry their status (lists then send them as stored); paying the invoice
    # makes the stored 2 stale without any write to the expense.
    demo = tiny_demo()
    demo.businesses[0].expenses[1].update({"invoiceid": 2, "status": 2})
    app = make_app(demo)
    api = make_api(app, issue_token(app))
    assert listed(api, EXPENSES, "expenses")[2]["status"] == 2
    payment = {"invoiceid": 2, "amount": {"amount": "100.00"}, "date": "2024-06-15"}
    ok(api.post(PAYMENTS, json={"payment": payment}))
    shown = listed(api, EXPENSES, "expenses")[2]
    assert shown["status"] == 4
    assert list(shown) == list(ok(api.get(f"{EXPENSES}/2"))["response"]["result"]["expense"])


def test_includes_shape_every_read(api: Api) -> None:
    for _ in range(2):
        assert all("lines" not in i for i in listed(api, INVOICES, "invoices").values())
        full = listed(api, INVOICES, "invoices", **{"include[]": ["lines", "presentation"]})
        assert all(i["lines"] and i["presentation"] for i in full.values())
        lines = listed(api, INVOICES, "invoices", **{"include[]": "lines"})
        assert all(i["lines"] and "presentation" not in i for i in lines.values())


def test_client_balances_follow_payments(api: Api) -> None:
    balance = {"include[]": "outstanding_balance"}
    plain = listed(api, CLIENTS, "clients")[1]
    assert "outstanding_balance" not in plain
    before = listed(api, CLIENTS, "clients", **balance)[1]["outstanding_balance"]
    assert before == [{"amount": {"amount": "21.94", "code": "CAD"}}]
    payment = {"invoiceid": 1, "amount": {"amount": "21.94"}, "date": "2024-06-15"}
    ok(api.post(PAYMENTS, json={"payment": payment}))
    assert listed(api, CLIENTS, "clients", **balance)[1]["outstanding_balance"] == []
    assert "outstanding_balance" not in listed(api, CLIENTS, "clients")[1]


def test_time_entry_list_follows_replace_and_delete(api: Api) -> None:
    team = {"team": "true"}
    assert listed(api, ENTRIES, "time_entries", **team)[1]["note"] == "Wireframes"
    body = {"is_logged": True, "started_at": "2024-01-08T14:00:00Z", "duration": 60, "note": "X"}
    ok(api.put(f"{ENTRIES}/1", json={"time_entry": body}))
    again = listed(api, ENTRIES, "time_entries", **team)[1]
    assert (again["note"], again["duration"], again["project_id"]) == ("X", 60, None)
    assert api.delete(f"{ENTRIES}/1").status_code == 204
    assert 1 not in listed(api, ENTRIES, "time_entries", **team)
    gone = listed(api, ENTRIES, "time_entries", include_deleted="true", **team)[1]
    assert gone["active"] is False


def test_project_list_follows_logged_time_and_skip_group(api: Api) -> None:
    logged = {"include_logged_duration": "true"}
    assert listed(api, PROJECTS, "projects", **logged)[1]["logged_duration"] == 5400
    assert listed(api, PROJECTS, "projects")[1]["logged_duration"] is None
    entry = {"is_logged": True, "started_at": "2024-06-14T09:00:00Z", "duration": 600,
             "project_id": 1}  # fmt: skip
    ok(api.post(ENTRIES, json={"time_entry": entry}))
    assert listed(api, PROJECTS, "projects", **logged)[1]["logged_duration"] == 6000
    for _ in range(2):
        assert "group_id" not in listed(api, PROJECTS, "projects", skip_group="true")[1]
        assert listed(api, PROJECTS, "projects")[1]["group_id"] == 1
    ok(api.put("/projects/business/77/project/1", json={"project": {"title": "Renamed"}}))
    assert listed(api, PROJECTS, "projects", **logged)[1]["title"] == "Renamed"
