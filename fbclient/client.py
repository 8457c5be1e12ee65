"""The entry points: :class:`FreshBooksClient` for a connection, :class:`BusinessClient` per business."""

from __future__ import annotations

from functools import cached_property

import httpx2

from .http import DEFAULT_API_URL, HTTPClient
from .identity import Business, Identity, fetch_identity
from .resources._base import BusinessScope
from .resources.clients import Clients
from .resources.estimates import Estimates
from .resources.expense_categories import ExpenseCategories
from .resources.expenses import Expenses
from .resources.invoice_profiles import InvoiceProfiles
from .resources.invoices import Invoices
from .resources.items import Items
from .resources.payments import Payments
from .resources.projects import Projects
from .resources.reports import Reports
from .resources.services import Services
from .resources.staff import Staff
from .resources.taxes import Taxes
from .resources.team_members import TeamMembers
from .resources.time_entries import TimeEntries
from .resources.uploads import Uploads
from .retry import RetryPolicy
from .scopes import Grant
from .tokens import BearerAuth, MemoryTokenStore, TokenManager

__all__ = ["BusinessClient", "FreshBooksClient"]


class FreshBooksClient:
    """One FreshBooks connection (one user's token). Thread-safe; share it within a session."""

    def __init__(
        self,
        tokens: TokenManager,
        *,
        api_url: str = DEFAULT_API_URL,
        transport: httpx2.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        concurrency: int = 8,
        max_pages: int = 1000,
    ) -> None:
        self.tokens = tokens
        self.concurrency = concurrency
        self.max_pages = max_pages
        self.http = HTTPClient(
            api_url,
            auth=BearerAuth(tokens),
            transport=transport,
            retry=retry,
            timeout=timeout,
            # A little headroom over the page concurrency for parallel resource loads.
            max_connections=max(concurrency * 2, 4),
            on_denied=tokens.narrow,
        )

    @classmethod
    def with_access_token(cls, access_token: str, **kwargs: object) -> FreshBooksClient:
        """A client for a bare access token (no refresh): scripts and tests."""
        from .oauth import Token  # local: keeps the import graph one-way at module load

        token = Token(access_token=access_token, expires_at=float("inf"))
        return cls(TokenManager(MemoryTokenStore(token), refresh=None), **kwargs)  # type: ignore[arg-type]  # forwards __init__'s keyword options, typed object here

    def close(self) -> None:
        """Close pooled connections."""
        self.http.close()

    def __enter__(self) -> FreshBooksClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def grant(self) -> Grant:
        """The OAuth scopes this connection holds (see :class:`~fbclient.scopes.Grant`)."""
        return self.tokens.grant()

    def identity(self) -> Identity:
        """The user and their businesses; the caller chooses which business to open."""
        return fetch_identity(self.http)

    def business(self, business: Business) -> BusinessClient:
        """The resources of one business."""
        return BusinessClient(
            BusinessScope(
                http=self.http,
                business_id=business.business_id,
                account_id=business.account_id,
                business_uuid=business.business_uuid,
                concurrency=self.concurrency,
                max_pages=self.max_pages,
                grant=self.grant,
            ),
            business,
        )


class BusinessClient:
    """Every resource of one business, bound to its account and business ids."""

    def __init__(self, scope: BusinessScope, business: Business | None = None) -> None:
        self.scope = scope
        self.info = business

    def grant(self) -> Grant:
        """The OAuth scopes the connection holds."""
        return self.scope.grant()

    @cached_property
    def uploads(self) -> Uploads:
        """Uploaded files: receipts attached to expenses."""
        return Uploads(self.scope)

    @cached_property
    def clients(self) -> Clients:
        """Clients (accounting)."""
        return Clients(self.scope)

    @cached_property
    def invoices(self) -> Invoices:
        """Invoices, with lines and send actions (accounting)."""
        return Invoices(self.scope)

    @cached_property
    def invoice_profiles(self) -> InvoiceProfiles:
        """Recurring invoice profiles (accounting)."""
        return InvoiceProfiles(self.scope)

    @cached_property
    def estimates(self) -> Estimates:
        """Estimates (accounting)."""
        return Estimates(self.scope)

    @cached_property
    def expenses(self) -> Expenses:
        """Expenses (accounting)."""
        return Expenses(self.scope)

    @cached_property
    def expense_categories(self) -> ExpenseCategories:
        """Expense categories, read-only (accounting)."""
        return ExpenseCategories(self.scope)

    @cached_property
    def payments(self) -> Payments:
        """Payments on invoices (accounting)."""
        return Payments(self.scope)

    @cached_property
    def items(self) -> Items:
        """Saved items for invoice lines (accounting)."""
        return Items(self.scope)

    @cached_property
    def taxes(self) -> Taxes:
        """Taxes (accounting)."""
        return Taxes(self.scope)

    @cached_property
    def staff(self) -> Staff:
        """Staff, deprecated but what expenses' staffid points at (accounting)."""
        return Staff(self.scope)

    @cached_property
    def projects(self) -> Projects:
        """Projects (project family, by business id)."""
        return Projects(self.scope)

    @cached_property
    def time_entries(self) -> TimeEntries:
        """Time entries (time tracking, by business id)."""
        return TimeEntries(self.scope)

    @cached_property
    def services(self) -> Services:
        """Services and their rates (project family, by business id)."""
        return Services(self.scope)

    @cached_property
    def team_members(self) -> TeamMembers:
        """Team members (identity family, by business id)."""
        return TeamMembers(self.scope)

    @cached_property
    def reports(self) -> Reports:
        """Accounting reports (need the business's account id)."""
        return Reports(self.scope)
