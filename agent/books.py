"""Where the agent's read tools read the books: one interface, from the mirror or from the API.

:class:`Books` is every read a tool makes (lists with the filters FreshBooks takes, one
record by id, names by id). :class:`ApiBooks` asks FreshBooks through
:class:`fbclient.BusinessClient`; :class:`MirrorBooks` answers from the app's local mirror
(a :class:`~fbclient.snapshot.Snapshot`) with FreshBooks' own semantics (see
:mod:`agent.tools._mirror`), and asks FreshBooks only where the mirror cannot know:

- a record missing from the mirror (made since the last sync, or deleted) is read by id;
- a business without an accounting account has no accounting lists mirrored: its clients,
  invoices, payments and expenses are asked of FreshBooks, which answers with a clear error
  rather than nothing. Names by id still come from the mirror (empty then), as they did.

:meth:`agent.tool.ToolContext.reads` hands a tool the right one. Reports (computed by
FreshBooks) are not here: tools read them from ``ctx.books``.
A list read takes one frozen query (:mod:`agent.queries`), passed through unchanged when the
mirror falls back to FreshBooks. Lists are bounded to ``pages`` pages of 100 and say
``truncated`` when more matched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from agent.queries import (
    ClientQuery,
    EstimateQuery,
    ExpenseQuery,
    InvoiceQuery,
    PaymentQuery,
    ProjectQuery,
    TimeQuery,
)
from agent.tools import _mirror
from fbclient import BusinessClient
from fbclient.models.clients import Client
from fbclient.models.estimates import Estimate
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense
from fbclient.models.invoices import Invoice
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.services import Service, ServiceRate
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry
from fbclient.pagination import ListResult
from fbclient.snapshot import Snapshot

__all__ = ["CLIENT_BALANCES", "ApiBooks", "Books", "MirrorBooks"]

# Every balance include of a client (FreshBooks' names), as a single client is read.
CLIENT_BALANCES = ("outstanding_balance", "overdue_balance", "credit_balance", "draft_balance")


class Books(Protocol):
    """The reads of the agent's tools. Lists are in FreshBooks' order (given per method)."""

    def clients(self, query: ClientQuery) -> ListResult[Client]:
        """Clients in id order: ``user_like`` in the names or organization, ``email_like`` in
        the email, ``has`` a non-zero balance of that name (``outstanding``, ``overdue``),
        with the ``balances`` includes filled in."""
        ...

    def client(self, client_id: int) -> Client:
        """One client with every balance include (:data:`CLIENT_BALANCES`)."""
        ...

    def invoices(self, query: InvoiceQuery) -> ListResult[Invoice]:
        """Invoices, newest invoice date first: dates on ``create_date`` (whole days,
        inclusive), status as presented today (``overdue`` included), number exact."""
        ...

    def invoice(self, invoice_id: int) -> Invoice:
        """One invoice with its lines."""
        ...

    def invoice_payments(self, invoice: Invoice, *, limit: int) -> list[Payment]:
        """The first ``limit`` payments recorded on ``invoice``, newest first."""
        ...

    def estimates(self, query: EstimateQuery) -> ListResult[Estimate]:
        """Estimates (dates on the estimate date, whole days, inclusive)."""
        ...

    def estimate(self, estimate_id: int) -> Estimate:
        """One estimate with its lines."""
        ...

    def payments(self, query: PaymentQuery) -> ListResult[Payment]:
        """Payments, newest payment date first."""
        ...

    def expenses(self, query: ExpenseQuery) -> ListResult[Expense]:
        """Expenses, newest date first; ``vendor_like`` a substring of the vendor."""
        ...

    def expense_categories(self, *, pages: int) -> ListResult[ExpenseCategory]:
        """Expense categories in id order."""
        ...

    def projects(self, query: ProjectQuery) -> ListResult[Project]:
        """Projects in id order, or by title (case ignored) with ``by_title``."""
        ...

    def project(self, project_id: int) -> Project:
        """One project with its services."""
        ...

    def services(self, *, pages: int) -> ListResult[Service]:
        """Services in id order."""
        ...

    def team_members(self, *, pages: int) -> ListResult[TeamMember]:
        """Team members by when they joined."""
        ...

    def time_entries(self, query: TimeQuery) -> ListResult[TimeEntry]:
        """The whole team's logged entries, latest start first; start times inclusive to the
        second; ``client_id`` on the entry itself."""
        ...

    # Names by id for the rows a tool returns: everything readable, not a search.

    def every_client(self, *, pages: int) -> Sequence[Client]:
        """Every client (deleted ones may be among them: callers leave them out)."""
        ...

    def every_expense_category(self, *, pages: int) -> Sequence[ExpenseCategory]:
        """Every expense category."""
        ...

    def every_project(self, *, pages: int) -> Sequence[Project]:
        """Every project."""
        ...

    def every_service(self, *, pages: int) -> Sequence[Service]:
        """Every service."""
        ...

    def service_rates(self, *, pages: int) -> Sequence[ServiceRate]:
        """Every service's hourly rate."""
        ...


class ApiBooks:
    """:class:`Books` read from FreshBooks, one bounded list request per read."""

    def __init__(self, books: BusinessClient) -> None:
        self._books = books

    def clients(self, query: ClientQuery) -> ListResult[Client]:
        """See :meth:`Books.clients`."""
        return self._books.clients.list(
            query.filters(), include=query.balances, max_pages=query.pages
        )

    def client(self, client_id: int) -> Client:
        """See :meth:`Books.client`."""
        return self._books.clients.get(client_id, include=CLIENT_BALANCES)

    def invoices(self, query: InvoiceQuery) -> ListResult[Invoice]:
        """See :meth:`Books.invoices`."""
        return self._books.invoices.list(
            **query.filters(), sort="invoice_date", direction="desc", max_pages=query.pages
        )

    def invoice(self, invoice_id: int) -> Invoice:
        """See :meth:`Books.invoice`."""
        return self._books.invoices.get(invoice_id)

    def invoice_payments(self, invoice: Invoice, *, limit: int) -> list[Payment]:
        """See :meth:`Books.invoice_payments`."""
        return self._books.payments.list_page(1, limit, {"invoiceid": invoice.id}).items

    def estimates(self, query: EstimateQuery) -> ListResult[Estimate]:
        """See :meth:`Books.estimates`."""
        return self._books.estimates.list(query.filters(), max_pages=query.pages)

    def estimate(self, estimate_id: int) -> Estimate:
        """See :meth:`Books.estimate`."""
        return self._books.estimates.get(estimate_id)

    def payments(self, query: PaymentQuery) -> ListResult[Payment]:
        """See :meth:`Books.payments`."""
        return self._books.payments.list(query.filters(), max_pages=query.pages)

    def expenses(self, query: ExpenseQuery) -> ListResult[Expense]:
        """See :meth:`Books.expenses`."""
        return self._books.expenses.list(query.filters(), max_pages=query.pages)

    def expense_categories(self, *, pages: int) -> ListResult[ExpenseCategory]:
        """See :meth:`Books.expense_categories`."""
        return self._books.expense_categories.list(max_pages=pages)

    def projects(self, query: ProjectQuery) -> ListResult[Project]:
        """See :meth:`Books.projects`."""
        return self._books.projects.list(
            **query.filters(), sort="title" if query.by_title else None, max_pages=query.pages
        )

    def project(self, project_id: int) -> Project:
        """See :meth:`Books.project`."""
        return self._books.projects.get(project_id)

    def services(self, *, pages: int) -> ListResult[Service]:
        """See :meth:`Books.services`."""
        return self._books.services.list(max_pages=pages)

    def team_members(self, *, pages: int) -> ListResult[TeamMember]:
        """See :meth:`Books.team_members`."""
        return self._books.team_members.list(max_pages=pages)

    def time_entries(self, query: TimeQuery) -> ListResult[TimeEntry]:
        """See :meth:`Books.time_entries`."""
        return self._books.time_entries.list(**query.filters(), team=True, max_pages=query.pages)

    def every_client(self, *, pages: int) -> Sequence[Client]:
        """See :meth:`Books.every_client`."""
        return self._books.clients.list(max_pages=pages)

    def every_expense_category(self, *, pages: int) -> Sequence[ExpenseCategory]:
        """See :meth:`Books.every_expense_category`."""
        return self._books.expense_categories.list(max_pages=pages)

    def every_project(self, *, pages: int) -> Sequence[Project]:
        """See :meth:`Books.every_project`."""
        return self._books.projects.list(max_pages=pages)

    def every_service(self, *, pages: int) -> Sequence[Service]:
        """See :meth:`Books.every_service`."""
        return self._books.services.list(max_pages=pages)

    def service_rates(self, *, pages: int) -> Sequence[ServiceRate]:
        """See :meth:`Books.service_rates`."""
        return self._books.services.list_rates(max_pages=pages)


class MirrorBooks:
    """:class:`Books` answered from the app's mirror, asking ``api`` only where it cannot.

    ``snapshot`` is read once per call (the app syncs it when due); ``today`` (the business's
    day) decides overdue, as FreshBooks does when it answers; ``accounting`` is whether the
    business has an accounting account, hence accounting lists in its mirror.
    """

    def __init__(
        self,
        snapshot: Callable[[], Snapshot],
        api: Books,
        *,
        today: date,
        accounting: bool,
    ) -> None:
        self._snapshot = snapshot
        self._api = api
        self._today = today
        self._accounting = accounting

    def _accounts(self) -> Snapshot | None:
        # The mirror for an accounting read, or None: ask FreshBooks.
        return self._snapshot() if self._accounting else None

    def clients(self, query: ClientQuery) -> ListResult[Client]:
        """See :meth:`Books.clients`; balances computed from the mirrored invoices."""
        snap = self._accounts()
        if snap is None:
            return self._api.clients(query)
        return _mirror.clients(snap, self._today, query)

    def client(self, client_id: int) -> Client:
        """See :meth:`Books.client`."""
        snap = self._accounts()
        held = _mirror.one(snap.clients, client_id) if snap is not None else None
        if snap is None or held is None or held.vis_state == 1:
            return self._api.client(client_id)
        owed = _mirror.client_balances(snap.invoices, self._today).get(held.id, {})
        return _mirror.with_balances(held, owed, CLIENT_BALANCES)

    def invoices(self, query: InvoiceQuery) -> ListResult[Invoice]:
        """See :meth:`Books.invoices`."""
        snap = self._accounts()
        if snap is None:
            return self._api.invoices(query)
        return _mirror.invoices(snap, self._today, query)

    def invoice(self, invoice_id: int) -> Invoice:
        """See :meth:`Books.invoice`; invoices are mirrored with their lines."""
        snap = self._accounts()
        held = _mirror.one(snap.invoices, invoice_id) if snap is not None else None
        return held if held is not None else self._api.invoice(invoice_id)

    def invoice_payments(self, invoice: Invoice, *, limit: int) -> list[Payment]:
        """See :meth:`Books.invoice_payments`; FreshBooks' when the invoice is not mirrored
        (its payments would not be either)."""
        snap = self._accounts()
        if snap is None or _mirror.one(snap.invoices, invoice.id) is None:
            return self._api.invoice_payments(invoice, limit=limit)
        return _mirror.payments(snap, PaymentQuery(pages=1, invoiceid=invoice.id)).items[:limit]

    def estimates(self, query: EstimateQuery) -> ListResult[Estimate]:
        """See :meth:`Books.estimates`."""
        snap = self._accounts()
        if snap is None:
            return self._api.estimates(query)
        return _mirror.estimates(snap, query)

    def estimate(self, estimate_id: int) -> Estimate:
        """See :meth:`Books.estimate`; estimates are mirrored with their lines."""
        snap = self._accounts()
        held = _mirror.one(snap.estimates, estimate_id) if snap is not None else None
        return held if held is not None else self._api.estimate(estimate_id)

    def payments(self, query: PaymentQuery) -> ListResult[Payment]:
        """See :meth:`Books.payments`."""
        snap = self._accounts()
        if snap is None:
            return self._api.payments(query)
        return _mirror.payments(snap, query)

    def expenses(self, query: ExpenseQuery) -> ListResult[Expense]:
        """See :meth:`Books.expenses`."""
        snap = self._accounts()
        if snap is None:
            return self._api.expenses(query)
        return _mirror.expenses(snap, query)

    def expense_categories(self, *, pages: int) -> ListResult[ExpenseCategory]:
        """See :meth:`Books.expense_categories`."""
        snap = self._accounts()
        if snap is None:
            return self._api.expense_categories(pages=pages)
        return _mirror.expense_categories(snap, pages=pages)

    def projects(self, query: ProjectQuery) -> ListResult[Project]:
        """See :meth:`Books.projects`."""
        return _mirror.projects(self._snapshot(), query)

    def project(self, project_id: int) -> Project:
        """See :meth:`Books.project`; the mirrored list carries every field of the detail."""
        held = _mirror.one(self._snapshot().projects, project_id)
        return held if held is not None else self._api.project(project_id)

    def services(self, *, pages: int) -> ListResult[Service]:
        """See :meth:`Books.services`."""
        return _mirror.services(self._snapshot(), pages=pages)

    def team_members(self, *, pages: int) -> ListResult[TeamMember]:
        """See :meth:`Books.team_members`."""
        return _mirror.team_members(self._snapshot(), pages=pages)

    def time_entries(self, query: TimeQuery) -> ListResult[TimeEntry]:
        """See :meth:`Books.time_entries`."""
        return _mirror.time_entries(self._snapshot(), query)

    def every_client(self, *, pages: int) -> Sequence[Client]:
        """See :meth:`Books.every_client`: every mirrored client, however many."""
        return self._snapshot().clients

    def every_expense_category(self, *, pages: int) -> Sequence[ExpenseCategory]:
        """See :meth:`Books.every_expense_category`."""
        return self._snapshot().expense_categories

    def every_project(self, *, pages: int) -> Sequence[Project]:
        """See :meth:`Books.every_project`."""
        return self._snapshot().projects

    def every_service(self, *, pages: int) -> Sequence[Service]:
        """See :meth:`Books.every_service`."""
        return self._snapshot().services

    def service_rates(self, *, pages: int) -> Sequence[ServiceRate]:
        """See :meth:`Books.service_rates`."""
        return self._snapshot().service_rates
