"""Everything the dashboards read about one business, fetched in one go.

Resources are fetched side by side (each list itself pages concurrently); a business without
an accounting account yields empty accounting lists rather than an error.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from .client import BusinessClient
from .identity import Business
from .models.clients import Client
from .models.expense_categories import ExpenseCategory
from .models.expenses import Expense
from .models.invoices import Invoice
from .models.payments import Payment
from .models.projects import Project
from .models.services import Service, ServiceRate
from .models.team import TeamMember
from .models.time_entries import TimeEntry

__all__ = ["SNAPSHOT_PARTS", "Snapshot", "fetch_snapshot"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Snapshot:
    """The records of one business at ``fetched_at`` (UTC)."""

    business: Business
    fetched_at: datetime
    clients: list[Client] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    expense_categories: list[ExpenseCategory] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    time_entries: list[TimeEntry] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    service_rates: list[ServiceRate] = field(default_factory=list)
    team_members: list[TeamMember] = field(default_factory=list)
    truncated: tuple[str, ...] = ()  # parts cut short by the page ceiling
    unreadable: dict[str, int] = field(default_factory=dict)  # part -> records left out
    version: int = 0  # changes whenever the records do (the mirror's own counter)


# name -> (needs an accounting account, how to fetch it)
SNAPSHOT_PARTS: dict[str, tuple[bool, Callable[[BusinessClient], Any]]] = {
    "clients": (True, lambda b: b.clients.list()),
    # Lines are needed for tax-free income (P&L) and the Invoices page.
    "invoices": (True, lambda b: b.invoices.list(include=["lines"])),
    "payments": (True, lambda b: b.payments.list()),
    "expenses": (True, lambda b: b.expenses.list()),
    "expense_categories": (True, lambda b: b.expense_categories.list()),
    "projects": (False, lambda b: b.projects.list()),
    "time_entries": (False, lambda b: b.time_entries.list(team=True)),
    "services": (False, lambda b: b.services.list()),
    "service_rates": (False, lambda b: b.services.list_rates()),
    "team_members": (False, lambda b: b.team_members.list()),
}


def fetch_snapshot(
    books: BusinessClient,
    business: Business,
    *,
    progress: Progress | None = None,
    parallel: int = 4,
) -> Snapshot:
    """Fetch every part for ``business``; ``progress(name, done, total)`` after each part.

    Any part failing fails the whole snapshot (with its typed error): half a picture of
    someone's books would mislead.
    """
    wanted = {
        name: fetch
        for name, (accounting, fetch) in SNAPSHOT_PARTS.items()
        if business.has_accounting or not accounting
    }
    fetched_at = datetime.now(UTC)
    results: dict[str, Any] = {}
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="fb-snapshot") as pool:
        futures = {name: pool.submit(fetch, books) for name, fetch in wanted.items()}
        for done, (name, future) in enumerate(futures.items(), start=1):
            results[name] = future.result()
            if progress is not None:
                progress(name, done, len(futures))
    truncated = tuple(name for name, rows in results.items() if getattr(rows, "truncated", False))
    return Snapshot(
        business=business,
        fetched_at=fetched_at,
        truncated=truncated,
        # The list parts by name (cast: mypy would check the **dict against every field).
        **cast("dict[str, Any]", {name: list(rows) for name, rows in results.items()}),
    )
