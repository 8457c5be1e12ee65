"""What each part of the product needs from the FreshBooks app's scopes, and how to say so.

People set their FreshBooks app up by ticking scopes on the FreshBooks developer page; the app
can only be granted what is ticked there. Every feature below names the scopes it needs (read
from the resources' own declarations), so a page, the chat and the README say the same thing:
which scope is missing, and how to add it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fbclient.resources.clients import Clients
from fbclient.resources.estimates import Estimates
from fbclient.resources.expenses import Expenses
from fbclient.resources.invoices import Invoices
from fbclient.resources.payments import Payments
from fbclient.resources.projects import Projects
from fbclient.resources.reports import Reports
from fbclient.resources.services import Services
from fbclient.resources.team_members import TeamMembers
from fbclient.resources.time_entries import TimeEntries
from fbclient.scopes import DEVELOPER_PAGE, PROFILE_READ, Grant, explain_missing
from settings import DEFAULT_SCOPES

__all__ = [
    "DEVELOPER_PAGE",
    "ESSENTIAL_SCOPES",
    "FEATURES",
    "GUIDE_SCOPES",
    "Feature",
    "explain",
    "feature",
    "fewer_scopes",
    "unavailable",
    "used_for",
]

# The scopes FreshBooks' integration guide has people tick when they create their app.
GUIDE_SCOPES: tuple[str, ...] = (
    *DEFAULT_SCOPES,
    "user:account:read",  # not in FreshBooks' documented list; guards nothing here
    "user:teams:write",  # nothing here changes team members
)
# Enough to connect and show the dashboards' core: who is connected, clients, invoices.
ESSENTIAL_SCOPES: tuple[str, ...] = (PROFILE_READ, Clients.scopes.read, Invoices.scopes.read)


@dataclass(frozen=True)
class Feature:
    """A part of the product and the scopes it needs."""

    key: str
    label: str  # the sentence's subject: "Estimates", "Recording payments"
    scopes: tuple[str, ...]
    enables: str  # what it gives, for the README's table and the Settings page
    plural: bool = True  # "Estimates need", "Recording payments needs"

    def missing(self, grant: Grant) -> tuple[str, ...]:
        """The scopes of this feature ``grant`` lacks."""
        return grant.missing(self.scopes)


FEATURES: tuple[Feature, ...] = (
    Feature(
        "identity",
        "Connecting",
        (PROFILE_READ,),
        "who is connected and their businesses",
        plural=False,
    ),
    Feature("clients", "Clients", (Clients.scopes.read,), "client names, the Clients page"),
    Feature(
        "client_changes",
        "Creating and editing clients",
        (Clients.scopes.write,),
        "the chat's create and update client",
        plural=False,
    ),
    Feature(
        "invoices",
        "Invoices",
        (Invoices.scopes.read,),
        "what you are owed and by whom, overdue invoices, the Overview and Invoices pages",
    ),
    Feature(
        "invoice_changes",
        "Creating, sending and archiving invoices",
        (Invoices.scopes.write,),
        "the chat's invoice writes, invoicing unbilled time",
        plural=False,
    ),
    Feature("payments", "Payments", (Payments.scopes.read,), "money received, cash-in charts"),
    Feature(
        "payment_changes",
        "Recording payments",
        (Payments.scopes.write,),
        "the chat's record payment",
        plural=False,
    ),
    Feature("expenses", "Expenses", (Expenses.scopes.read,), "the Expenses page, categories"),
    Feature(
        "expense_changes",
        "Recording expenses",
        (Expenses.scopes.write,),
        "the chat's create, update and archive expense; receipts recorded with their file",
        plural=False,
    ),
    Feature(
        "projects", "Projects", (Projects.scopes.read,), "the Projects part of the Clients page"
    ),
    Feature(
        "project_changes",
        "Creating and editing projects",
        (Projects.scopes.write,),
        "the chat's project writes",
        plural=False,
    ),
    Feature("time", "Time entries", (TimeEntries.scopes.read,), "the Time page, unbilled time"),
    Feature(
        "time_changes",
        "Logging time",
        (TimeEntries.scopes.write,),
        "the chat's log, update and delete time; marking time billed",
        plural=False,
    ),
    Feature("team", "Team members", (TeamMembers.scopes.read,), "who logged the time"),
    Feature(
        "reports",
        "Reports",
        (Reports.scopes.read,),
        "profit and loss, accounts aging, payments collected, tax summary (chat)",
    ),
    Feature(
        "estimates",
        "Estimates",
        (Estimates.scopes.read,),
        "the Estimates part of the Invoices page, the chat's estimate search",
    ),
    Feature(
        "services",
        "Services and their rates",
        (Services.scopes.read,),
        "the chat's services list, and the rates that value unbilled time",
    ),
)
_BY_KEY = {f.key: f for f in FEATURES}


def feature(key: str) -> Feature:
    """The feature called ``key`` (KeyError for an unknown one: a typo in the caller)."""
    return _BY_KEY[key]


def explain(subject: Feature | str, scopes: Sequence[str]) -> str:
    """One sentence: what needs which scope, and how to add it (``subject``: a feature, or a
    phrase such as "This")."""
    if isinstance(subject, Feature):
        return explain_missing(scopes, subject.label, plural=subject.plural)
    return explain_missing(scopes, subject)


def unavailable(grant: Grant, keys: Iterable[str] | None = None) -> list[tuple[Feature, str]]:
    """The features ``grant`` leaves out (all features, or those of ``keys``), each with its
    sentence."""
    chosen = FEATURES if keys is None else tuple(feature(k) for k in keys)
    out = []
    for item in chosen:
        missing = item.missing(grant)
        if missing:
            out.append((item, explain(item, missing)))
    return out


def used_for(scope: str) -> str:
    """What ``scope`` enables, in a few words ("" for a scope nothing here uses)."""
    return "; ".join(f.enables for f in FEATURES if scope in f.scopes)


def fewer_scopes(asked: Sequence[str]) -> tuple[str, ...]:
    """What to ask for after FreshBooks refused ``asked`` (``invalid_scope``): the scopes
    of the integration guide among those asked, or when that is all that was asked, the
    essential few."""
    within_guide = tuple(s for s in asked if s in GUIDE_SCOPES)
    if within_guide and len(within_guide) < len(asked):
        return within_guide
    return tuple(s for s in ESSENTIAL_SCOPES if s in asked) or ESSENTIAL_SCOPES
