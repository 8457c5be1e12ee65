"""Everything the dashboards and the agent read about one business, as one value.

The local mirror (``copilot.mirror``) builds it: one field per list of the catalogue
(:mod:`fbclient.catalogue`), same names. A business without an accounting account has empty
accounting lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .identity import Business
from .models.clients import Client
from .models.estimates import Estimate
from .models.expense_categories import ExpenseCategory
from .models.expenses import Expense
from .models.invoice_profiles import InvoiceProfile
from .models.invoices import Invoice
from .models.payments import Payment
from .models.projects import Project
from .models.services import Service, ServiceRate
from .models.team import TeamMember
from .models.time_entries import TimeEntry

__all__ = ["Snapshot"]


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
    estimates: list[Estimate] = field(default_factory=list)
    invoice_profiles: list[InvoiceProfile] = field(default_factory=list)
    truncated: tuple[str, ...] = ()  # parts cut short by the page ceiling
    unreadable: dict[str, int] = field(default_factory=dict)  # part -> records left out
    # part -> the scope it needs: left empty because the connection lacks that scope
    withheld: dict[str, str] = field(default_factory=dict)
    version: int = 0  # changes whenever the records do (the mirror's own counter)
