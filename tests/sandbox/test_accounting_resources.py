"""Every other accounting resource: verbs, envelopes, id twins, validation, read-only rules."""

from __future__ import annotations

import pytest

BASE = "/accounting/account/ABC123"


def result(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()["response"]["result"]


def first_error(response) -> dict:
    return response.json()["response"]["errors"][0]


@pytest.mark.parametrize(
    ("path", "plural", "twin"),
    [
        ("users/clients", "clients", "userid"),
        ("invoices/invoices", "invoices", "invoiceid"),
        ("estimates/estimates", "estimates", "estimateid"),
        ("expenses/expenses", "expenses", "expenseid"),
        ("expenses/categories", "categories", "categoryid"),
        ("payments/payments", "payments", "logid"),
        ("items/items", "items", "itemid"),
        ("taxes/taxes", "taxes", "taxid"),
        ("users/staffs", "staffs", "staffid"),
        ("projects/tasks", "tasks", "taskid"),
    ],
)
def test_every_list_has_records_with_both_id_keys(api, path, plural, twin):
    body = result(api.get(f"{BASE}/{path}"))
    assert body[plural], plural
    assert all(r["id"] == r[twin] for r in body[plural])
    assert {"page", "pages", "per_page", "total"} <= set(body)
    one = body[plural][0]["id"]
    single = result(api.get(f"{BASE}/{path}/{one}"))
    assert len(single) == 1
    assert next(iter(single.values()))["id"] == one


def test_client_create_needs_a_name_or_email(api):
    response = api.post(f"{BASE}/users/clients", json={"client": {"note": "nameless"}})
    assert response.status_code == 422
    error = first_error(response)
    assert (error["errno"], error["object"], error["field"]) == (7012, "client", None)
    created = result(api.post(f"{BASE}/users/clients", json={"client": {"email": "z@z.test"}}))
    client = created["client"]
    assert client["id"] == client["userid"]
    assert client["currency_code"] == "CAD"
    assert client["vis_state"] == 0


def test_client_delete_is_a_put_and_http_delete_is_refused(api):
    assert api.delete(f"{BASE}/users/clients/2").status_code == 405
    deleted = result(api.put(f"{BASE}/users/clients/2", json={"client": {"vis_state": 1}}))
    assert deleted["client"]["vis_state"] == 1


def test_expense_required_fields_and_derived_status(api):
    missing = api.post(f"{BASE}/expenses/expenses", json={"expense": {"vendor": "x"}})
    assert missing.status_code == 422
    fields = {e["field"] for e in missing.json()["response"]["errors"]}
    assert fields == {"categoryid", "staffid", "date", "amount"}
    body = {"categoryid": 1, "staffid": 1, "date": "2024-06-01", "amount": {"amount": "12.5"},
            "status": 4}  # fmt: skip
    created = result(api.post(f"{BASE}/expenses/expenses", json={"expense": body}))["expense"]
    assert created["amount"] == {"amount": "12.50", "code": "CAD"}
    assert created["status"] == 0  # internal: status is derived, not writable
    billed = result(api.put(f"{BASE}/expenses/expenses/{created['id']}",
                            json={"expense": {"clientid": 1}}))["expense"]  # fmt: skip
    assert billed["status"] == 1
    invoiced = result(api.put(f"{BASE}/expenses/expenses/{created['id']}",
                              json={"expense": {"invoiceid": 1}}))["expense"]  # fmt: skip
    assert invoiced["status"] == 2
    bad_category = api.post(
        f"{BASE}/expenses/expenses", json={"expense": {**body, "categoryid": 99}}
    )
    assert bad_category.status_code == 422


def test_expense_include_category(api):
    expense = result(api.get(f"{BASE}/expenses/expenses/1", params={"include[]": "category"}))
    assert expense["expense"]["category"]["category"] == "Office Supplies"


def test_categories_are_read_only(api):
    assert api.post(f"{BASE}/expenses/categories", json={"category": {}}).status_code == 405
    assert api.put(f"{BASE}/expenses/categories/1", json={"category": {}}).status_code == 405
    cogs = result(api.get(f"{BASE}/expenses/categories", params={"search[is_cogs]": "true"}))
    assert [c["id"] for c in cogs["categories"]] == [3]


def test_staff_has_no_create(api):
    assert api.post(f"{BASE}/users/staffs", json={"staff": {"fname": "x"}}).status_code == 405
    updated = result(api.put(f"{BASE}/users/staffs/1", json={"staff": {"note": "hi"}}))
    assert updated["staff"]["note"] == "hi"


def test_taxes_delete_with_http_delete(api):
    created = result(api.post(f"{BASE}/taxes/taxes", json={"tax": {"name": "GST", "amount": 5}}))
    tax = created["tax"]
    assert (tax["amount"], tax["taxid"]) == ("5", tax["id"])
    response = api.delete(f"{BASE}/taxes/taxes/{tax['id']}")
    assert response.json() == {"response": {}}
    names = [t["name"] for t in result(api.get(f"{BASE}/taxes/taxes"))["taxes"]]
    assert "GST" not in names


def test_items_crud(api):
    body = {"item": {"name": "Bolt", "unit_cost": {"amount": "0.5", "code": "CAD"}, "qty": 3}}
    item = result(api.post(f"{BASE}/items/items", json=body))["item"]
    assert (item["unit_cost"]["amount"], item["qty"]) == ("0.50", "3")
    changed = result(api.put(f"{BASE}/items/items/{item['id']}", json={"item": {"sku": "B-1"}}))
    assert changed["item"]["sku"] == "B-1"
    assert changed["item"]["name"] == "Bolt"
    gone = result(api.put(f"{BASE}/items/items/{item['id']}", json={"item": {"vis_state": 1}}))
    assert gone["item"]["vis_state"] == 1


def test_tasks_and_services_stay_in_sync(api):
    task = result(api.post(f"{BASE}/projects/tasks",
                           json={"task": {"name": "Audit", "rate": {"amount": "80"}}}))["task"]  # fmt: skip
    service = api.get(f"/comments/business/77/service/{task['id']}").json()["service"]
    assert service["name"] == "Audit"
    rate = api.get(f"/comments/business/77/service/{task['id']}/rate").json()["service_rate"]
    assert rate["rate"] == "80.00"
    api.put(f"/comments/business/77/service/{task['id']}", json={"service": {"name": "Audits"}})
    again = result(api.get(f"{BASE}/projects/tasks/{task['id']}"))["task"]
    assert again["name"] == again["tname"] == "Audits"


def test_estimates(api):
    estimate = result(api.get(f"{BASE}/estimates/estimates/1"))["estimate"]
    assert estimate["amount"]["amount"] == "200.00"
    assert estimate["status"] == 1
    created = result(api.post(f"{BASE}/estimates/estimates",
                              json={"estimate": {"customerid": 1, "create_date": "2024-06-01"}}))  # fmt: skip
    assert created["estimate"]["estimate_number"] == "E-002"
    sent = result(api.put(f"{BASE}/estimates/estimates/1",
                          json={"estimate": {"action_email": True}}))  # fmt: skip
    assert sent["estimate"]["ui_status"] == "sent"
    assert api.delete(f"{BASE}/estimates/estimates/1").json() == {"response": {}}


def test_other_account_and_null_account(api):
    assert result(api.get("/accounting/account/XYZ789/invoices/invoices"))["total"] == 1
    response = api.get("/accounting/account/NOPE00/users/clients")
    assert response.status_code == 403
    assert first_error(response)["errno"] == 1003


def test_accounts_are_isolated(api):
    assert api.get("/accounting/account/XYZ789/users/clients/1").status_code == 404
    assert result(api.get("/accounting/account/XYZ789/users/clients/10"))["client"]["id"] == 10


def test_get_tolerates_content_type_and_version_headers(api):
    headers = {"Content-Type": "application/json", "Api-Version": "alpha"}
    assert api.get(f"{BASE}/users/clients", headers=headers).status_code == 200


def test_seeded_statuses_survive_loading(make_app, make_api):
    from sandbox.demo_token import issue_token
    from tests.support.sandbox import tiny_demo

    demo = tiny_demo()
    demo.businesses[0].estimates[0]["status"] = 5
    demo.businesses[0].invoices[2]["status"] = 4  # payment-driven: recomputed from payments
    app = make_app(demo)
    api = make_api(app, issue_token(app))
    estimate = result(api.get(f"{BASE}/estimates/estimates/1"))["estimate"]
    assert (estimate["status"], estimate["ui_status"]) == (5, "accepted")
    invoice = result(api.get(f"{BASE}/invoices/invoices/3"))["invoice"]
    assert (invoice["status"], invoice["v3_status"]) == (4, "paid")


def test_an_estimate_becomes_invoiced_when_its_invoice_is_sent(api):
    accepted = result(api.put(f"{BASE}/estimates/estimates/1",
                              json={"estimate": {"status": 5}}))["estimate"]  # fmt: skip
    assert accepted["ui_status"] == "accepted"
    body = {"customerid": 1, "create_date": "2024-06-02", "estimateid": 1,
            "lines": [{"name": "Work", "qty": "2", "unit_cost": {"amount": "100", "code": "CAD"}}]}  # fmt: skip
    invoice = result(api.post(f"{BASE}/invoices/invoices", json={"invoice": body}))["invoice"]
    assert invoice["estimateid"] == 1
    # A draft does not make the estimate invoiced: sending the invoice does.
    assert result(api.get(f"{BASE}/estimates/estimates/1"))["estimate"]["status"] == 5
    api.put(f"{BASE}/invoices/invoices/{invoice['id']}", json={"invoice": {"action_email": True,
            "email_recipients": ["a@b.test"]}})  # fmt: skip
    estimate = result(api.get(f"{BASE}/estimates/estimates/1"))["estimate"]
    assert (estimate["status"], estimate["ui_status"]) == (6, "invoiced")
    assert estimate["invoiceid"] == invoice["id"]
