"""Records of the seeded demo business, found by what they are.

The demo data is anchored on today, so an invoice id names a different invoice as the days
pass. Tests ask for "a partly paid invoice in GBP", never for id 21000198.
"""

from __future__ import annotations

from collections import Counter
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


def client_with_overdue_invoices(books: BusinessClient) -> tuple[int, set[str]]:
    """The client with the most overdue invoices today, and the currencies they are in."""
    overdue = [i for i in books.invoices.list(v3_status="overdue") if i.customerid is not None]
    if not overdue:
        raise AssertionError("the demo business has no overdue invoice today")
    counts = Counter(i.customerid for i in overdue)
    client_id = max(counts, key=lambda c: (counts[c], -c))
    return client_id, {
        i.currency_code for i in overdue if i.customerid == client_id and i.currency_code
    }
