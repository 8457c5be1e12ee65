"""`generate`: the demo identity and every business's books, as `DemoData`.

The builders it calls live next to it (see the package docstring for what each one adds); this
module only runs them in order, per business, and collects their wire records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sandbox.seed.billing import build_catalog, plan_invoices
from sandbox.seed.common import Ctx, Scale
from sandbox.seed.expenses import build_expenses
from sandbox.seed.identity import Identity, Shell, make_identity, make_user
from sandbox.seed.ledger import write_ledger
from sandbox.seed.parties import build_parties
from sandbox.seed.recurring import build_profiles
from sandbox.seed.work import build_work, project_wires

__all__ = ["SIZES", "BusinessData", "DemoData", "generate"]

Size = Literal["small", "medium", "large"]
Record = dict[str, Any]

# Per business: clients, invoices, expenses, time entries, subscriptions paid, trips a year.
# Invoice counts are targets (hourly, retainer and fixed-price invoices follow from the work;
# item invoices top up to the target); the other counts are exact.
SIZES: dict[str, dict[str, Scale]] = {
    "small": {
        "studio": Scale(13, 150, 300, 600, 5, 3),
        "consulting": Scale(5, 40, 80, 150, 1, 1),
    },
    "medium": {
        "studio": Scale(40, 850, 1700, 4200, 8, 5),
        "consulting": Scale(12, 150, 300, 800, 3, 2),
    },
    "large": {
        "studio": Scale(250, 8500, 17000, 42000, 11, 20),
        "consulting": Scale(50, 1500, 3000, 8000, 5, 6),
    },
}


@dataclass
class BusinessData:
    """One business with books: its ids and every record, in response wire format."""

    account_id: str
    business_id: int
    business_uuid: str
    name: str
    currency_code: str  # home currency
    timezone: str  # IANA name
    clients: list[Record] = field(default_factory=list)
    invoices: list[Record] = field(default_factory=list)  # lines inside, under "lines"
    payments: list[Record] = field(default_factory=list)
    expenses: list[Record] = field(default_factory=list)
    expense_categories: list[Record] = field(default_factory=list)
    staff: list[Record] = field(default_factory=list)
    items: list[Record] = field(default_factory=list)
    taxes: list[Record] = field(default_factory=list)
    estimates: list[Record] = field(default_factory=list)
    invoice_profiles: list[Record] = field(default_factory=list)  # lines inside
    projects: list[Record] = field(default_factory=list)
    time_entries: list[Record] = field(default_factory=list)
    services: list[Record] = field(default_factory=list)
    service_rates: list[Record] = field(default_factory=list)
    team_members: list[Record] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of records of each kind (invoice lines counted as "lines")."""
        kinds = (
            "clients", "invoices", "payments", "expenses", "expense_categories", "staff",
            "items", "taxes", "estimates", "projects", "time_entries", "services",
            "service_rates", "team_members",
        )  # fmt: skip
        out = {kind: len(getattr(self, kind)) for kind in kinds}
        out["lines"] = sum(len(invoice["lines"]) for invoice in self.invoices)
        return out


@dataclass
class DemoData:
    """The demo user's identity and the businesses that have books.

    `user` is the `/auth/api/v1/users/me` identity without its `{"response": ...}` envelope.
    Its memberships also name businesses without books here (one with `account_id: None`);
    those exist for identity edge cases and hold no records.
    """

    user: Record
    businesses: list[BusinessData]

    def by_account_id(self, account_id: str) -> BusinessData | None:
        """The business with books whose accounting `account_id` this is."""
        return next((b for b in self.businesses if b.account_id == account_id), None)

    def by_business_id(self, business_id: int) -> BusinessData | None:
        """The business with books whose numeric `business_id` this is."""
        return next((b for b in self.businesses if b.business_id == business_id), None)


def generate(seed: int = 7, size: Size = "small", today: dt.date | None = None) -> DemoData:
    """Build the demo identity and books for `seed` and `size`, ending at `today`.

    Three years of history end at `today` (default: each business's current date in its own
    timezone, so nothing is dated after the business's today while UTC has passed midnight):
    invoices, payments and expenses up to today, time entries up to yesterday. Only due dates
    of open invoices and projects lie in the future. Equal arguments give equal data.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, not {size!r}")
    day = today or dt.date.today()
    identity = make_identity(random.Random(f"freshbooks-demo:{seed}:identity"))
    businesses = []
    for index, shell in enumerate(s for s in identity.shells if s.seed is not None):
        businesses.append(_build_business(seed, size, today, index, shell, identity))
    owner_staff = {b.account_id: b.staff[0]["id"] for b in businesses}
    user = make_user(random.Random(f"freshbooks-demo:{seed}:user"), day, identity, owner_staff)
    return DemoData(user, businesses)


def _build_business(
    seed: int, size: str, today: dt.date | None, index: int, shell: Shell, identity: Identity
) -> BusinessData:
    assert shell.seed is not None
    assert shell.account_id is not None
    if today is None:  # the business's own day, in its timezone
        today = dt.datetime.now(ZoneInfo(shell.seed.timezone)).date()
    ctx = Ctx(
        seed=seed,
        biz=shell.seed,
        scale=SIZES[size][shell.seed.key],
        index=index,
        today=today,
        account_id=shell.account_id,
        business_id=shell.business_id,
        owner_identity=identity.identity_id,
    )
    parties = build_parties(ctx)
    work = build_work(ctx, parties)
    spend = build_expenses(ctx, parties)
    catalog = build_catalog(ctx)
    invoices, estimates = plan_invoices(ctx, parties, work, catalog, spend.rebill)
    ledger = write_ledger(ctx, parties, catalog, invoices, estimates)
    return BusinessData(
        account_id=shell.account_id,
        business_id=shell.business_id,
        business_uuid=shell.business_uuid,
        name=shell.name,
        currency_code=shell.seed.currency,
        timezone=shell.seed.timezone,
        clients=[c.wire for c in parties.clients],
        invoices=ledger.invoices,
        payments=ledger.payments,
        expenses=spend.expenses,
        expense_categories=spend.categories,
        staff=parties.staff,
        items=catalog.items,
        taxes=catalog.taxes,
        estimates=ledger.estimates,
        invoice_profiles=build_profiles(ctx, parties),
        projects=project_wires(ctx, work),
        time_entries=work.entries,
        services=[s.wire for s in work.services],
        service_rates=work.service_rates,
        team_members=parties.team_members,
    )
