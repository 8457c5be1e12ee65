"""The frame builders as they were before issue 6: one dict or tuple per record, each time
entry converted to local time on its own. Tests hold today's (faster) builders to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from fbclient.models.clients import Client
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense, ExpenseStatus
from fbclient.models.invoices import Invoice
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.services import Service, ServiceRate
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry
from insights._money import ZERO, cents, dsum
from insights.frames import (
    EXPENSE_COLUMNS,
    INVOICE_COLUMNS,
    PAYMENT_COLUMNS,
    TIME_COLUMNS,
    business_timezone,
    invoice_status_label,
)
from insights.rates import HourlyRate, hourly_rate

ARCHIVED = 2


def frame(rows: Sequence[Mapping[str, Any] | tuple[Any, ...]], schema: Mapping[str, Any]):
    return (
        pd.DataFrame(list(rows), columns=list(schema)).astype(dict(schema)).reset_index(drop=True)
    )


def live(records: Iterable[Any]) -> list[Any]:
    return [r for r in records if getattr(r, "vis_state", 0) != 1]


def amount_of(money: Any) -> Decimal:
    return money.amount if money is not None else ZERO


def invoice_currency(invoice: Invoice) -> str | None:
    if invoice.currency_code:
        return invoice.currency_code.upper()
    return invoice.amount.code if invoice.amount is not None else None


def net_amount(invoice: Invoice) -> Decimal | None:
    def line_amount(line: Any) -> Decimal:
        if line.amount is not None:
            return line.amount.amount
        qty = line.qty if line.qty is not None else Decimal(1)
        return cents(qty * amount_of(line.unit_cost))

    if invoice.lines:
        return dsum(line_amount(line) for line in invoice.lines) + amount_of(invoice.discount_total)
    if amount_of(invoice.amount) == ZERO:
        return ZERO
    return None


def is_draft(invoice: Invoice) -> bool:
    if invoice.v3_status is not None:
        return invoice.v3_status == "draft"
    return invoice.status == 1


def is_overdue(invoice: Invoice, today: date) -> bool:
    return (
        not is_draft(invoice)
        and amount_of(invoice.outstanding) > ZERO
        and invoice.due_date is not None
        and invoice.due_date < today
    )


def invoices_frame(
    invoices: Iterable[Invoice], clients: Iterable[Client], today: date
) -> pd.DataFrame:
    names = {c.id: c.display_name for c in clients}
    rows = []
    for inv in live(invoices):
        net = net_amount(inv)
        overdue = is_overdue(inv, today)
        rows.append(
            {
                "invoice_id": inv.id,
                "number": inv.invoice_number,
                "client_id": inv.customerid,
                "client": names.get(inv.customerid) or inv.client_name,
                "currency": invoice_currency(inv),
                "amount": amount_of(inv.amount),
                "paid": amount_of(inv.paid),
                "outstanding": amount_of(inv.outstanding),
                "net_amount": net,
                "tax": amount_of(inv.amount) - net if net is not None else None,
                "create_date": inv.create_date,
                "due_date": inv.due_date,
                "date_paid": inv.date_paid,
                "status": invoice_status_label(inv, today),
                "v3_status": inv.v3_status,
                "payment_status": inv.payment_status,
                "is_draft": is_draft(inv),
                "is_overdue": overdue,
                "days_overdue": (today - inv.due_date).days if overdue and inv.due_date else 0,
                "archived": inv.vis_state == ARCHIVED,
            }
        )
    return frame(rows, INVOICE_COLUMNS)


def payments_frame(
    payments: Iterable[Payment], invoices: Iterable[Invoice], clients: Iterable[Client]
) -> pd.DataFrame:
    names = {c.id: c.display_name for c in clients}
    by_id = {i.id: i for i in invoices}
    rows = []
    for pay in live(payments):
        invoice = by_id.get(pay.invoiceid) if pay.invoiceid is not None else None
        client_id = pay.clientid or (invoice.customerid if invoice else None)
        currency = pay.amount.code if pay.amount is not None else None
        rows.append(
            {
                "payment_id": pay.id,
                "invoice_id": pay.invoiceid,
                "invoice_number": invoice.invoice_number if invoice else None,
                "client_id": client_id,
                "client": names.get(client_id) or (invoice.client_name if invoice else None),
                "currency": currency or (invoice_currency(invoice) if invoice else None),
                "amount": amount_of(pay.amount),
                "date": pay.date,
                "type": pay.type,
                "note": pay.note,
                "archived": pay.vis_state == ARCHIVED,
            }
        )
    return frame(rows, PAYMENT_COLUMNS)


def expenses_frame(
    expenses: Iterable[Expense],
    categories: Iterable[ExpenseCategory],
    clients: Iterable[Client],
) -> pd.DataFrame:
    cats = {c.id: c for c in categories}
    names = {c.id: c.display_name for c in clients}
    rows = []
    for exp in live(expenses):
        cat = cats.get(exp.categoryid) if exp.categoryid is not None else None
        parent = cats.get(cat.parentid) if cat is not None and cat.parentid else None
        category = cat.name if cat is not None else "Uncategorized"
        status = exp.expense_status
        rows.append(
            {
                "expense_id": exp.id,
                "date": exp.date,
                "currency": exp.amount.code if exp.amount is not None else None,
                "amount": amount_of(exp.amount),
                "category_id": exp.categoryid,
                "category": category,
                "parent_category": parent.name if parent is not None else category,
                "vendor": exp.vendor or None,
                "client_id": exp.clientid,
                "client": names.get(exp.clientid),
                "project_id": exp.projectid,
                "status": (
                    status.name.replace("_", " ").capitalize()
                    if isinstance(status, ExpenseStatus)
                    else None
                ),
                "billable": bool(exp.billable),
                "notes": exp.notes,
                "archived": exp.vis_state == ARCHIVED,
            }
        )
    return frame(rows, EXPENSE_COLUMNS)


def time_frame(
    entries: Iterable[TimeEntry],
    *,
    projects: Iterable[Project] = (),
    clients: Iterable[Client] = (),
    services: Iterable[Service] = (),
    service_rates: Iterable[ServiceRate] = (),
    team_members: Iterable[TeamMember] = (),
    timezone: str | None = None,
    home: str | None = None,
) -> pd.DataFrame:
    tz = business_timezone(timezone)
    by_project = {p.id: p for p in projects}
    clients = list(clients)
    client_names = {c.id: c.display_name for c in clients}
    currencies = {c.id: c.currency_code for c in clients}
    service_names = {s.id: s.name for s in services}
    rates = {r.service_id: r.rate for r in service_rates if r.service_id and r.rate is not None}
    members = {m.identity_id: m.display_name for m in team_members if m.identity_id is not None}
    known: dict[tuple[int | None, int | None], HourlyRate] = {}
    rows: list[tuple[Any, ...]] = []
    for entry in entries:
        if not entry.active or entry.duration is None or entry.started_at is None:
            continue
        local = entry.started_at.astimezone(tz).replace(tzinfo=None)
        local_day = local.date()
        project = by_project.get(entry.project_id) if entry.project_id is not None else None
        client_id = entry.client_id or (project.client_id if project else None)
        billable = bool(entry.billable)
        key = (entry.project_id if project else None, entry.service_id)
        rate = known.get(key)
        if rate is None:
            rate = known[key] = hourly_rate(project, entry.service_id, rates)
        value = (
            cents(Decimal(entry.duration) * rate.rate / 3600)
            if billable and rate.rate is not None
            else None
        )
        currency = currencies.get(client_id) if client_id is not None else None
        rows.append(
            (
                entry.id,
                local,
                local_day,
                local_day - timedelta(days=local_day.weekday()),
                entry.duration,
                entry.hours,
                billable,
                bool(entry.billed),
                billable and not entry.billed,
                entry.project_id,
                project.title if project else None,
                client_id,
                client_names.get(client_id),
                entry.service_id,
                service_names.get(entry.service_id),
                entry.identity_id,
                members.get(entry.identity_id),
                entry.note,
                rate.rate,
                rate.source,
                currency or home,
                value,
            )
        )
    return frame(rows, TIME_COLUMNS)


def assert_same_frame(new: pd.DataFrame, old: pd.DataFrame) -> None:
    """Equal in every way a reader could tell: columns, dtypes, index (and its type), values,
    and each Decimal's digits (``Decimal("1.0") == Decimal("1.00")`` would hide a change)."""
    pd.testing.assert_frame_equal(
        new, old, check_exact=True, check_index_type=True, check_column_type=True
    )
    for column in old.columns:
        if old[column].dtype == object:
            assert [repr(v) for v in new[column]] == [repr(v) for v in old[column]], column
