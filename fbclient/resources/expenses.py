"""Expenses: ``/accounting/account/{account_id}/expenses/expenses``."""

from __future__ import annotations

from typing import ClassVar

from ..listing import Listing
from ..models.expenses import Expense
from ..scopes import Access
from ._base import AccountingResource

__all__ = ["Expenses"]


class Expenses(AccountingResource[Expense]):
    """List, get, create, update and delete (PUT vis_state=1) expenses.

    Search keys: ``clientids`` / ``categoryids`` / ``staffids`` / ``projectids`` (lists),
    ``clientid_not``, ``has_receipt``, ``amount_min`` / ``amount_max``, ``date_min`` /
    ``date_max``. There is no status filter. Includes: ``category``, ``attachment``,
    ``project``.
    """

    scopes: ClassVar[Access] = Access("expenses")

    path: ClassVar[str] = "expenses/expenses"
    singular: ClassVar[str] = "expense"
    plural: ClassVar[str] = "expenses"
    model = Expense
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "expenses",
        Expense,
        path,
        key=plural,
        singular=singular,
        follow="busy",
        references=(("categoryid", "expense_categories"),),
    )
