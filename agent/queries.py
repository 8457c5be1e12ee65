"""What a list read of :class:`agent.books.Books` asks for: one frozen query per list.

A tool builds the query once; :class:`~agent.books.ApiBooks` turns it into FreshBooks'
search, :mod:`agent.tools._mirror` applies it to the mirror, and
:class:`~agent.books.MirrorBooks` hands the same object to FreshBooks when the mirror
cannot answer. A filter left ``None`` is not applied. ``pages`` bounds every list to that
many pages of 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from fbclient.models.invoices import V3Status

__all__ = [
    "ClientQuery",
    "EstimateQuery",
    "ExpenseQuery",
    "InvoiceQuery",
    "ListQuery",
    "PaymentQuery",
    "ProjectQuery",
    "TimeQuery",
]


@dataclass(frozen=True, kw_only=True)
class ListQuery:
    """A bounded list read: at most ``pages`` pages of 100."""

    pages: int

    def filters(self) -> dict[str, Any]:
        """The filters given, by FreshBooks' name: a null would be sent as a value."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "pages" and getattr(self, f.name) is not None
        }


@dataclass(frozen=True, kw_only=True)
class ClientQuery(ListQuery):
    """Clients: ``user_like`` in the names or organization, ``email_like`` in the email,
    ``has`` a non-zero balance of that name (``outstanding``, ``overdue``), with the
    ``balances`` includes filled in."""

    user_like: str | None = None
    email_like: str | None = None
    has: str | None = None
    balances: Sequence[str] = ()

    def filters(self) -> dict[str, Any]:
        """The search FreshBooks takes: ``has`` is its ``has_<name>`` flag, and the balances
        are includes, not filters."""
        found = {k: v for k, v in super().filters().items() if k in ("user_like", "email_like")}
        if self.has:
            found[f"has_{self.has}"] = True
        return found


@dataclass(frozen=True, kw_only=True)
class InvoiceQuery(ListQuery):
    """Invoices: dates on ``create_date``, status as presented today, number exact."""

    customerid: int | None = None
    date_min: date | None = None
    date_max: date | None = None
    v3_status: V3Status | None = None
    invoice_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class EstimateQuery(ListQuery):
    """Estimates: dates on the estimate date."""

    customerid: int | None = None
    date_min: date | None = None
    date_max: date | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentQuery(ListQuery):
    """Payments of a client or of an invoice, dates on the payment date."""

    clientid: int | None = None
    invoiceid: int | None = None
    date_min: date | None = None
    date_max: date | None = None


@dataclass(frozen=True, kw_only=True)
class ExpenseQuery(ListQuery):
    """Expenses: ``vendor_like`` a substring of the vendor."""

    categoryid: int | None = None
    clientid: int | None = None
    projectid: int | None = None
    vendor_like: str | None = None
    date_min: date | None = None
    date_max: date | None = None


@dataclass(frozen=True, kw_only=True)
class ProjectQuery(ListQuery):
    """Projects, in id order or by title (case ignored) with ``by_title``."""

    client_id: int | None = None
    active: bool | None = None
    complete: bool | None = None
    by_title: bool = False

    def filters(self) -> dict[str, Any]:
        """The filters given; ``by_title`` is a sort, not a filter."""
        return {k: v for k, v in super().filters().items() if k != "by_title"}


@dataclass(frozen=True, kw_only=True)
class TimeQuery(ListQuery):
    """The team's logged entries: start times inclusive to the second, ``client_id`` on the
    entry itself."""

    started_from: datetime | None = None
    started_to: datetime | None = None
    billable: bool | None = None
    billed: bool | None = None
    client_id: int | None = None
    project_id: int | None = None
