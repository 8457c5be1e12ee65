"""Invoices resource: requests sent, answers parsed, actions and the error cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import respx
from pydantic import ValidationError

from fbclient import (
    ConflictError,
    InvalidRequestError,
    Money,
    NotFoundError,
    PermissionDeniedError,
    ResponseFormatError,
    ServerError,
)
from fbclient.models.invoices import InvoiceInput, InvoiceLineInput, InvoiceStatus, InvoiceUpdate

from ..support.accounting_wire import ACCOUNTING, classic_error, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/invoices/invoices"

LINE_BOWLS = {
    "lineid": 1,
    "invoiceid": 987654,
    "type": 0,
    "name": "Bowls",
    "description": "Melamine bowls",
    "qty": "4",
    "unit_cost": {"amount": "5.00", "code": "CAD"},
    "amount": {"amount": "20.00", "code": "CAD"},
    "taxName1": "HST",
    "taxAmount1": "13",
    "taxName2": None,
    "taxAmount2": "0",
    "compounded_tax": False,
    "expenseid": 0,
    "date": None,
    "updated": "2021-04-16 10:31:19",
}
LINE_MUGS = {
    **LINE_BOWLS,
    "lineid": 2,
    "name": "Mugs",
    "description": "Melamine mugs",
    "qty": "6",
    "unit_cost": {"amount": "4.00", "code": "CAD"},
    "amount": {"amount": "24.00", "code": "CAD"},
    "taxName1": "",
    "taxAmount1": "0",
}
# The worked example of freshbooks-api.md §3.2: 4 x 5.00 (HST 13%) + 6 x 4.00, 10% discount.
INVOICE = {
    "id": 987654,
    "invoiceid": 987654,
    "accountid": "ACM123",
    "customerid": 12345,
    "invoice_number": "ACM0002",
    "create_date": "2021-04-16",
    "due_date": "2021-05-16",
    "due_offset_days": 30,
    "date_paid": None,
    "currency_code": "CAD",
    "amount": {"amount": "41.94", "code": "CAD"},
    "outstanding": {"amount": "21.94", "code": "CAD"},
    "paid": {"amount": "20.00", "code": "CAD"},
    "discount_total": {"amount": "-4.40", "code": "CAD"},
    "discount_value": "10",
    "net_paid_amount": {"amount": "7.60133524082021936099189318", "code": "CAD"},
    "status": 8,
    "v3_status": "partial",
    "display_status": "sent",
    "payment_status": "partial",
    "fname": "Gordon",
    "lname": "Shumway",
    "organization": "Melmac Dinnerware",
    "notes": "Thanks for your business",
    "terms": None,
    "po_number": None,
    "estimateid": 0,
    "created_at": "2021-04-16 10:31:19",
    "updated": "2019-11-14 11:27:45",
    "vis_state": 0,
    "lines": [LINE_BOWLS, LINE_MUGS],
}


def cad(amount: str) -> Money:
    return Money.of(amount, "CAD")


def test_get_asks_for_lines_and_reads_the_worked_example(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/987654").respond(json=result(invoice=INVOICE))
    invoice = books.invoices.get(987654)

    assert route.calls.last.request.url.params.get_list("include[]") == ["lines"]
    assert invoice.id == 987654
    assert (invoice.amount, invoice.outstanding, invoice.paid) == (
        cad("41.94"),
        cad("21.94"),
        cad("20.00"),
    )
    assert invoice.discount_total == cad("-4.40")
    # Exact decimals, digits as sent: no float ever got in between.
    assert [
        str(m.amount) for m in (invoice.amount, invoice.outstanding, invoice.discount_total)
    ] == [
        "41.94",
        "21.94",
        "-4.40",
    ]
    assert invoice.amount.code == "CAD"
    assert invoice.discount_value == Decimal("10")
    assert invoice.invoice_status is InvoiceStatus.PARTIAL
    assert invoice.create_date == date(2021, 4, 16)
    assert invoice.due_date == date(2021, 5, 16)
    assert invoice.date_paid is None
    assert invoice.estimateid is None  # 0 means none
    assert invoice.updated == datetime(2019, 11, 14, 16, 27, 45, tzinfo=UTC)
    assert invoice.created_at == datetime(2021, 4, 16, 14, 31, 19, tzinfo=UTC)  # EDT
    assert invoice.client_name == "Melmac Dinnerware"
    assert invoice.model_extra["net_paid_amount"]["amount"].startswith("7.6013")

    bowls, mugs = invoice.lines
    assert (bowls.lineid, bowls.qty, bowls.unit_cost, bowls.amount) == (
        1,
        Decimal("4"),
        cad("5.00"),
        cad("20.00"),
    )
    assert (bowls.taxName1, bowls.taxAmount1, bowls.expenseid, bowls.date) == (
        "HST",
        Decimal("13"),
        None,
        None,
    )
    assert mugs.qty * mugs.unit_cost.amount == mugs.amount.amount

    # The totals are self-consistent to the cent, in exact decimals.
    subtotal = bowls.amount + mugs.amount
    tax = (
        (bowls.amount.amount * (1 - invoice.discount_value / 100)) * bowls.taxAmount1 / 100
    ).quantize(Decimal("0.01"))
    assert subtotal + invoice.discount_total + cad(str(tax)) == invoice.amount
    assert invoice.amount - invoice.paid == invoice.outstanding


def test_get_include_can_be_overridden(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/987654").respond(
        json=result(invoice={**INVOICE, "lines": None})
    )
    invoice = books.invoices.get(987654, include=())
    assert "include[]" not in route.calls.last.request.url.params
    assert invoice.lines == []


def test_list_sends_named_filters_as_search_keys(httpx2_mock, books):
    route = httpx2_mock.get(BASE).respond(
        json=result(invoices=[INVOICE], page=1, pages=1, per_page=100, total=1)
    )
    invoices = books.invoices.list(
        {"paid": False},
        customerid=12345,
        date_min=date(2021, 1, 1),
        date_max=date(2021, 12, 31),
        # 03:00 UTC on 1 March is still 29 February in New York.
        updated_min=datetime(2024, 3, 1, 3, 0, tzinfo=UTC),
        v3_status="partial",
        invoice_number="ACM0002",
        invoiceids=[987654, 987655],
        include=["lines"],
        sort="invoice_date",
        direction="desc",
    )
    sent = route.calls.last.request.url.params
    assert sent["search[paid]"] == "false"
    assert sent["search[customerid]"] == "12345"
    assert sent["search[date_min]"] == "2021-01-01"
    assert sent["search[date_max]"] == "2021-12-31"
    assert sent["search[updated_min]"] == "2024-02-29"
    assert sent["search[v3_status]"] == "partial"
    assert sent["search[invoice_number]"] == "ACM0002"
    assert sent.get_list("search[invoiceids][]") == ["987654", "987655"]
    assert sent.get_list("include[]") == ["lines"]
    assert sent["sort"] == "invoice_date_desc"
    assert sent["page"] == "1"
    assert sent["per_page"] == "100"
    assert [i.id for i in invoices] == [987654]
    assert invoices[0].lines[1].name == "Mugs"


def test_list_page_takes_the_same_filters(httpx2_mock, books):
    route = httpx2_mock.get(BASE).respond(
        json=result(invoices=[INVOICE], page=2, pages=3, per_page=1, total=3)
    )
    page = books.invoices.list_page(2, 1, v3_status="overdue")
    sent = route.calls.last.request.url.params
    assert (sent["page"], sent["per_page"], sent["search[v3_status]"]) == ("2", "1", "overdue")
    assert (page.page, page.pages, page.total, len(page.items)) == (2, 3, 3, 1)


def test_list_reads_every_page_in_order(httpx2_mock, books):
    pages = [
        [{**INVOICE, "id": n, "invoiceid": n} for n in range(start, start + 2)]
        for start in (1, 3, 5)
    ]
    route = httpx2_mock.get(BASE).mock(side_effect=paged("invoices", pages, per_page=2))
    invoices = books.invoices.list()
    assert [i.id for i in invoices] == [1, 2, 3, 4, 5, 6]
    assert (invoices.total, invoices.pages, invoices.truncated) == (6, 3, False)
    assert route.call_count == 3
    assert route.calls[0].request.url.params["page"] == "1"  # page 1 first, the rest after
    assert sorted(c.request.url.params["page"] for c in route.calls) == ["1", "2", "3"]


def test_empty_list(httpx2_mock, books):
    route = httpx2_mock.get(BASE).respond(json=empty("invoices"))
    invoices = books.invoices.list()
    assert (list(invoices), invoices.total, invoices.pages) == ([], 0, 0)
    assert route.call_count == 1


def test_create_sends_input_in_the_invoice_envelope_and_asks_for_lines(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(invoice=INVOICE))
    data = InvoiceInput(
        customerid=12345,
        create_date=date(2021, 4, 16),
        due_offset_days=30,
        currency_code="CAD",
        discount_value=Decimal("10"),
        lines=[
            InvoiceLineInput(
                name="Bowls",
                qty=Decimal("4"),
                unit_cost=cad("5.00"),
                taxName1="HST",
                taxAmount1=Decimal("13"),
            ),
            InvoiceLineInput(name="Mugs", qty=Decimal("6"), unit_cost=cad("4.00")),
        ],
    )
    created = books.invoices.create(data)
    assert route.calls.last.request.url.params.get_list("include[]") == ["lines"]
    assert sent_json(route) == {
        "invoice": {
            "customerid": 12345,
            "create_date": "2021-04-16",
            "due_offset_days": 30,
            "currency_code": "CAD",
            "discount_value": "10",
            "lines": [
                {
                    "name": "Bowls",
                    "qty": "4",
                    "unit_cost": {"amount": "5.00", "code": "CAD"},
                    "taxName1": "HST",
                    "taxAmount1": "13",
                },
                {"name": "Mugs", "qty": "6", "unit_cost": {"amount": "4.00", "code": "CAD"}},
            ],
        }
    }
    assert len(created.lines) == 2


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"due_date": "2021-05-16"}, "due_date"),  # read-only: FreshBooks answers 403/1038
        ({"status": "sent"}, "status"),  # must be a number (422/1015)
        ({"status": 4}, "status"),  # 4-8 are set by payments, not writable
        ({"discount_value": "-5"}, "discount_value"),
    ],
)
def test_update_model_refuses_what_freshbooks_would_refuse(fields, problem):
    with pytest.raises(ValidationError) as caught:
        InvoiceUpdate.model_validate(fields)
    assert caught.value.errors()[0]["loc"][0] == problem


def test_invoice_input_requires_client_and_date():
    with pytest.raises(ValidationError) as caught:
        InvoiceInput.model_validate({"notes": "x"})
    assert {e["loc"][0] for e in caught.value.errors()} == {"customerid", "create_date"}


def test_update_is_partial_and_keeps_status_numeric(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/987654").respond(json=result(invoice=INVOICE))
    books.invoices.update(987654, InvoiceUpdate(status=InvoiceStatus.SENT, notes="Merci"))
    assert sent_json(route) == {"invoice": {"status": 2, "notes": "Merci"}}
    assert route.calls.last.request.url.params.get_list("include[]") == ["lines"]


@pytest.mark.parametrize(
    ("status", "error", "cls", "field"),
    [
        (
            403,
            classic_error(1038, "Write access denied.", field="due_date", object="invoice"),
            PermissionDeniedError,
            "due_date",
        ),
        (
            422,
            classic_error(1015, "field 'status' must be a number", field="status"),
            InvalidRequestError,
            "status",
        ),
    ],
)
def test_raw_writes_freshbooks_refuses_become_typed_errors(
    httpx2_mock, books, status, error, cls, field
):
    # A plain dict skips the input model, so FreshBooks itself refuses; a PUT is never retried.
    route = httpx2_mock.put(f"{BASE}/987654").respond(status, json=error)
    bad = {"due_date": "2021-06-01"} if field == "due_date" else {"status": "sent"}
    with pytest.raises(cls) as caught:
        books.invoices.update(987654, bad)
    assert (caught.value.status, caught.value.errno, caught.value.field) == (
        status,
        error["response"]["errors"][0]["errno"],
        field,
    )
    assert route.call_count == 1


def test_duplicate_invoice_number_is_a_conflict(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(
        409,
        json=classic_error(409, "Invoice number ACM0002 already exists.", field="invoice_number"),
    )
    with pytest.raises(ConflictError) as caught:
        books.invoices.create({"customerid": 12345, "create_date": "2021-04-16"})
    assert caught.value.field == "invoice_number"
    assert route.call_count == 1


def test_error_inside_http_200_is_typed(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/5").respond(
        200, json=classic_error(1012, "Invoice not found.", field="invoiceid", object="invoice")
    )
    with pytest.raises(NotFoundError) as caught:
        books.invoices.get(5)
    assert (caught.value.status, caught.value.errno) == (200, 1012)
    assert route.call_count == 1


def test_create_answered_503_is_not_retried(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(503, text="upstream unavailable")
    with pytest.raises(ServerError):
        books.invoices.create(InvoiceInput(customerid=12345, create_date=date(2021, 4, 16)))
    assert route.call_count == 1


def test_get_answered_503_is_retried(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/987654").mock(
        side_effect=[
            respx.MockResponse(503, text="busy"),
            respx.MockResponse(200, json=result(invoice=INVOICE)),
        ]
    )
    assert books.invoices.get(987654).id == 987654
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda inv: inv.mark_as_sent(987654), {"action_mark_as_sent": True}),
        (
            lambda inv: inv.send_by_email(987654, ["ap@melmac.test"]),
            {
                "action_email": True,
                "email_recipients": ["ap@melmac.test"],
                "email_include_pdf": False,
            },
        ),
        (
            lambda inv: inv.send_by_email(
                987654,
                ["ap@melmac.test", " boss@melmac.test "],
                subject="Invoice ACM0002",
                body="Please find your invoice.",
                include_pdf=True,
            ),
            {
                "action_email": True,
                "email_recipients": ["ap@melmac.test", "boss@melmac.test"],
                "email_include_pdf": True,
                "invoice_customized_email": {
                    "subject": "Invoice ACM0002",
                    "body": "Please find your invoice.",
                },
            },
        ),
        (
            lambda inv: inv.send_by_email(987654, "ap@melmac.test", subject="Hi"),
            {
                "action_email": True,
                "email_recipients": ["ap@melmac.test"],
                "email_include_pdf": False,
                "invoice_customized_email": {"subject": "Hi"},
            },
        ),
    ],
    ids=["mark_as_sent", "email", "email_customized", "email_one_address_as_text"],
)
def test_actions_put_only_the_action(httpx2_mock, books, call, expected):
    route = httpx2_mock.put(f"{BASE}/987654").respond(
        json=result(invoice={**INVOICE, "status": 2, "v3_status": "sent"})
    )
    invoice = call(books.invoices)
    assert sent_json(route) == {"invoice": expected}
    assert route.calls.last.request.url.params.get_list("include[]") == ["lines"]
    assert invoice.invoice_status is InvoiceStatus.SENT


def test_send_by_email_needs_a_recipient(books):
    with pytest.raises(ValueError, match="recipient"):
        books.invoices.send_by_email(987654, [" "])


@pytest.mark.parametrize(
    "answer",
    [
        {"share_link": {"share_link": "https://my.freshbooks.test/view/abc", "invoiceid": 1}},
        {"share_link": "https://my.freshbooks.test/view/abc"},
    ],
    ids=["nested", "flat"],
)
def test_share_link(httpx2_mock, books, answer):
    route = httpx2_mock.get(f"{BASE}/987654/share_link").respond(json=result(**answer))
    assert books.invoices.share_link(987654) == "https://my.freshbooks.test/view/abc"
    assert route.calls.last.request.url.params["share_method"] == "share_link"


def test_share_link_without_a_link_is_a_format_error(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/987654/share_link").respond(json=result(share_link={}))
    with pytest.raises(ResponseFormatError):
        books.invoices.share_link(987654)


def test_delete_is_http_delete_and_archive_is_vis_state(httpx2_mock, books):
    deleted = httpx2_mock.delete(f"{BASE}/987654").respond(json={"response": {}})
    archived = httpx2_mock.put(f"{BASE}/987654").respond(
        json=result(invoice={**INVOICE, "vis_state": 2})
    )
    assert books.invoices.delete(987654) is None
    assert deleted.call_count == 1
    assert books.invoices.archive(987654).vis_state == 2
    assert sent_json(archived) == {"invoice": {"vis_state": 2}}
