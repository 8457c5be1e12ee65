"""What invoices and recurring profiles share about whom they bill and in which currency."""

from __future__ import annotations

from typing import Protocol

from ..types import Money

__all__ = ["billed_currency", "billed_name"]


class Billed(Protocol):
    """A document addressed to a client, with an amount."""

    customerid: int | None
    currency_code: str | None
    amount: Money | None
    organization: str | None
    fname: str | None
    lname: str | None


def billed_currency(document: Billed) -> str | None:
    """Its ISO 4217 code: ``currency_code``, else its amount's; None when neither is given."""
    if document.currency_code:
        return document.currency_code.upper()
    return document.amount.code if document.amount is not None else None


def billed_name(document: Billed) -> str:
    """The billed organization, else the person's name, else the client's id."""
    person = " ".join(p for p in (document.fname, document.lname) if p)
    return document.organization or person or f"Client {document.customerid}"
