"""Payments resource: logid, typed payment types, no invoiceid on update, vis_state delete."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from fbclient import Money, ServerError
from fbclient.models.payments import PAYMENT_TYPES, PaymentInput, PaymentUpdate

from ..support.accounting_wire import ACCOUNTING, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/payments/payments"

PAYMENT = {
    "id": 235435,
    "logid": 235435,
    "invoiceid": 987654,
    "clientid": 12345,
    "creditid": None,
    "overpaymentid": None,
    "amount": {"amount": "20.00", "code": "CAD"},
    "date": "2021-04-16",
    "type": "Check",
    "note": "Cheque 1043",
    "gateway": None,
    "from_credit": False,
    "send_client_notification": None,
    "updated": "2021-04-17 05:29:31",
    "vis_state": 0,
}


def test_get_parses(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/235435").respond(json=result(payment={**PAYMENT, "id": None}))
    payment = books.payments.get(235435)
    assert payment.id == 235435  # folded from logid
    assert (payment.invoiceid, payment.clientid, payment.creditid) == (987654, 12345, None)
    assert payment.amount == Money.of("20.00", "CAD")
    assert payment.type == "Check"
    assert payment.date == date(2021, 4, 16)
    assert payment.updated == datetime(2021, 4, 17, 9, 29, 31, tzinfo=UTC)


def test_an_unlisted_type_still_reads(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/1").respond(json=result(payment={**PAYMENT, "type": "Stripe"}))
    assert books.payments.get(1).type == "Stripe"


def test_list_pages_in_order_and_empty(httpx2_mock, books):
    pages = [[{**PAYMENT, "id": n, "logid": n}] for n in (1, 2)]
    route = httpx2_mock.get(BASE).mock(side_effect=paged("payments", pages, per_page=1))
    payments = books.payments.list({"invoiceid": 987654})
    assert [p.id for p in payments] == [1, 2]
    assert payments.total == 2
    assert route.calls[0].request.url.params["search[invoiceid]"] == "987654"


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("payments"))
    assert books.payments.list().total == 0


def test_create_envelope(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(payment=PAYMENT))
    books.payments.create(
        PaymentInput(
            invoiceid=987654,
            amount=Money.of("20.00", "CAD"),
            date=date(2021, 4, 16),
            type="Check",
            note="Cheque 1043",
        )
    )
    assert sent_json(route) == {
        "payment": {
            "invoiceid": 987654,
            "amount": {"amount": "20.00", "code": "CAD"},
            "date": "2021-04-16",
            "type": "Check",
            "note": "Cheque 1043",
        }
    }


def test_create_answered_503_is_not_retried(httpx2_mock, books):
    # A retried payment would be recorded twice.
    route = httpx2_mock.post(BASE).respond(503, text="<html>Service Unavailable</html>")
    with pytest.raises(ServerError):
        books.payments.create(
            PaymentInput(
                invoiceid=1, amount=Money.of("1", "CAD"), date=date(2021, 4, 16), type="Cash"
            )
        )
    assert route.call_count == 1


@pytest.mark.parametrize("bad_type", ["Stripe", "Wire Transfer", "cash"])
def test_input_refuses_types_freshbooks_refuses(bad_type):
    with pytest.raises(ValidationError):
        PaymentInput(
            invoiceid=1, amount=Money.of("1", "CAD"), date=date(2021, 4, 16), type=bad_type
        )
    assert bad_type not in PAYMENT_TYPES


def test_input_requires_invoice_amount_date_type():
    with pytest.raises(ValidationError) as caught:
        PaymentInput.model_validate({"note": "x"})
    assert {e["loc"][0] for e in caught.value.errors()} == {"invoiceid", "amount", "date", "type"}


def test_update_omits_invoiceid(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/235435").respond(json=result(payment=PAYMENT))
    books.payments.update(235435, PaymentUpdate(amount=Money.of("25.00", "CAD")))
    assert sent_json(route) == {"payment": {"amount": {"amount": "25.00", "code": "CAD"}}}
    assert "invoiceid" not in PaymentUpdate.model_fields
    with pytest.raises(ValueError, match="invoiceid"):
        books.payments.update(235435, {"invoiceid": 2, "note": "moved"})
    assert route.call_count == 1


def test_delete_is_vis_state(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/235435").respond(
        json=result(payment={**PAYMENT, "vis_state": 1})
    )
    assert books.payments.delete(235435).vis_state == 1
    assert sent_json(route) == {"payment": {"vis_state": 1}}
