"""Invoices: arithmetic, numbering, statuses, actions, payments, deletes and errors."""

from __future__ import annotations

import pytest

BASE = "/accounting/account/ABC123"
INVOICES = f"{BASE}/invoices/invoices"
PAYMENTS = f"{BASE}/payments/payments"


def invoice(api, key: int, **params) -> dict:
    response = api.get(f"{INVOICES}/{key}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["response"]["result"]["invoice"]


def create(api, **fields) -> dict:
    body = {"customerid": 1, "create_date": "2024-06-01", **fields}
    response = api.post(INVOICES, json={"invoice": body})
    assert response.status_code == 200, response.text
    return response.json()["response"]["result"]["invoice"]


def errors(response) -> list[dict]:
    return response.json()["response"]["errors"]


def test_worked_example_amounts_and_partial_payment(api):
    inv = invoice(api, 1, **{"include[]": "lines"})
    assert inv["id"] == inv["invoiceid"] == 1
    assert [line["amount"]["amount"] for line in inv["lines"]] == ["20.00", "24.00"]
    assert inv["discount_total"] == {"amount": "-4.40", "code": "CAD"}
    assert inv["amount"] == {"amount": "41.94", "code": "CAD"}
    assert inv["paid"]["amount"] == "20.00"
    assert inv["outstanding"]["amount"] == "21.94"
    assert inv["payment_status"] == "partial"
    assert inv["status"] == 8
    # due 2024-02-09, the clock says 2024-06-15: past due with money owed
    assert inv["due_date"] == "2024-02-09"
    assert inv["v3_status"] == "overdue"


def test_worked_example_built_through_the_api(api):
    lines = [
        {"name": "A", "qty": 4, "unit_cost": {"amount": "5.00", "code": "CAD"},
         "taxName1": "HST", "taxAmount1": "13"},
        {"name": "B", "qty": "6", "unit_cost": {"amount": "4.00", "code": "CAD"}},
    ]  # fmt: skip
    created = create(api, lines=lines, discount_value="10", currency_code="CAD")
    assert created["amount"]["amount"] == "41.94"
    assert created["v3_status"] == "draft"
    assert created["status"] == 1
    assert created["payment_status"] == "unpaid"
    assert "lines" not in created
    key = created["id"]
    sent = api.put(f"{INVOICES}/{key}", json={"invoice": {"action_mark_as_sent": True}})
    assert sent.json()["response"]["result"]["invoice"]["v3_status"] == "sent"
    paid = api.post(
        PAYMENTS,
        json={"payment": {"invoiceid": key, "amount": {"amount": "20.00"}, "date": "2024-06-02"}},
    )
    assert paid.status_code == 200, paid.text
    payment = paid.json()["response"]["result"]["payment"]
    assert payment["logid"] == payment["id"]
    assert payment["clientid"] == 1
    after = invoice(api, key)
    assert after["outstanding"]["amount"] == "21.94"
    assert (after["payment_status"], after["v3_status"], after["status"]) == (
        "partial",
        "partial",
        8,
    )
    rest = api.post(
        PAYMENTS,
        json={"payment": {"invoiceid": key, "amount": {"amount": "21.94"}, "date": "2024-06-03"}},
    ).json()["response"]["result"]["payment"]
    done = invoice(api, key)
    assert (done["payment_status"], done["v3_status"], done["status"]) == ("paid", "paid", 4)
    assert done["date_paid"] == "2024-06-03"
    assert done["outstanding"]["amount"] == "0.00"
    # deleting a payment (PUT vis_state=1) reopens the invoice
    api.put(f"{PAYMENTS}/{rest['id']}", json={"payment": {"vis_state": 1}})
    reopened = invoice(api, key)
    assert reopened["payment_status"] == "partial"
    assert reopened["date_paid"] is None


def test_new_invoice_defaults_from_client_and_numbering(api):
    created = create(api, lines=[{"name": "x", "qty": 1, "unit_cost": {"amount": "10"}}])
    assert created["invoice_number"] == "0000004"
    assert created["currency_code"] == "CAD"
    assert created["organization"] == "Acme Corp"
    assert created["due_date"] == "2024-07-01"  # default 30 days
    second = create(api, due_offset_days=15)
    assert second["invoice_number"] == "0000005"
    assert second["due_date"] == "2024-06-16"
    usd = create(api, customerid=2)
    assert usd["currency_code"] == "USD"
    assert usd["amount"] == {"amount": "0.00", "code": "USD"}


def test_duplicate_invoice_number_is_409(api):
    response = api.post(
        INVOICES,
        json={
            "invoice": {"customerid": 1, "create_date": "2024-06-01", "invoice_number": "0000002"}
        },
    )
    assert response.status_code == 409
    assert errors(response)[0]["field"] == "invoice_number"


def test_due_date_is_read_only(api):
    response = api.put(f"{INVOICES}/2", json={"invoice": {"due_date": "2024-12-31"}})
    assert response.status_code == 403
    assert errors(response)[0]["errno"] == 1038
    offset = api.put(f"{INVOICES}/2", json={"invoice": {"due_offset_days": 10}})
    assert offset.json()["response"]["result"]["invoice"]["due_date"] == "2024-02-11"


@pytest.mark.parametrize(("status", "code", "errno"), [("2", 422, 1015), (4, 422, 1004)])
def test_status_must_be_a_writable_number(api, status, code, errno):
    response = api.put(f"{INVOICES}/2", json={"invoice": {"status": status}})
    assert response.status_code == code
    assert errors(response)[0]["errno"] == errno


def test_status_written_as_number_changes_sending_state(api):
    response = api.put(f"{INVOICES}/2", json={"invoice": {"status": 2}})
    assert response.json()["response"]["result"]["invoice"]["v3_status"] == "overdue"


def test_action_email_sends_a_draft_and_preempts_field_changes(api):
    body = {"invoice": {"action_email": True, "notes": "ignored", "email_recipients": ["a@b.c"]}}
    sent = api.put(f"{INVOICES}/2", json=body).json()["response"]["result"]["invoice"]
    assert sent["status"] == 2
    assert sent["notes"] == ""


def test_vis_state_in_a_put_drops_other_fields(api):
    body = {"invoice": {"vis_state": 2, "notes": "dropped", "po_number": "PO-1"}}
    archived = api.put(f"{INVOICES}/2", json=body).json()["response"]["result"]["invoice"]
    assert archived["vis_state"] == 2
    assert archived["notes"] == ""
    assert archived["po_number"] is None


def test_partial_put_changes_only_sent_fields(api):
    before = invoice(api, 2)
    after = api.put(f"{INVOICES}/2", json={"invoice": {"notes": "Thanks!"}}).json()
    after = after["response"]["result"]["invoice"]
    assert after["notes"] == "Thanks!"
    assert after["amount"] == before["amount"]
    assert after["invoice_number"] == before["invoice_number"]
    assert after["updated"] == "2024-06-15 12:00:00"  # 16:00Z in naive US/Eastern (EDT)


def test_put_lines_replaces_and_recomputes(api):
    body = {"invoice": {"lines": [{"name": "n", "qty": "3", "unit_cost": {"amount": "7.50"}}]}}
    after = api.put(f"{INVOICES}/2", json=body, params={"include[]": "lines"}).json()
    after = after["response"]["result"]["invoice"]
    assert len(after["lines"]) == 1
    assert after["amount"]["amount"] == "22.50"


@pytest.mark.parametrize("how", ["http_delete", "put_vis_state"])
def test_invoice_delete_both_ways(api, how):
    if how == "http_delete":
        response = api.delete(f"{INVOICES}/2")
        assert response.status_code == 200
        assert response.json() == {"response": {}}
    else:
        response = api.put(f"{INVOICES}/2", json={"invoice": {"vis_state": 1}})
        assert response.json()["response"]["result"]["invoice"]["vis_state"] == 1
    listed = api.get(INVOICES).json()["response"]["result"]["invoices"]
    assert 2 not in [i["id"] for i in listed]
    deleted = api.get(INVOICES, params={"search[vis_state]": 1}).json()["response"]["result"]
    assert [i["id"] for i in deleted["invoices"]] == [2]
    assert invoice(api, 2)["vis_state"] == 1
    restored = api.put(f"{INVOICES}/2", json={"invoice": {"vis_state": 0}})
    assert restored.json()["response"]["result"]["invoice"]["vis_state"] == 0


def test_unknown_invoice_is_404_1012(api):
    response = api.get(f"{INVOICES}/999")
    assert response.status_code == 404
    problem = errors(response)[0]
    assert problem["errno"] == 1012
    assert set(problem) == {"errno", "field", "message", "object", "value"}
    assert problem["object"] == "invoice"


def test_new_style_error_body_with_api_version_header(api):
    response = api.get(f"{INVOICES}/999", headers={"X-API-VERSION": "2023-02-20"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == 5
    assert body["details"][0]["reason"] == "1012"
    assert body["details"][0]["metadata"]["object"] == "invoice"


def test_create_validation(api):
    missing = api.post(INVOICES, json={"invoice": {"notes": "x"}})
    assert missing.status_code == 422
    assert {e["field"] for e in errors(missing)} == {"customerid", "create_date"}
    no_envelope = api.post(INVOICES, json={"customerid": 1})
    assert no_envelope.status_code == 422
    bad_json = api.post(INVOICES, content=b"{nope", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    assert errors(bad_json)[0]["errno"] == 1005
    unknown_client = api.post(
        INVOICES, json={"invoice": {"customerid": 12345, "create_date": "2024-01-01"}}
    )
    assert unknown_client.status_code == 422


def test_share_link(api):
    response = api.get(f"{INVOICES}/1/share_link", params={"share_method": "share_link"})
    link = response.json()["response"]["result"]["share_link"]
    assert link["invoiceid"] == 1
    assert link["share_link"].startswith("http://sandbox.test/invoice/")


def test_payment_validation(api):
    response = api.post(PAYMENTS, json={"payment": {"invoiceid": 999, "amount": {"amount": "1"}}})
    assert response.status_code == 422
    fields = {e["field"] for e in errors(response)}
    assert "date" in fields
    bad_type = api.post(
        PAYMENTS,
        json={"payment": {"invoiceid": 1, "amount": {"amount": "1"}, "date": "2024-06-01",
                          "type": "Stripe"}},
    )  # fmt: skip
    assert bad_type.status_code == 422
    assert errors(bad_type)[0]["field"] == "type"
