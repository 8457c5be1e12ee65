"""Expense categories: ``/accounting/account/{account_id}/expenses/categories``."""

from __future__ import annotations

from typing import ClassVar

from ..listing import Listing
from ..models.expense_categories import ExpenseCategory
from ..scopes import Access
from ._base import AccountingReader

__all__ = ["ExpenseCategories"]


class ExpenseCategories(AccountingReader[ExpenseCategory]):
    """List and get expense categories. FreshBooks offers no writes here, so this class has
    no create/update/delete at all (it derives from the read-only base).

    Search keys: ``categoryids`` (list), ``name`` (matches part of the name), ``parentid``,
    ``is_editable``. Includes: ``expense_usage_all_time``, ``expense_usage_this_year``.
    """

    scopes: ClassVar[Access] = Access("expenses")

    path: ClassVar[str] = "expenses/categories"
    singular: ClassVar[str] = "category"
    plural: ClassVar[str] = "categories"
    model = ExpenseCategory
    # A small reference list: refetched whole when due.
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "expense_categories",
        ExpenseCategory,
        path,
        key=plural,
        singular=singular,
        resource="expense_categories",
    )
