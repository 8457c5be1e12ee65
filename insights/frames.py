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
  and running timers (not yet logged) are left out.
- Time entry start times are converted to the business timezone (UTC when it has none or an
  unknown one) before taking their day and week; weeks start on Monday.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from fbclient.identity import zone_named
from fbclient.models.clients import Client
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense, ExpenseStatus
from fbclient.models.invoices import Invoice, InvoiceLine
from fbclient.models.payments import Payment
from fbclient.models.projection import Projection
from fbclient.models.projects import Project
from fbclient.models.services import Service, ServiceRate
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry
from fbclient.snapshot import Snapshot

from ._columns import MONEY, columns_frame, exact_key, factorize, first_of_each
from ._localtime import local_wall_times, midnight_of, monday_of
from ._money import ZERO, cents, day
from .rates import hourly_rate

__all__ = [
    "CLIENT_COLUMNS",
    "EXPENSE_COLUMNS",
    "EXPENSE_ROWS",
    "HOME_SAMPLE",
    "INVOICE_COLUMNS",
    "INVOICE_ROWS",
    "LINE_COLUMNS",
    "PAYMENT_COLUMNS",
    "PAYMENT_ROWS",
    "PROJECT_COLUMNS",
    "TIME_COLUMNS",
    "TIME_ROWS",
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
    "overdue_mask",
    "owed_mask",
    "past_due_mask",
    "payments_frame",
    "projects_frame",
    "time_frame",
]

DELETED = 1
ARCHIVED = 2

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


# What the frame builders read of the long lists: the fields and the models' own rules. A
# snapshot from the mirror gives these light rows instead of models (see
# fbclient.models.projection); tests/insights/test_frames_from_rows.py holds the frames built
# from them to the frames built from full models.
INVOICE_ROWS = Projection(
    Invoice,
    (
        "id",
        "customerid",
        "invoice_number",
        "create_date",
        "due_date",
        "date_paid",
        "currency_code",
        "amount",
        "outstanding",
        "paid",
        "discount_total",
        "status",
        "v3_status",
        "payment_status",
        "fname",
        "lname",
        "organization",
        "vis_state",
    ),
    rules=("client_name", "owed", "currency", "is_draft", "is_overdue"),
    nested={"lines": Projection(InvoiceLine, ("qty", "unit_cost", "amount"))},
)
PAYMENT_ROWS = Projection(
    Payment, ("id", "invoiceid", "clientid", "amount", "type", "note", "vis_state", "date")
)
EXPENSE_ROWS = Projection(
    Expense,
    (
        "id",
        "categoryid",
        "clientid",
        "projectid",
        "amount",
        "vendor",
        "notes",
        "status",
        "billable",
        "vis_state",
        "date",
    ),
    rules=("expense_status",),
)
TIME_ROWS = Projection(
    TimeEntry,
    (
        "id",
        "identity_id",
        "is_logged",
        "started_at",
        "client_id",
        "project_id",
        "service_id",
        "note",
        "active",
        "billable",
        "billed",
        "duration",
    ),
    rules=("hours",),
)


def _frame(rows: Sequence[Mapping[str, Any]], schema: Mapping[str, Any]) -> pd.DataFrame:
    """A frame of ``schema`` from one dict per row (for the short lists)."""
    return columns_frame({name: [row[name] for row in rows] for name in schema}, schema)


def _live(records: Iterable[Any]) -> list[Any]:
    return [r for r in records if getattr(r, "vis_state", 0) != DELETED]


def _amount(money: Any) -> Decimal:
    return money.amount if money is not None else ZERO


def business_timezone(name: str | None) -> tzinfo:
    """The business's timezone from its IANA name; UTC when missing or unknown.

    The rule of :attr:`fbclient.identity.Business.zone`, for callers holding only the name.
    """
    return zone_named(name)


# How many of the newest invoices say what the business's usual currency is: its recent
# invoicing (a business that changed currency is known by its new one), and the same answer
# whether every invoice is at hand (the mirror) or only the newest pages (a live read).
HOME_SAMPLE = 100


def home_currency(invoices: Iterable[Invoice], clients: Iterable[Client] = ()) -> str | None:
    """The business's usual currency: the most common currency of its newest invoices (the
    :data:`HOME_SAMPLE` newest live ones, by date then id), else client currency.

    FreshBooks' business record read by the app carries no currency, so it is inferred;
    ties go to the alphabetically first code so the answer is stable.
    """
    newest = sorted(_live(invoices), key=lambda i: (i.create_date or date.min, i.id))
    return _most_common_currency([_invoice_currency(i) for i in newest[-HOME_SAMPLE:]], clients)


def _most_common_currency(
    invoice_currencies: Iterable[str | None], clients: Iterable[Client]
) -> str | None:
    """:func:`home_currency` from the live invoices' currencies (see ``_invoice_currency``)."""
    for codes in (invoice_currencies, [c.currency_code for c in _live(clients)]):
        counts = Counter(c for c in codes if c)
        if counts:
            return min(counts, key=lambda code: (-counts[code], code))
    return None


def _invoice_currency(invoice: Invoice | InvoiceRef) -> str | None:
    return invoice.currency


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
        # ``sum`` from ZERO adds in the same order as ``dsum`` (a line amount is never missing).
        return sum(map(_line_amount, invoice.lines), ZERO) + _amount(invoice.discount_total)
    if _amount(invoice.amount) == ZERO:
        return ZERO
    return None


def invoice_status_label(invoice: Invoice, today: date) -> str:
    """A status a person reads: Draft, Paid, Overdue, Partial, Disputed, Viewed or Sent."""
    return _status_label(invoice, invoice.is_draft, invoice.is_overdue(today))


def _status_label(invoice: Invoice, draft: bool, overdue: bool) -> str:
    if draft:
        return "Draft"
    if invoice.payment_status == "paid" or invoice.v3_status in ("paid", "autopaid"):
        return "Paid"
    if overdue:
        return "Overdue"
    if invoice.payment_status == "partial" or invoice.v3_status == "partial":
        return "Partial"
    if invoice.v3_status == "disputed" or invoice.status == 0:
        return "Disputed"
    if invoice.v3_status == "viewed":
        return "Viewed"
    return "Sent"


# Invoice.is_draft and Invoice.is_overdue over a whole invoices frame: the same rules, one
# vectorized pass instead of a model per row. tests/insights/test_invoice_rules.py checks
# that the two agree on every invoice of the demo books.


def owed_mask(invoices: pd.DataFrame) -> pd.Series:
    """Rows with money still owed (``Invoice.owed`` above zero)."""
    return invoices["outstanding"].map(lambda v: v is not None and v > ZERO).astype(bool)


def past_due_mask(invoices: pd.DataFrame, today: date) -> pd.Series:
    """The part of ``Invoice.is_overdue`` beyond sent and owed: not marked paid, due before
    ``today`` (due today is not late yet)."""
    due = invoices["due_date"]
    return ~invoices["v3_status"].eq("paid") & due.notna() & (due < day(today))


def overdue_mask(invoices: pd.DataFrame, today: date) -> pd.Series:
    """``Invoice.is_overdue(today)`` for every row of an invoices frame."""
    return ~invoices["is_draft"] & owed_mask(invoices) & past_due_mask(invoices, today)


def _column_lists(schema: Mapping[str, Any]) -> dict[str, list[Any]]:
    """One empty list per column of ``schema``, filled row by row by a frame builder.

    Builders read each record once and append its values to the columns: with tens of
    thousands of records, fetching each record from memory is the cost, so a pass per
    column would pay it again and again (and a tuple per row would only add allocations).
    """
    return {name: [] for name in schema}


def invoices_frame(
    invoices: Iterable[Invoice], clients: Iterable[Client], today: date
) -> pd.DataFrame:
    """One row per invoice (drafts included, flagged ``is_draft``); see :data:`INVOICE_COLUMNS`."""
    names: dict[int | None, str] = {c.id: c.display_name for c in clients}
    columns = _column_lists(INVOICE_COLUMNS)
    ids, numbers, client_ids, client = (
        columns[k] for k in ("invoice_id", "number", "client_id", "client")
    )
    currency, amount, paid, outstanding = (
        columns[k] for k in ("currency", "amount", "paid", "outstanding")
    )
    net_amount, tax, create_date, due_date = (
        columns[k] for k in ("net_amount", "tax", "create_date", "due_date")
    )
    date_paid, status, v3_status, payment_status = (
        columns[k] for k in ("date_paid", "status", "v3_status", "payment_status")
    )
    is_draft, is_overdue, days_overdue, archived = (
        columns[k] for k in ("is_draft", "is_overdue", "days_overdue", "archived")
    )
    for inv in invoices:
        if inv.vis_state == DELETED:
            continue
        total = _amount(inv.amount)
        owed = inv.owed
        due = inv.due_date
        net = invoice_net_amount(inv)
        # The invoice model's rules, so the frames say what the agent's tools say.
        draft = inv.is_draft
        overdue = inv.is_overdue(today)
        ids.append(inv.id)
        numbers.append(inv.invoice_number)
        client_ids.append(inv.customerid)
        client.append(names.get(inv.customerid) or inv.client_name)
        currency.append(inv.currency)
        amount.append(total)
        paid.append(_amount(inv.paid))
        outstanding.append(owed)
        net_amount.append(net)
        tax.append(total - net if net is not None else None)
        create_date.append(inv.create_date)
        due_date.append(due)
        date_paid.append(inv.date_paid)
        status.append(_status_label(inv, draft, overdue))
        v3_status.append(inv.v3_status)
        payment_status.append(inv.payment_status)
        is_draft.append(draft)
        is_overdue.append(overdue)
        days_overdue.append((today - due).days if overdue and due else 0)
        archived.append(inv.vis_state == ARCHIVED)
    return columns_frame(columns, INVOICE_COLUMNS)


def payments_frame(
    payments: Iterable[Payment],
    invoices: Iterable[Invoice | InvoiceRef],
    clients: Iterable[Client],
) -> pd.DataFrame:
    """One row per payment; see :data:`PAYMENT_COLUMNS`. Currency is the payment's own."""
    names: dict[int | None, str] = {c.id: c.display_name for c in clients}
    by_id = {i.id: i for i in invoices}
    columns = _column_lists(PAYMENT_COLUMNS)
    ids, invoice_ids, invoice_numbers, client_ids = (
        columns[k] for k in ("payment_id", "invoice_id", "invoice_number", "client_id")
    )
    client, currency, amount, dates = (columns[k] for k in ("client", "currency", "amount", "date"))
    kinds, notes, archived = (columns[k] for k in ("type", "note", "archived"))
    for pay in payments:
        if pay.vis_state == DELETED:
            continue
        invoice = by_id.get(pay.invoiceid) if pay.invoiceid is not None else None
        client_id = pay.clientid or (invoice.customerid if invoice else None)
        code = pay.amount.code if pay.amount is not None else None
        ids.append(pay.id)
        invoice_ids.append(pay.invoiceid)
        invoice_numbers.append(invoice.invoice_number if invoice else None)
        client_ids.append(client_id)
        client.append(names.get(client_id) or (invoice.client_name if invoice else None))
        currency.append(code or (_invoice_currency(invoice) if invoice else None))
        amount.append(_amount(pay.amount))
        dates.append(pay.date)
        kinds.append(pay.type)
        notes.append(pay.note)
        archived.append(pay.vis_state == ARCHIVED)
    return columns_frame(columns, PAYMENT_COLUMNS)


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
    names: dict[int | None, str] = {c.id: c.display_name for c in clients}
    # Few categories and status codes: each is named once, then looked up per expense.
    named: dict[int | None, tuple[str, str]] = {}
    statuses: dict[int | None, str | None] = {}
    columns = _column_lists(EXPENSE_COLUMNS)
    ids, dates, currency, amount = (
        columns[k] for k in ("expense_id", "date", "currency", "amount")
    )
    category_ids, category, parent_category, vendor = (
        columns[k] for k in ("category_id", "category", "parent_category", "vendor")
    )
    client_ids, client, project_ids, status = (
        columns[k] for k in ("client_id", "client", "project_id", "status")
    )
    billable, notes, archived = (columns[k] for k in ("billable", "notes", "archived"))
    for exp in expenses:
        if exp.vis_state == DELETED:
            continue
        category_id = exp.categoryid
        if category_id not in named:
            cat = cats.get(category_id) if category_id is not None else None
            parent = cats.get(cat.parentid) if cat is not None and cat.parentid else None
            name = cat.name if cat is not None else "Uncategorized"
            named[category_id] = (name, parent.name if parent is not None else name)
        if exp.status not in statuses:
            statuses[exp.status] = _expense_status(exp)
        ids.append(exp.id)
        dates.append(exp.date)
        money = exp.amount
        currency.append(money.code if money is not None else None)
        amount.append(money.amount if money is not None else ZERO)
        category_ids.append(category_id)
        category.append(named[category_id][0])
        parent_category.append(named[category_id][1])
        vendor.append(exp.vendor or None)
        client_ids.append(exp.clientid)
        client.append(names.get(exp.clientid))
        project_ids.append(exp.projectid)
        status.append(statuses[exp.status])
        billable.append(bool(exp.billable))
        notes.append(exp.notes)
        archived.append(exp.vis_state == ARCHIVED)
    return columns_frame(columns, EXPENSE_COLUMNS)


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
    names: dict[int | None, str] = {c.id: c.display_name for c in clients}
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


def _member_names(members: Iterable[TeamMember]) -> dict[int | None, str]:
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
    """One row per logged time entry; see :data:`TIME_COLUMNS` and :mod:`insights.rates`.

    The entries are read once, field by field. What follows from those fields (project,
    rate, client, names, hours, value) takes few distinct values: it is worked out once per
    distinct value, then spread over the rows with NumPy.
    """
    by_project = {p.id: p for p in projects}
    clients = list(clients)
    client_names: dict[int | None, str] = {c.id: c.display_name for c in clients}
    currencies = {c.id: c.currency_code for c in clients}
    service_names: dict[int | None, str | None] = {s.id: s.name for s in services}
    rates = {r.service_id: r.rate for r in service_rates if r.service_id and r.rate is not None}
    members = _member_names(team_members)
    # One entry per distinct duration: hours follow from the duration alone (the model's
    # rule), and holding every entry until the end would hold the whole list in memory.
    by_duration: dict[int, TimeEntry] = {}
    ids, durations, project_ids, client_ids, service_ids = [], [], [], [], []
    identity_ids, notes, billables, billeds, started = [], [], [], [], []
    for entry in entries:
        if (
            not entry.active
            or not entry.is_logged  # a running timer: logged when stopped
            or entry.duration is None
            or entry.started_at is None
        ):
            continue
        by_duration.setdefault(entry.duration, entry)
        ids.append(entry.id)
        durations.append(entry.duration)
        project_ids.append(entry.project_id)
        client_ids.append(entry.client_id)
        service_ids.append(entry.service_id)
        identity_ids.append(entry.identity_id)
        notes.append(entry.note)
        billables.append(entry.billable)
        billeds.append(entry.billed)
        started.append(entry.started_at)

    # The project and hourly rate of each (project, service) pair met.
    project, project_keys = factorize(project_ids)
    service, service_keys = factorize(service_ids)
    first_of_pair, pair = first_of_each(
        (project.codes + 1) * (len(service_keys) + 1) + (service.codes + 1)
    )
    pair_projects = [
        by_project.get(project_ids[row]) if project_ids[row] is not None else None
        for row in first_of_pair.tolist()
    ]
    pair_rates = [
        hourly_rate(found, service_ids[row], rates)
        for found, row in zip(pair_projects, first_of_pair.tolist(), strict=True)
    ]
    project_client = pair.spread([p.client_id if p is not None else None for p in pair_projects])
    row_clients = [  # ``or``, as for a client id FreshBooks sends as 0
        client_id or fallback
        for client_id, fallback in zip(client_ids, project_client.tolist(), strict=True)
    ]
    client, client_keys = factorize(row_clients)
    member, member_keys = factorize(identity_ids)

    # Hours per duration; the value of billable time per (rate, duration).
    seconds = np.array(durations, dtype="int64")
    first_of_length, length = first_of_each(seconds)
    # Rates by their exact digits (100 apart from 100.00): each value computed as before.
    rate_number: dict[Any, int] = {}
    pair_rate_number = np.array(
        [rate_number.setdefault(exact_key(r.rate), len(rate_number)) for r in pair_rates],
        dtype="int64",
    )
    first_of_cell, cell = first_of_each(pair_rate_number[pair.codes] * length.count + length.codes)
    worth = []
    for row in first_of_cell.tolist():
        per_hour = pair_rates[pair.codes[row]].rate
        worth.append(
            cents(Decimal(durations[row]) * per_hour / 3600) if per_hour is not None else None
        )
    billable = np.array(billables, dtype=bool)
    billed = np.array(billeds, dtype=bool)
    value = cell.spread(worth)
    value[~billable] = None

    local = local_wall_times(started, business_timezone(timezone))
    columns: dict[str, Any] = {
        "entry_id": ids,
        "started_at": local,
        "date": midnight_of(local),
        "week": monday_of(local),
        "seconds": seconds,
        "hours": length.spread(
            [by_duration[durations[row]].hours for row in first_of_length.tolist()]
        ),
        "billable": billable,
        "billed": billed,
        "unbilled": billable & ~billed,
        "project_id": project.ints(project_keys),
        "project": pair.text([p.title if p is not None else None for p in pair_projects]),
        "client_id": client.ints(client_keys),
        "client": client.text([client_names.get(c) for c in client_keys], client_names.get(None)),
        "service_id": service.ints(service_keys),
        "service": service.text(
            [service_names.get(s) for s in service_keys], service_names.get(None)
        ),
        "identity_id": member.ints(member_keys),
        "team_member": member.text([members.get(i) for i in member_keys], members.get(None)),
        "note": notes,
        "rate": pair.spread([r.rate for r in pair_rates]),
        "rate_source": pair.text([r.source for r in pair_rates]),
        "currency": client.text(
            [_currency_of(c, currencies, home) for c in client_keys],
            _currency_of(None, currencies, home),
        ),
        "value": value,
    }
    return columns_frame(columns, TIME_COLUMNS)


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


@dataclass(frozen=True, slots=True)
class InvoiceRef:
    """What a payment's row reads of its invoice (see :func:`payments_frame`)."""

    id: int
    invoice_number: str | None
    customerid: int | None
    client_name: str
    currency: str | None


def _noting(invoices: Iterable[Any], into: list[InvoiceRef]) -> Iterator[Any]:
    """``invoices`` as they are, each noted in ``into`` as an :class:`InvoiceRef`."""
    for inv in invoices:
        into.append(
            InvoiceRef(inv.id, inv.invoice_number, inv.customerid, inv.client_name, inv.currency)
        )
        yield inv


def build_frames(snapshot: Snapshot, today: date) -> Frames:
    """All frames of ``snapshot``; ``today`` (the business's calendar day) decides overdue.

    The long lists are read as light rows when the snapshot has not parsed them (see
    :data:`INVOICE_ROWS`): the frames are the same either way.
    """
    timezone = snapshot.business.timezone
    # The time entries first: the longest list of a busy business, so the others are built in
    # the memory its build freed (a large business's process peaks about 12 MB lower). Their
    # currency, where their client has none, is the home currency: known once the invoices
    # are read, so filled in then.
    time = time_frame(
        snapshot.rows("time_entries", TIME_ROWS),
        projects=snapshot.projects,
        clients=snapshot.clients,
        services=snapshot.services,
        service_rates=snapshot.service_rates,
        team_members=snapshot.team_members,
        timezone=timezone,
        home=None,
    )
    # One pass over the invoices, keeping of each only what its payments read of it.
    referred: list[InvoiceRef] = []
    invoices = invoices_frame(
        _noting(snapshot.rows("invoices", INVOICE_ROWS), referred), snapshot.clients, today
    )
    # The frame holds the live invoices with their currencies: home_currency's input.
    newest = invoices.sort_values(["create_date", "invoice_id"], na_position="first").tail(
        HOME_SAMPLE
    )
    home = _most_common_currency(newest["currency"].dropna().tolist(), snapshot.clients)
    if home is not None:
        time["currency"] = time["currency"].fillna(home)
    payments = payments_frame(snapshot.rows("payments", PAYMENT_ROWS), referred, snapshot.clients)
    del referred
    return Frames(
        invoices=invoices,
        payments=payments,
        expenses=expenses_frame(
            snapshot.rows("expenses", EXPENSE_ROWS),
            snapshot.expense_categories,
            snapshot.clients,
        ),
        time=time,
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
