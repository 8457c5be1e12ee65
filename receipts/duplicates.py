"""An existing expense a receipt would duplicate: same vendor, same day, same amount."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from fbclient.models.expenses import Expense

from .category import same_vendor, vendor_key

__all__ = ["find_duplicates"]


def find_duplicates(
    expenses: Iterable[Expense],
    vendor: str | None,
    day: dt.date | None,
    amount: Decimal | None,
    currency: str | None,
) -> list[Expense]:
    """Live (not deleted) expenses on ``day`` of exactly ``amount`` in ``currency`` whose
    vendor is the same (any vendor when the receipt's is unknown)."""
    if day is None or amount is None:
        return []
    key = vendor_key(vendor)
    return [
        e
        for e in expenses
        if e.vis_state != 1
        and e.date == day
        and e.amount is not None
        and e.amount.amount == amount
        and (currency is None or e.amount.code == currency)
        and (not key or not e.vendor or same_vendor(vendor_key(e.vendor), key))
    ]
