"""Estimates resource: lines shared with invoices, HTTP DELETE, send by email."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from fbclient import Money
from fbclient.models.estimates import EstimateInput, EstimateStatus
from fbclient.models.invoices import InvoiceLine, InvoiceLineInput

from ..support.accounting_wire import ACCOUNTING, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/estimates/estimates"

ESTIMATE = {
    "id": 279405,
    "estimateid": 279405,
    "customerid": 12345,
    "estimate_number": "E0007",
    "create_date": "2022-08-16",
    "currency_code": "USD",
    "amount": {"amount": "150.00", "code": "USD"},
    "discount_total": {"amount": "0.00", "code": "USD"},
    "discount_value": "0",
    "status": 5,
    "ui_status": "accepted",
    "organization": "Acme",
    "notes": None,
    "invoiceid": 0,
    "updated": "2022-08-16 14:11:07",
    "vis_state": 0,
    "lines": [
        {
            "lineid": 1,
            "name": "Audit",
            "qty": "1.5",
            "unit_cost": {"amount": "100.00", "code": "USD"},
            "amount": {"amount": "150.00", "code": "USD"},
            "taxName1": None,
            "taxAmount1": None,
        }
    ],
}


def test_get_asks_for_lines_and_parses(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/279405").respond(json=result(estimate=ESTIMATE))
    estimate = books.estimates.get(279405)
    assert route.calls.last.request.url.params.get_list("include[]") == ["lines"]
    assert estimate.id == 279405
    assert estimate.estimate_status is EstimateStatus.ACCEPTED
    assert estimate.amount == Money.of("150.00", "USD")
    assert estimate.create_date == date(2022, 8, 16)
    assert estimate.updated == datetime(2022, 8, 16, 18, 11, 7, tzinfo=UTC)
    assert estimate.invoiceid is None
    (line,) = estimate.lines
    assert isinstance(line, InvoiceLine)
    assert (line.qty, line.taxAmount1) == (Decimal("1.5"), None)


def test_list_pages_in_order_and_empty(httpx2_mock, books):
    pages = [[{**ESTIMATE, "id": n, "estimateid": n}] for n in (3, 1, 2)]
    route = httpx2_mock.get(BASE).mock(side_effect=paged("estimates", pages, per_page=1))
    estimates = books.estimates.list({"estimate_number_like": "E00"})
    assert [e.id for e in estimates] == [3, 1, 2]  # FreshBooks' order, not sorted
    assert estimates.total == 3
    assert route.calls[0].request.url.params["search[estimate_number_like]"] == "E00"


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("estimates"))
    estimates = books.estimates.list()
    assert (len(estimates), estimates.total) == (0, 0)


def test_create_envelope(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(estimate=ESTIMATE))
    books.estimates.create(
        EstimateInput(
            customerid=12345,
            lines=[
                InvoiceLineInput(name="Audit", qty=Decimal("1.5"), unit_cost=Money.of("100", "USD"))
            ],
        )
    )
    assert sent_json(route) == {
        "estimate": {
            "customerid": 12345,
            "lines": [
                {"name": "Audit", "qty": "1.5", "unit_cost": {"amount": "100", "code": "USD"}}
            ],
        }
    }
    assert route.calls.last.request.url.params.get_list("include[]") == ["lines"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"recipients": ["buyer@acme.test"]},
            {"action_email": True, "email_recipients": ["buyer@acme.test"]},
        ),
        (
            {"recipients": ["buyer@acme.test"], "subject": "Quote", "include_pdf": True},
            {
                "action_email": True,
                "email_recipients": ["buyer@acme.test"],
                "email_include_pdf": True,
                "estimate_customized_email": {"subject": "Quote"},
            },
        ),
    ],
    ids=["plain", "customized"],
)
def test_send_by_email_body(httpx2_mock, books, kwargs, expected):
    route = httpx2_mock.put(f"{BASE}/279405").respond(json=result(estimate=ESTIMATE))
    books.estimates.send_by_email(279405, **kwargs)
    assert sent_json(route) == {"estimate": expected}


def test_delete_is_http_delete(httpx2_mock, books):
    route = httpx2_mock.delete(f"{BASE}/279405").respond(json={"response": {}})
    assert books.estimates.delete(279405) is None
    assert route.call_count == 1
