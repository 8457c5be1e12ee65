"""Taxes resource: the rate is a percent, HTTP DELETE."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from fbclient.models.taxes import TaxInput

from ..support.accounting_wire import ACCOUNTING, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/taxes/taxes"

TAX = {
    "id": 7840,
    "taxid": 7840,
    "name": "HST",
    "amount": "13",
    "number": "RT 1234",
    "compound": False,
    "updated": "2020-06-16 10:04:37",
    "accounting_systemid": "ACM123",
}


def test_get_parses_rate_as_decimal_percent(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/7840").respond(json=result(tax=TAX))
    tax = books.taxes.get(7840)
    assert (tax.id, tax.name, tax.amount, tax.compound) == (7840, "HST", Decimal("13"), False)


def test_list_pages_in_order(httpx2_mock, books):
    pages = [
        [{**TAX, "id": 1, "taxid": 1}, {**TAX, "id": 2, "taxid": 2, "amount": "5"}],
        [{**TAX, "id": 3, "taxid": 3, "number": None}],
    ]
    httpx2_mock.get(BASE).mock(side_effect=paged("taxes", pages, per_page=2))
    taxes = books.taxes.list()
    assert [t.id for t in taxes] == [1, 2, 3]
    assert (taxes.total, taxes.pages) == (3, 2)
    assert taxes[2].number is None


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("taxes"))
    assert books.taxes.list().total == 0


def test_create_envelope(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(json=result(tax=TAX))
    books.taxes.create(TaxInput(name="HST", amount=Decimal("13.0"), number="RT 1234"))
    assert sent_json(route) == {"tax": {"name": "HST", "amount": "13.0", "number": "RT 1234"}}


def test_rate_is_a_percent():
    with pytest.raises(ValidationError):
        TaxInput(name="Bad", amount=Decimal("130"))


def test_delete_is_http_delete(httpx2_mock, books):
    route = httpx2_mock.delete(f"{BASE}/7840").respond(json={"response": {}})
    assert books.taxes.delete(7840) is None
    assert route.call_count == 1
