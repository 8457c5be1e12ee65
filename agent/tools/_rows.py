"""Records as the compact rows the model reads: key fields only, money with its currency.

Text that comes from FreshBooks (names, notes, descriptions) is copied into fields as data
and cut to a bounded length; it is never turned into instructions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from agent.results import money, totals_by_currency
from fbclient import Money
from fbclient.models.clients import Client
from fbclient.models.estimates import Estimate
from fbclient.models.expenses import Expense
from fbclient.models.invoices import Invoice, InvoiceLine
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.time_entries import TimeEntry
from insights._money import hours_of
from insights.frames import invoice_status_label
from insights.labels import plain_text

from .dates import local_day

__all__ = [
    "amount_totals",
    "client_row",
    "compact",
    "estimate_row",
    "expense_row",
    "hours_text",
    "invoice_amount",
    "invoice_currency",
    "invoice_owed",
    "invoice_row",
    "line_row",
    "money_text",
    "payment_row",
    "printed_parts",
    "project_row",
    "seconds_to_hours",
    "text",
    "time_row",
]


def compact(row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` without empty values (None, "", empty lists): fewer tokens, same meaning."""
    return {k: v for k, v in row.items() if v is not None and v != "" and v != []}


# FreshBooks text as data: stripped and cut to a bounded length.
text = plain_text


# The same rounding as the dashboards, so chat and pages show the same hours.
seconds_to_hours = hours_of


def hours_text(seconds: int) -> str:
    """Hours as text, e.g. ``"2.50"``."""
    return format(seconds_to_hours(seconds), "f")


def money_text(amount: Decimal, currency: str) -> str:
    """Money as a person reads it on a card: ``1,200.00 USD``."""
    return str(Money.of(amount, currency))


def invoice_currency(invoice: Invoice) -> str:
    """The invoice's currency code (USD when FreshBooks gave none, as its default)."""
    return invoice.currency or "USD"


def invoice_amount(invoice: Invoice) -> Decimal:
    """The invoice's total (zero when FreshBooks gave none)."""
    return invoice.amount.amount if invoice.amount else Decimal(0)


class _Priced(Protocol):
    @property
    def amount(self) -> Money | None: ...


def amount_totals(records: Iterable[_Priced]) -> dict[str, str]:
    """The records' amounts summed per currency (those without an amount left out)."""
    return totals_by_currency((r.amount.code, r.amount.amount) for r in records if r.amount)


def invoice_owed(invoice: Invoice) -> Decimal:
    """What is still owed on the invoice."""
    return invoice.owed


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def client_row(client: Client) -> dict[str, Any]:
    """A client: id, name, contact, email, currency, archived flag, balances when fetched."""
    person = " ".join(p for p in (client.fname, client.lname) if p)
    return compact(
        {
            "id": client.id,
            "name": text(client.display_name, 120),
            "contact": text(person, 80) if person and person != client.display_name else None,
            "email": client.email,
            "currency": client.currency_code,
            "archived": True if client.vis_state == 2 else None,
            "outstanding": [money(m) for m in client.outstanding_balance] or None,
            "overdue": [money(m) for m in client.overdue_balance] or None,
        }
    )


def invoice_row(invoice: Invoice, today: date) -> dict[str, Any]:
    """An invoice: number, client, dates, status, amount and what is still owed."""
    owed = invoice.outstanding
    return compact(
        {
            "id": invoice.id,
            "number": invoice.invoice_number,
            "client_id": invoice.customerid,
            "client": text(invoice.client_name, 80),
            "date": _iso(invoice.create_date),
            "due_date": _iso(invoice.due_date),
            "status": invoice_status_label(invoice, today),
            "amount": money(invoice.amount),
            "outstanding": money(owed) if owed is not None and owed.amount else None,
            "archived": True if invoice.vis_state == 2 else None,
        }
    )


def line_row(line: InvoiceLine) -> dict[str, Any]:
    """One invoice or estimate line."""
    taxes = [
        f"{name} {format(pct, 'f')}%"
        for name, pct in ((line.taxName1, line.taxAmount1), (line.taxName2, line.taxAmount2))
        if name
    ]
    return compact(
        {
            "name": text(line.name, 120),
            "description": text(line.description, 200),
            "qty": format(line.qty, "f") if line.qty is not None else None,
            "unit_cost": money(line.unit_cost),
            "amount": money(line.amount),
            "taxes": taxes or None,
        }
    )


def estimate_row(estimate: Estimate) -> dict[str, Any]:
    """An estimate: number, client, date, status and amount."""
    person = " ".join(p for p in (estimate.fname, estimate.lname) if p)
    return compact(
        {
            "id": estimate.id,
            "number": estimate.estimate_number,
            "client_id": estimate.customerid,
            "client": text(estimate.organization or person, 80),
            "date": _iso(estimate.create_date),
            "status": estimate.ui_status or estimate.display_status,
            "amount": money(estimate.amount),
            "invoice_id": estimate.invoiceid,
        }
    )


def printed_parts(document: Estimate | Invoice) -> dict[str, Any]:
    """What an estimate or invoice prints below its header: discount, notes, terms and its
    first 25 lines (with how many there are); empty ones left to the caller's ``compact``."""
    discount = document.discount_total
    return {
        "discount": money(discount) if discount is not None and discount.amount else None,
        "notes": text(document.notes, 300),
        "terms": text(document.terms, 200),
        "lines": [line_row(line) for line in document.lines[:25]],
        "line_count": len(document.lines),
    }


def expense_row(
    expense: Expense, categories: Mapping[int, str], clients: Mapping[int, str]
) -> dict[str, Any]:
    """An expense: date, amount, category, vendor, client and note."""
    return compact(
        {
            "id": expense.id,
            "date": _iso(expense.date),
            "amount": money(expense.amount),
            "category_id": expense.categoryid,
            "category": categories.get(expense.categoryid) if expense.categoryid else None,
            "vendor": text(expense.vendor, 80),
            "client_id": expense.clientid,
            "client": clients.get(expense.clientid) if expense.clientid else None,
            "project_id": expense.projectid,
            "notes": text(expense.notes, 120),
            "archived": True if expense.vis_state == 2 else None,
        }
    )


def payment_row(payment: Payment, clients: Mapping[int, str]) -> dict[str, Any]:
    """A payment: date, amount, invoice, client, method and note."""
    return compact(
        {
            "id": payment.id,
            "date": _iso(payment.date),
            "amount": money(payment.amount),
            "invoice_id": payment.invoiceid,
            "client_id": payment.clientid,
            "client": clients.get(payment.clientid) if payment.clientid else None,
            "type": payment.type,
            "note": text(payment.note, 120),
        }
    )


def project_row(project: Project, clients: Mapping[int, str]) -> dict[str, Any]:
    """A project: title, client, how it bills, and whether it is active or complete."""
    return compact(
        {
            "id": project.id,
            "title": text(project.title, 120),
            "client_id": project.client_id,
            "client": clients.get(project.client_id) if project.client_id else None,
            "type": project.project_type,
            "billing": project.billing_method,
            "rate": format(project.rate, "f") if project.rate is not None else None,
            "fixed_price": (
                format(project.fixed_price, "f") if project.fixed_price is not None else None
            ),
            "due_date": _iso(project.due_date),
            "active": project.active,
            "complete": True if project.complete else None,
        }
    )


def time_row(
    entry: TimeEntry,
    timezone: str | None,
    names: Mapping[str, Mapping[int, str]],
) -> dict[str, Any]:
    """A time entry: its local day, hours, project, client, service, note and flags.

    ``names`` maps "projects", "clients" and "services" to id -> name.
    """
    return compact(
        {
            "id": entry.id,
            "date": _iso(local_day(entry.started_at, timezone)),
            "hours": hours_text(entry.duration or 0),
            "project_id": entry.project_id,
            "project": names.get("projects", {}).get(entry.project_id or 0),
            "client_id": entry.client_id,
            "client": names.get("clients", {}).get(entry.client_id or 0),
            "service": names.get("services", {}).get(entry.service_id or 0),
            "note": text(entry.note, 120),
            "billable": bool(entry.billable),
            "billed": bool(entry.billed),
        }
    )
