"""Expenses resource: zero ids as None, tax money, required create fields, vis_state delete."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from fbclient import Money, ServerError
from fbclient.models.expenses import ExpenseInput, ExpenseStatus, ExpenseUpdate

from ..support.accounting_wire import ACCOUNTING, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/expenses/expenses"

EXPENSE = {
    "id": 23456,
    "expenseid": 23456,
    "categoryid": 654654,
    "staffid": 1,
    "clientid": 0,
    "projectid": 0,
    "invoiceid": None,
    "date": "2021-07-19",
    "amount": {"amount": "54.00", "code": "CAD"},
    "vendor": "Serano Bakery",
    "notes": "For lunch",
    "taxName1": "HST",
    "taxPercent1": None,
    "taxAmount1": {"amount": "6.21", "code": "CAD"},
    "taxName2": None,
    "taxPercent2": None,
    "taxAmount2": None,
    "markup_percent": "0",
    "status": 0,
    "has_receipt": False,
    "updated": "2021-07-19 04:42:03",
    "vis_state": 0,
    "bill_matches": [],
}


def test_get_reads_zero_ids_as_none_and_tax_money(httpx2_mock, books):
    route = httpx2_mock.get(f"{BASE}/23456").respond(json=result(expense=EXPENSE))
    expense = books.expenses.get(23456)
    assert "include[]" not in route.calls.last.request.url.params
    assert (expense.id, expense.categoryid, expense.staffid) == (23456, 654654, 1)
    assert (expense.clientid, expense.projectid, expense.invoiceid) == (None, None, None)
    assert expense.amount == Money.of("54.00", "CAD")
    assert expense.taxAmount1 == Money.of("6.21", "CAD")
    assert expense.taxAmount2 is None
    assert expense.markup_percent == Decimal("0")
    assert expense.expense_status is ExpenseStatus.INTERNAL
    assert expense.date == date(2021, 7, 19)
    assert expense.updated == datetime(2021, 7, 19, 8, 42, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (0, ExpenseStatus.INTERNAL),
        (1, ExpenseStatus.OUTSTANDING),
        (2, ExpenseStatus.INVOICED),
        (4, ExpenseStatus.RECOUPED),
        (3, None),  # there is no 3; an unknown code does not break reading
    ],
)
def test_status_codes(status, expected):
    from fbclient.models.expenses import Expense

    assert (
        Expense.model_validate({**EXPENSE, "status": status, "clientid": 7}).expense_status
        == expected
    )


def test_list_pages_in_order(httpx2_mock, books):
    pages = [[{**EXPENSE, "id": n, "expenseid": n} for n in (n, n + 1)] for n in (10, 20)]
    route = httpx2_mock.get(BASE).mock(side_effect=paged("expenses", pages, per_page=2))
    expenses = books.expenses.list({"categoryids": [654654], "date_min": date(2021, 7, 1)})
    assert [e.id for e in expenses] == [10, 11, 20, 21]
    assert expenses.total == 4
    first = route.calls[0].request.url.params
    assert first.get_list("search[categoryids][]") == ["654654"]
    assert first["search[date_min]"] == "2021-07-01"


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("expenses"))
    assert books.expenses.list().total == 0


def test_create_requires_the_four_fields():
    with pytest.raises(ValidationError) as caught:
        ExpenseInput.model_validate({"vendor": "x"})
    assert {e["loc"][0] for e in caught.value.errors()} == {
        "categoryid",
        "staffid",
        "date",
        "amount",
    }


def test_create_envelope(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(expense=EXPENSE))
    created = books.expenses.create(
        ExpenseInput(
            categoryid=654654,
            staffid=1,
            date=date(2021, 7, 19),
            amount=Money.of("54.00", "CAD"),
            vendor="Serano Bakery",
            taxName1="HST",
            taxPercent1=Decimal("13"),
        )
    )
    assert sent_json(route) == {
        "expense": {
            "categoryid": 654654,
            "staffid": 1,
            "date": "2021-07-19",
            "amount": {"amount": "54.00", "code": "CAD"},
            "vendor": "Serano Bakery",
            "taxName1": "HST",
            "taxPercent1": "13",
        }
    }
    assert created.id == 23456


def test_create_answered_503_is_not_retried(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(503, json={"message": "unavailable"})
    with pytest.raises(ServerError):
        books.expenses.create({"categoryid": 1, "staffid": 1, "date": "2021-07-19"})
    assert route.call_count == 1


def test_update_and_delete_via_vis_state(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/23456").respond(
        json=result(expense={**EXPENSE, "vis_state": 1})
    )
    books.expenses.update(23456, ExpenseUpdate(clientid=0))
    assert sent_json(route) == {"expense": {"clientid": 0}}
    assert books.expenses.delete(23456).vis_state == 1
    assert sent_json(route) == {"expense": {"vis_state": 1}}
