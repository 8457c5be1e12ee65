"""The read tools' filters applied to the app's local mirror, with FreshBooks' own semantics.

When a tool runs in the app, ``ctx.snapshot()`` holds every record of the business (kept in
sync incrementally, see :mod:`copilot.mirror`); the read tools answer from it instead of
asking FreshBooks, through :class:`agent.books.MirrorBooks`. Each function here does what one
list request of the API path does: the same filters with the same meaning (exact,
case-insensitive, substring, whole-day and inclusive, as FreshBooks and the sandbox apply
them), the same order, and the same bound of ``pages`` pages of 100, ``truncated`` when more
matched. Pure functions of a :class:`Snapshot` and the filter values; nothing here does I/O.

What the mirror cannot answer stays on the API: records missing from it (see
:mod:`agent.books`) and FreshBooks' reports (profit and loss, aging, payments collected,
taxes: the server computes them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from agent.queries import (
    ClientQuery,
    EstimateQuery,
    ExpenseQuery,
    InvoiceQuery,
    PaymentQuery,
    ProjectQuery,
    TimeQuery,
)
from fbclient import Money
from fbclient.models.clients import Client
from fbclient.models.estimates import Estimate
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense
from fbclient.models.invoices import Invoice
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.services import Service
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry
from fbclient.pagination import MAX_PER_PAGE, ListResult
from fbclient.snapshot import Snapshot

__all__ = [
    "BALANCES",
    "client_balances",
    "clients",
    "estimates",
    "expense_categories",
    "expenses",
    "invoices",
    "is_overdue",
    "one",
    "payments",
    "projects",
    "services",
    "team_members",
    "time_entries",
    "with_balances",
]

T = TypeVar("T")
ZERO = Decimal(0)
CENT = Decimal("0.01")
# Client balance includes, each a list of money per currency (FreshBooks' names).
BALANCES = ("outstanding_balance", "overdue_balance", "credit_balance", "draft_balance")
Balances = dict[str, dict[str, Decimal]]  # balance name -> currency -> amount


def one(records: Iterable[T], record_id: int) -> T | None:
    """The record with this id (None: not mirrored, e.g. deleted or made since the last sync)."""
    return next((r for r in records if getattr(r, "id", None) == record_id), None)


# --- order and bounds, as the API lists them --------------------------------------------


def _sort_value(value: Any) -> tuple[int, Any]:
    # FreshBooks' (the sandbox's) sort keys: text ignores case, a missing value sorts last.
    if value is None:
        return (1, 0)
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


def _ordered(
    records: Iterable[T], key: Callable[[T], Any], *, descending: bool, tie: str = "id"
) -> list[T]:
    return sorted(
        records,
        key=lambda r: (_sort_value(key(r)), getattr(r, tie, None) or 0),
        reverse=descending,
    )


def _bounded(records: Sequence[T], pages: int, part: str, snapshot: Snapshot) -> ListResult[T]:
    """The first ``pages`` pages of 100, like a bounded fetch; truncated when more matched
    (or when the mirror itself was cut short by its page ceiling)."""
    limit = pages * MAX_PER_PAGE
    total = len(records)
    return ListResult(
        items=list(records[:limit]),
        total=total,
        pages=-(-total // MAX_PER_PAGE),
        truncated=total > limit or part in snapshot.truncated,
    )


def _day_in(value: date | None, start: date | None, end: date | None) -> bool:
    # search[x_min] / search[x_max]: whole days, inclusive; a record without the date fails.
    if start is None and end is None:
        return True
    if value is None:
        return False
    return (start is None or value >= start) and (end is None or value <= end)


def _is(value: object, wanted: object) -> bool:
    # An exact filter: one not given (None) lets every record through.
    return wanted is None or value == wanted


def _like(value: str | None, needle: str) -> bool:
    return value is not None and needle.strip().casefold() in value.casefold()


# --- invoices ---------------------------------------------------------------------------


def is_overdue(invoice: Invoice, today: date) -> bool:
    """:meth:`Invoice.is_overdue`: decided again on ``today``, as the mirrored copy was read
    on an earlier day."""
    return invoice.is_overdue(today)


def invoices(snapshot: Snapshot, today: date, query: InvoiceQuery) -> ListResult[Invoice]:
    """Invoices as ``invoices.list`` returns them: dates on ``create_date``, status as
    presented today, number exact (case ignored); newest invoice date first."""
    number = query.invoice_number.strip().casefold() if query.invoice_number is not None else None
    status = query.v3_status.casefold() if query.v3_status is not None else None
    found = [
        i
        for i in snapshot.invoices
        if i.vis_state != 1
        and _is(i.customerid, query.customerid)
        and _day_in(i.create_date, query.date_min, query.date_max)
        and (number is None or (i.invoice_number or "").casefold() == number)
        and (status is None or (i.status_on(today) or "").casefold() == status)
    ]
    ordered = _ordered(found, lambda i: i.create_date, descending=True)
    return _bounded(ordered, query.pages, "invoices", snapshot)


# --- estimates --------------------------------------------------------------------------


def estimates(snapshot: Snapshot, query: EstimateQuery) -> ListResult[Estimate]:
    """Estimates as ``estimates.list`` returns them: dates on ``create_date`` (whole days,
    inclusive); newest estimate date first."""
    found = [
        e
        for e in snapshot.estimates
        if e.vis_state != 1
        and _is(e.customerid, query.customerid)
        and _day_in(e.create_date, query.date_min, query.date_max)
    ]
    ordered = _ordered(found, lambda e: e.create_date, descending=True)
    return _bounded(ordered, query.pages, "estimates", snapshot)


# --- clients and their balances ---------------------------------------------------------


def client_balances(invoices: Iterable[Invoice], today: date) -> dict[int, Balances]:
    """What each client owes, per currency, as FreshBooks' balance includes say.

    Drafts count as draft balance only; a sent invoice with money owed is outstanding, and
    overdue too when past due; paid beyond the amount is credit. Archived invoices count.
    """
    result: dict[int, Balances] = {}
    for invoice in invoices:
        if invoice.vis_state == 1:
            continue
        per = result.setdefault(invoice.customerid or 0, {})
        code = invoice.currency or "USD"
        amount = invoice.amount.amount if invoice.amount is not None else ZERO
        paid = invoice.paid.amount if invoice.paid is not None else ZERO
        owed = invoice.owed

        def add(name: str, value: Decimal, per: Balances = per, code: str = code) -> None:
            per.setdefault(name, {})[code] = per.get(name, {}).get(code, ZERO) + value

        if invoice.is_draft:
            add("draft_balance", amount)
            continue
        if owed > ZERO:
            add("outstanding_balance", owed)
            if invoice.is_overdue(today):
                add("overdue_balance", owed)
        if paid > amount:
            add("credit_balance", paid - amount)
    return result


def with_balances(client: Client, balances: Balances, names: Iterable[str] = BALANCES) -> Client:
    """The client with balance includes filled in (sorted by currency, zeros left out)."""
    return client.model_copy(
        update={
            name: [
                Money(amount=value.quantize(CENT, rounding=ROUND_HALF_UP), code=code)
                for code, value in sorted(balances.get(name, {}).items())
                if value != ZERO
            ]
            for name in names
        }
    )


def clients(snapshot: Snapshot, today: date, query: ClientQuery) -> ListResult[Client]:
    """Clients as ``clients.list`` returns them: ``user_like`` in the first name, last name or
    organization, ``email_like`` in the email, ``has`` a non-zero balance of that name
    (``outstanding``, ``overdue``...), ``balances`` included; in id order."""
    owed = client_balances(snapshot.invoices, today) if query.has or query.balances else {}
    found = [
        c
        for c in snapshot.clients
        if c.vis_state != 1
        and (
            query.user_like is None
            or any(_like(v, query.user_like) for v in (c.fname, c.lname, c.organization))
        )
        and (query.email_like is None or _like(c.email, query.email_like))
        and (query.has is None or any(owed.get(c.id, {}).get(f"{query.has}_balance", {}).values()))
    ]
    ordered = _ordered(found, lambda c: c.id, descending=False)
    if query.balances:
        ordered = [with_balances(c, owed.get(c.id, {}), query.balances) for c in ordered]
    return _bounded(ordered, query.pages, "clients", snapshot)


# --- payments and expenses --------------------------------------------------------------


def payments(snapshot: Snapshot, query: PaymentQuery) -> ListResult[Payment]:
    """Payments as ``payments.list`` returns them: newest payment date first."""
    found = [
        p
        for p in snapshot.payments
        if p.vis_state != 1
        and _is(p.clientid, query.clientid)
        and _is(p.invoiceid, query.invoiceid)
        and _day_in(p.date, query.date_min, query.date_max)
    ]
    ordered = _ordered(found, lambda p: p.date, descending=True)
    return _bounded(ordered, query.pages, "payments", snapshot)


def expenses(snapshot: Snapshot, query: ExpenseQuery) -> ListResult[Expense]:
    """Expenses as ``expenses.list`` returns them: vendor by substring; newest date first."""
    found = [
        e
        for e in snapshot.expenses
        if e.vis_state != 1
        and _is(e.categoryid, query.categoryid)
        and _is(e.clientid, query.clientid)
        and _is(e.projectid, query.projectid)
        and (query.vendor_like is None or _like(e.vendor, query.vendor_like))
        and _day_in(e.date, query.date_min, query.date_max)
    ]
    ordered = _ordered(found, lambda e: e.date, descending=True)
    return _bounded(ordered, query.pages, "expenses", snapshot)


def expense_categories(snapshot: Snapshot, *, pages: int) -> ListResult[ExpenseCategory]:
    """Expense categories in id order."""
    found = [c for c in snapshot.expense_categories if c.vis_state != 1]
    ordered = _ordered(found, lambda c: c.id, descending=False)
    return _bounded(ordered, pages, "expense_categories", snapshot)


# --- projects, time, services, team -----------------------------------------------------


def projects(snapshot: Snapshot, query: ProjectQuery) -> ListResult[Project]:
    """Projects as ``projects.list`` returns them: in id order, or by title (case ignored)."""
    found = [
        p
        for p in snapshot.projects
        if _is(bool(p.active), query.active)
        and _is(bool(p.complete), query.complete)
        and _is(p.client_id, query.client_id)
    ]
    key: Callable[[Project], Any] = (lambda p: p.title) if query.by_title else (lambda p: p.id)
    return _bounded(_ordered(found, key, descending=False), query.pages, "projects", snapshot)


def _second(moment: datetime) -> datetime:
    # FreshBooks' time filters are whole seconds in UTC (``utc_z``).
    return moment.astimezone(UTC).replace(microsecond=0)


def time_entries(snapshot: Snapshot, query: TimeQuery) -> ListResult[TimeEntry]:
    """The team's logged, not deleted entries as ``time_entries.list(team=True)`` returns
    them: start times inclusive to the second, ``client_id`` on the entry itself (not through
    its project); latest start first."""
    low = _second(query.started_from) if query.started_from is not None else None
    high = _second(query.started_to) if query.started_to is not None else None
    found = [
        e
        for e in snapshot.time_entries
        if e.active
        and e.is_logged
        and _is(bool(e.billable), query.billable)
        and _is(bool(e.billed), query.billed)
        and _is(e.client_id, query.client_id)
        and _is(e.project_id, query.project_id)
        and (low is None or (e.started_at is not None and _second(e.started_at) >= low))
        and (high is None or (e.started_at is not None and _second(e.started_at) <= high))
    ]
    ordered = _ordered(found, lambda e: e.started_at, descending=True)
    return _bounded(ordered, query.pages, "time_entries", snapshot)


def services(snapshot: Snapshot, *, pages: int) -> ListResult[Service]:
    """Services (deleted ones left out) in id order."""
    found = [s for s in snapshot.services if s.vis_state != 1]
    return _bounded(_ordered(found, lambda s: s.id, descending=False), pages, "services", snapshot)


def team_members(snapshot: Snapshot, *, pages: int) -> ListResult[TeamMember]:
    """Team members in the order FreshBooks lists them: by when they joined."""
    oldest = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(
        snapshot.team_members,
        key=lambda m: (m.created_at is not None, m.created_at or oldest, m.uuid),
    )
    return _bounded(ordered, pages, "team_members", snapshot)
