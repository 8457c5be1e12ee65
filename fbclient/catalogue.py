"""Every FreshBooks list the app keeps a copy of, in one place, from the resources' own
declarations (each resource class's ``listing``; see :class:`~fbclient.listing.Listing`).

The local mirror (``copilot.mirror``), the test snapshot and the benchmark walk this tuple:
adding a list to the mirror is declaring its ``listing`` on its resource and naming the
resource here (and a field of the same name on :class:`~fbclient.snapshot.Snapshot`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .identity import Business
from .listing import Listing
from .resources.clients import Clients
from .resources.estimates import Estimates
from .resources.expense_categories import ExpenseCategories
from .resources.expenses import Expenses
from .resources.invoice_profiles import InvoiceProfiles
from .resources.invoices import Invoices
from .resources.payments import Payments
from .resources.projects import Projects
from .resources.services import Services
from .resources.team_members import TeamMembers
from .resources.time_entries import TimeEntries
from .scopes import Grant

__all__ = ["BY_NAME", "CATALOGUE", "listings_for"]


def _declared(resource: type[Any], listing: Listing | None = None) -> Listing:
    """The resource's listing (or ``listing``, another list it serves), with its read scope."""
    listing = listing or resource.listing
    assert listing is not None, f"{resource.__name__} declares no listing"
    return replace(listing, scope=resource.scopes.read)


# In this order everywhere: a full load starts the long lists first. Estimates go among them:
# fetched last, alone, they raised the full load's peak memory by some 30 MB (make bench).
# Invoice profiles are a short list (a handful of recurring invoices): among the small ones.
CATALOGUE: tuple[Listing, ...] = (
    _declared(Clients),
    _declared(Invoices),
    _declared(Payments),
    _declared(Expenses),
    _declared(Estimates),
    _declared(ExpenseCategories),
    _declared(InvoiceProfiles),
    _declared(Projects),
    _declared(TimeEntries),
    _declared(Services),
    _declared(Services, Services.rates_listing),
    _declared(TeamMembers),
)
BY_NAME: dict[str, Listing] = {listing.name: listing for listing in CATALOGUE}


def listings_for(business: Business, grant: Grant | None = None) -> tuple[Listing, ...]:
    """The lists ``business`` has (accounting ones need an accounting account) that
    ``grant`` may read (every one when no grant is given)."""
    return tuple(
        item
        for item in CATALOGUE
        if (business.has_accounting or not item.accounting)
        and (grant is None or grant.allows(item.scope))
    )
