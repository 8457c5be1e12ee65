"""Expense categories: read-only, envelope ``category`` / ``categories``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fbclient.resources.expense_categories import ExpenseCategories

from ..support.accounting_wire import ACCOUNTING, empty, paged, result

BASE = f"{ACCOUNTING}/expenses/categories"

CATEGORY = {
    "categoryid": 3120311,
    "category": "Meals and Entertainment",
    "parentid": 0,
    "is_cogs": False,
    "is_editable": False,
    "transaction_posted": False,
    "created_at": "2022-08-16 14:11:07",
    "updated_at": "2022-08-16 14:11:07",
    "vis_state": 0,
}


def test_get_folds_legacy_id_and_reads_eastern_times(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/3120311").respond(json=result(category=CATEGORY))
    category = books.expense_categories.get(3120311)
    assert category.id == 3120311  # only categoryid was sent
    assert category.name == "Meals and Entertainment"
    assert category.parentid is None
    assert category.updated_at == datetime(2022, 8, 16, 18, 11, 7, tzinfo=UTC)


def test_list_pages_in_order(httpx2_mock, books):
    pages = [[{**CATEGORY, "categoryid": n, "parentid": 1}] for n in (5, 6, 7, 8)]
    httpx2_mock.get(BASE).mock(side_effect=paged("categories", pages, per_page=1))
    categories = books.expense_categories.list()
    assert [c.id for c in categories] == [5, 6, 7, 8]
    assert (categories.total, categories.pages) == (4, 4)
    assert categories[0].parentid == 1


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("categories"))
    assert list(books.expense_categories.list()) == []


@pytest.mark.parametrize("verb", ["create", "update", "delete", "archive", "restore"])
def test_has_no_write_verbs(books, verb):
    assert not hasattr(ExpenseCategories, verb)
    with pytest.raises(AttributeError):
        getattr(books.expense_categories, verb)
