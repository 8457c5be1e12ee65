"""A :class:`~fbclient.snapshot.Snapshot` as pandas DataFrames with plain column names.

Conventions every insight relies on:

- Money columns (``amount``, ``paid``, ``outstanding``...) hold ``Decimal`` objects (object
  dtype) next to a ``currency`` column; they are never floats and never summed across
  currencies.
- Calendar dates are ``datetime64[s]`` at midnight (the business's own calendar day, as
  FreshBooks stores accounting dates); ``NaT`` when missing.
- Ids are nullable integers (``Int64``); names are text.
- Deleted records (``vis_state`` 1) are left out everywhere. Archived ones (``vis_state`` 2)
  are kept, with ``archived`` True: FreshBooks' own reports (profit and loss, accounts
  aging, payments collected) count archived invoices, payments and expenses, since archiving
  only hides a record from the default lists. Time entries with ``active`` False (deleted)
  and running timers (no duration yet) are left out.
- Time entry start times are converted to the business timezone (UTC when it has none or an
  unknown one) before taking their day and week; weeks start on Monday.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from fbclient.models.clients import Client
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense, ExpenseStatus
from fbclient.models.invoices import Invoice, InvoiceLine
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.services import Service, ServiceRate
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry
from fbclient.snapshot import Snapshot

from ._money import ZERO, cents, day, dsum
from .rates import HourlyRate, hourly_rate

__all__ = [
    "CLIENT_COLUMNS",
    "EXPENSE_COLUMNS",
    "INVOICE_COLUMNS",
    "LINE_COLUMNS",
    "PAYMENT_COLUMNS",
    "PROJECT_COLUMNS",
    "TIME_COLUMNS",
    "Frames",
    "build_frames",
    "business_timezone",
    "clients_frame",
    "expenses_frame",
    "home_currency",
    "invoice_net_amount",
    "invoice_status_label",
    "invoices_frame",
    "lines_frame",
    "payments_frame",
    "projects_frame",
    "time_frame",
]

DELETED = 1
ARCHIVED = 2

MONEY = object
DAY = "datetime64[s]"

INVOICE_COLUMNS: dict[str, Any] = {
    "invoice_id": "Int64",
    "number": "str",
    "client_id": "Int64",
    "client": "str",
    "currency": "str",
    "amount": MONEY,
    "paid": MONEY,
    "outstanding": MONEY,
    # Amount before taxes (lines + discount), None when the lines were not fetched.
    "net_amount": MONEY,
    "tax": MONEY,
    "create_date": DAY,
    "due_date": DAY,
    "date_paid": DAY,
    "status": "str",
    "v3_status": "str",
    "payment_status": "str",
    "is_draft": "bool",
    "is_overdue": "bool",
    "days_overdue": "int64",
    "archived": "bool",
}
PAYMENT_COLUMNS: dict[str, Any] = {
    "payment_id": "Int64",
    "invoice_id": "Int64",
    "invoice_number": "str",
    "client_id": "Int64",
    "client": "str",
    "currency": "str",
    "amount": MONEY,
    "date": DAY,
    "type": "str",
    "note": "str",
    "archived": "bool",
}
EXPENSE_COLUMNS: dict[str, Any] = {
    "expense_id": "Int64",
    "date": DAY,
    "currency": "str",
    "amount": MONEY,
    "category_id": "Int64",
    "category": "str",
    "parent_category": "str",
    "vendor": "str",
    "client_id": "Int64",
    "client": "str",
    "project_id": "Int64",
    "status": "str",
    "billable": "bool",
    "notes": "str",
    "archived": "bool",
}
TIME_COLUMNS: dict[str, Any] = {
    "entry_id": "Int64",
    "started_at": "datetime64[s]",  # local wall time in the business timezone
    "date": DAY,
    "week": DAY,  # the Monday of the entry's week
    "seconds": "int64",
    "hours": MONEY,  # Decimal hours, 4 places; sum ``seconds`` for exact totals
    "billable": "bool",
    "billed": "bool",
    "unbilled": "bool",  # billable and not yet billed
    "project_id": "Int64",
    "project": "str",
    "client_id": "Int64",
    "client": "str",
    "service_id": "Int64",
    "service": "str",
    "identity_id": "Int64",
    "team_member": "str",
    "note": "str",
    "rate": MONEY,  # hourly rate when known (see insights.rates)
    "rate_source": "str",  # "project rate", "service rate", or why there is none
    "currency": "str",
    "value": MONEY,  # hours x rate to the cent, for billable time with a known rate
}
CLIENT_COLUMNS: dict[str, Any] = {
    "client_id": "Int64",
    "client": "str",
    "organization": "str",
    "email": "str",
    "currency": "str",
    "archived": "bool",
}
PROJECT_COLUMNS: dict[str, Any] = {
    "project_id": "Int64",
    "project": "str",
    "client_id": "Int64",
    "client": "str",
    "currency": "str",
    "budget_seconds": "Int64",  # FreshBooks' project budget is time, in seconds
    "budget_hours": MONEY,  # Decimal hours, None without a budget
    "rate": MONEY,
    "fixed_price": MONEY,
    "billing_method": "str",
    "project_type": "str",
    "active": "bool",
    "complete": "bool",
}


def _frame(rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(schema))
    return frame.astype(dict(schema)).reset_index(drop=True)


def _tuples_frame(rows: Sequence[tuple[Any, ...]], schema: Mapping[str, Any]) -> pd.DataFrame:
    """Like :func:`_frame`, from one tuple per row in ``schema`` order (cheaper than dicts)."""
    frame = pd.DataFrame(list(rows), columns=list(schema))
    return frame.astype(dict(schema)).reset_index(drop=True)


def _live(records: Iterable[Any]) -> list[Any]:
    return [r for r in records if getattr(r, "vis_state", 0) != DELETED]


def _amount(money: Any) -> Decimal:
    return money.amount if money is not None else ZERO


def business_timezone(name: str | None) -> tzinfo:
    """The business's timezone from its IANA name; UTC when missing or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def home_currency(invoices: Iterable[Invoice], clients: Iterable[Client] = ()) -> str | None:
    """The business's usual currency: the most common invoice currency, else client currency.

    FreshBooks' business record read by the app carries no currency, so it is inferred;
    ties go to the alphabetically first code so the answer is stable.
    """
    for codes in (
        [_invoice_currency(i) for i in _live(invoices)],
        [c.currency_code for c in _live(clients)],
    ):
        counts = Counter(c for c in codes if c)
        if counts:
            return min(counts, key=lambda code: (-counts[code], code))
    return None


def _invoice_currency(invoice: Invoice) -> str | None:
    if invoice.currency_code:
        return invoice.currency_code.upper()
    return invoice.amount.code if invoice.amount is not None else None


def _line_amount(line: InvoiceLine) -> Decimal:
    if line.amount is not None:
        return line.amount.amount
    qty = line.qty if line.qty is not None else Decimal(1)
    return cents(qty * _amount(line.unit_cost))


def invoice_net_amount(invoice: Invoice) -> Decimal | None:
    """The invoice's amount before taxes: its lines plus its (negative) discount.

    FreshBooks' income in profit and loss excludes the taxes collected. Lines only come with
    ``include[]=lines``; without them the net amount is unknown (None) unless the invoice is
    for nothing.
    """
    if invoice.lines:
        return dsum(_line_amount(line) for line in invoice.lines) + _amount(invoice.discount_total)
    if _amount(invoice.amount) == ZERO:
        return ZERO
    return None


def _is_draft(invoice: Invoice) -> bool:
    if invoice.v3_status is not None:
        return invoice.v3_status == "draft"
    return invoice.status == 1


def invoice_status_label(invoice: Invoice, today: date) -> str:
    """A status a person reads: Draft, Paid, Overdue, Partial, Disputed, Viewed or Sent."""
    if _is_draft(invoice):
        return "Draft"
    if invoice.payment_status == "paid" or invoice.v3_status in ("paid", "autopaid"):
        return "Paid"
    if _is_overdue(invoice, today):
        return "Overdue"
    if invoice.payment_status == "partial" or invoice.v3_status == "partial":
        return "Partial"
    if invoice.v3_status == "disputed" or invoice.status == 0:
        return "Disputed"
    if invoice.v3_status == "viewed":
        return "Viewed"
    return "Sent"


def _is_overdue(invoice: Invoice, today: date) -> bool:
    # FreshBooks: sent (not a draft), money still owed, and due before today (due today is not late).
    return (
        not _is_draft(invoice)
        and _amount(invoice.outstanding) > ZERO
        and invoice.due_date is not None
        and invoice.due_date < today
    )


def invoices_frame(
    invoices: Iterable[Invoice], clients: Iterable[Client], today: date
) -> pd.DataFrame:
    """One row per invoice (drafts included, flagged ``is_draft``); see :data:`INVOICE_COLUMNS`."""
    names = {c.id: c.display_name for c in clients}
    rows = []
    for inv in _live(invoices):
        net = invoice_net_amount(inv)
        overdue = _is_overdue(inv, today)
        rows.append(
            {
                "invoice_id": inv.id,
                "number": inv.invoice_number,
                "client_id": inv.customerid,
                "client": names.get(inv.customerid) or inv.client_name,
                "currency": _invoice_currency(inv),
                "amount": _amount(inv.amount),
                "paid": _amount(inv.paid),
                "outstanding": _amount(inv.outstanding),
                "net_amount": net,
                "tax": _amount(inv.amount) - net if net is not None else None,
                "create_date": inv.create_date,
                "due_date": inv.due_date,
                "date_paid": inv.date_paid,
                "status": invoice_status_label(inv, today),
                "v3_status": inv.v3_status,
                "payment_status": inv.payment_status,
                "is_draft": _is_draft(inv),
                "is_overdue": overdue,
                "days_overdue": (today - inv.due_date).days if overdue and inv.due_date else 0,
                "archived": inv.vis_state == ARCHIVED,
            }
        )
    return _frame(rows, INVOICE_COLUMNS)


def payments_frame(
    payments: Iterable[Payment], invoices: Iterable[Invoice], clients: Iterable[Client]
) -> pd.DataFrame:
    """One row per payment; see :data:`PAYMENT_COLUMNS`. Currency is the payment's own."""
    names = {c.id: c.display_name for c in clients}
    by_id = {i.id: i for i in invoices}
    rows = []
    for pay in _live(payments):
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
                "currency": currency or (_invoice_currency(invoice) if invoice else None),
                "amount": _amount(pay.amount),
                "date": pay.date,
                "type": pay.type,
                "note": pay.note,
                "archived": pay.vis_state == ARCHIVED,
            }
        )
    return _frame(rows, PAYMENT_COLUMNS)


def _expense_status(expense: Expense) -> str | None:
    status = expense.expense_status
    return status.name.replace("_", " ").capitalize() if isinstance(status, ExpenseStatus) else None


def expenses_frame(
    expenses: Iterable[Expense],
    categories: Iterable[ExpenseCategory],
    clients: Iterable[Client],
) -> pd.DataFrame:
    """One row per expense with its category and the category's parent resolved.

    ``parent_category`` is the top-level category (a top-level category is its own parent),
    so spending can be shown by group ("Travel") or in detail ("Airfare").
    """
    cats = {c.id: c for c in categories}
    names = {c.id: c.display_name for c in clients}
    rows = []
    for exp in _live(expenses):
        cat = cats.get(exp.categoryid) if exp.categoryid is not None else None
        parent = cats.get(cat.parentid) if cat is not None and cat.parentid else None
        category = cat.name if cat is not None else "Uncategorized"
        rows.append(
            {
                "expense_id": exp.id,
                "date": exp.date,
                "currency": exp.amount.code if exp.amount is not None else None,
                "amount": _amount(exp.amount),
                "category_id": exp.categoryid,
                "category": category,
                "parent_category": parent.name if parent is not None else category,
                "vendor": exp.vendor or None,
                "client_id": exp.clientid,
                "client": names.get(exp.clientid),
                "project_id": exp.projectid,
                "status": _expense_status(exp),
                "billable": bool(exp.billable),
                "notes": exp.notes,
                "archived": exp.vis_state == ARCHIVED,
            }
        )
    return _frame(rows, EXPENSE_COLUMNS)


def clients_frame(clients: Iterable[Client]) -> pd.DataFrame:
    """One row per client (archived kept, flagged); see :data:`CLIENT_COLUMNS`."""
    rows = [
        {
            "client_id": c.id,
            "client": c.display_name,
            "organization": c.organization,
            "email": c.email,
            "currency": c.currency_code.upper() if c.currency_code else None,
            "archived": c.vis_state == ARCHIVED,
        }
        for c in _live(clients)
    ]
    return _frame(rows, CLIENT_COLUMNS)


def _currency_of(
    client_id: int | None, currencies: Mapping[int, str | None], home: str | None
) -> str | None:
    if client_id is not None and currencies.get(client_id):
        return currencies[client_id]
    return home


def projects_frame(
    projects: Iterable[Project], clients: Iterable[Client], home: str | None
) -> pd.DataFrame:
    """One row per project; budget in seconds and in hours; currency is the client's."""
    clients = list(clients)
    names = {c.id: c.display_name for c in clients}
    currencies = {c.id: c.currency_code for c in clients}
    rows = [
        {
            "project_id": p.id,
            "project": p.title,
            "client_id": p.client_id,
            "client": names.get(p.client_id),
            "currency": _currency_of(p.client_id, currencies, home),
            "budget_seconds": p.budget,
            "budget_hours": Decimal(p.budget) / 3600 if p.budget is not None else None,
            "rate": p.rate,
            "fixed_price": p.fixed_price,
            "billing_method": p.billing_method,
            "project_type": p.project_type,
            "active": p.active,
            "complete": p.complete,
        }
        for p in projects
    ]
    return _frame(rows, PROJECT_COLUMNS)


def _member_names(members: Iterable[TeamMember]) -> dict[int, str]:
    return {m.identity_id: m.display_name for m in members if m.identity_id is not None}


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
    """One row per logged time entry; see :data:`TIME_COLUMNS` and :mod:`insights.rates`."""
    tz = business_timezone(timezone)
    by_project = {p.id: p for p in projects}
    clients = list(clients)
    client_names = {c.id: c.display_name for c in clients}
    currencies = {c.id: c.currency_code for c in clients}
    service_names = {s.id: s.name for s in services}
    rates = {r.service_id: r.rate for r in service_rates if r.service_id and r.rate is not None}
    members = _member_names(team_members)
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
        rows.append(
            (  # in the order of TIME_COLUMNS
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
                _currency_of(client_id, currencies, home),
                value,
            )
        )
    return _tuples_frame(rows, TIME_COLUMNS)


@dataclass(frozen=True)
class Frames:
    """Every frame of one business at one moment, with what the insights need to read them."""

    invoices: pd.DataFrame
    payments: pd.DataFrame
    expenses: pd.DataFrame
    time: pd.DataFrame
    clients: pd.DataFrame
    projects: pd.DataFrame
    today: date
    timezone: str
    home_currency: str | None
    fetched_at: datetime | None = None
    business_name: str = ""

    @property
    def today_ts(self) -> pd.Timestamp:
        """``today`` as the Timestamp date columns are compared with."""
        return day(self.today)


def build_frames(snapshot: Snapshot, today: date) -> Frames:
    """All frames of ``snapshot``; ``today`` (the business's calendar day) decides overdue."""
    home = home_currency(snapshot.invoices, snapshot.clients)
    timezone = snapshot.business.timezone
    return Frames(
        invoices=invoices_frame(snapshot.invoices, snapshot.clients, today),
        payments=payments_frame(snapshot.payments, snapshot.invoices, snapshot.clients),
        expenses=expenses_frame(snapshot.expenses, snapshot.expense_categories, snapshot.clients),
        time=time_frame(
            snapshot.time_entries,
            projects=snapshot.projects,
            clients=snapshot.clients,
            services=snapshot.services,
            service_rates=snapshot.service_rates,
            team_members=snapshot.team_members,
            timezone=timezone,
            home=home,
        ),
        clients=clients_frame(snapshot.clients),
        projects=projects_frame(snapshot.projects, snapshot.clients, home),
        today=today,
        timezone=str(business_timezone(timezone)),
        home_currency=home,
        fetched_at=snapshot.fetched_at,
        business_name=snapshot.business.name,
    )


LINE_COLUMNS: dict[str, Any] = {
    "line": "int64",
    "name": "str",
    "description": "str",
    "qty": MONEY,  # Decimal quantity
    "unit_cost": MONEY,
    "amount": MONEY,  # qty x unit cost, before discount and tax
    "currency": "str",
    "tax_1": "str",
    "tax_1_percent": MONEY,
    "tax_2": "str",
    "tax_2_percent": MONEY,
}


def lines_frame(invoice: Invoice) -> pd.DataFrame:
    """The lines of one invoice (fetched with ``include[]=lines``); empty when not fetched."""
    currency = _invoice_currency(invoice)
    rows = [
        {
            "line": index,
            "name": line.name,
            "description": line.description,
            "qty": line.qty,
            "unit_cost": line.unit_cost.amount if line.unit_cost is not None else None,
            "amount": _line_amount(line),
            "currency": currency,
            "tax_1": line.taxName1 or None,
            "tax_1_percent": line.taxAmount1 if line.taxName1 else None,
            "tax_2": line.taxName2 or None,
            "tax_2_percent": line.taxAmount2 if line.taxName2 else None,
        }
        for index, line in enumerate(invoice.lines, start=1)
    ]
    return _frame(rows, LINE_COLUMNS)
