"""Records of the seeded demo business, found by what they are.

The demo data is anchored on today, so an invoice id names a different invoice as the days
pass. Tests ask for "a partly paid invoice in GBP", never for id 21000198.
"""

from __future__ import annotations

from decimal import Decimal

from fbclient import BusinessClient
from fbclient.models.invoices import Invoice

ZERO = Decimal(0)


def partly_paid_invoice(books: BusinessClient, currency: str = "GBP") -> Invoice:
    """The first sent invoice in ``currency`` with money both paid and still owed, with its lines."""
    for invoice in books.invoices.list():
        if (
            invoice.currency_code == currency
            and invoice.paid is not None
            and invoice.outstanding is not None
            and invoice.paid.amount > ZERO
            and invoice.outstanding.amount > ZERO
        ):
            return books.invoices.get(invoice.id)
    raise AssertionError(f"the demo business has no partly paid invoice in {currency}")
