"""Where the money went: expense categories and three years of expenses.

Expenses come from four sources: monthly subscriptions (with the odd price increase), yearly
trips (conferences and client visits, some abroad and paid in local currency), a few equipment
purchases, and everyday spending drawn from a vendor list with seasonal weights. Amounts are
what the card was charged, tax included; the tax share is recorded in `taxAmount1`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sandbox.core.invoicing import HUNDRED
from sandbox.core.wire import cents, money
from sandbox.seed.catalog import CATEGORIES, TripSeed
from sandbox.seed.common import (
    Ctx,
    add_months,
    amount_between,
    clamp,
    eastern_stamp,
    one_of,
    weighted_counts,
)
from sandbox.seed.parties import Client, Parties
from sandbox.seed.work import growth

STAFF_SPEND = frozenset({"meals", "travel_taxi", "office_supplies", "cogs_stock"})


class Draft(NamedTuple):
    """An expense before it gets its id."""

    day: dt.date
    vendor: str
    category: str
    amount: Decimal  # charged, tax included
    currency: str
    taxed: bool
    note: str
    client: Client | None  # rebilled to this client
    staff_id: int


@dataclass
class Spend:
    """Categories and expenses of one business, plus the ones waiting to be rebilled."""

    categories: list[dict[str, Any]]
    expenses: list[dict[str, Any]]
    rebill: list[tuple[dict[str, Any], Client]]


def build_expenses(ctx: Ctx, parties: Parties) -> Spend:
    """Categories and expenses, sorted by date and numbered in that order."""
    rng = ctx.rng("expenses")
    owner = parties.owner.staff_id or 0
    drafts = _recurring(ctx, rng, owner) + _trips(ctx, rng, parties, owner)
    drafts += _purchases(ctx, rng, owner)
    drafts += _everyday(ctx, rng, parties, max(0, ctx.scale.expenses - len(drafts)))
    drafts.sort(key=lambda d: (d.day, d.vendor))
    categories, category_ids = _categories(ctx, rng)
    cogs = {c.key for c in CATEGORIES if c.is_cogs}
    expenses, rebill = [], []
    for draft in drafts:
        wire = _expense_wire(ctx, rng, draft, category_ids[draft.category], draft.category in cogs)
        expenses.append(wire)
        if draft.client is not None:
            rebill.append((wire, draft.client))
    used = {e["categoryid"] for e in expenses}
    for category in categories:
        category["transaction_posted"] = category["id"] in used
    return Spend(categories, expenses, rebill)


def _categories(ctx: Ctx, rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, int]]:
    ids = {c.key: ctx.ids.take("category") for c in CATEGORIES}
    created = eastern_stamp(rng, ctx.start - dt.timedelta(days=60))
    wires = [
        {
            "id": ids[c.key],
            "categoryid": ids[c.key],
            "category": c.name,
            "parentid": ids[c.parent] if c.parent else None,
            "is_cogs": c.is_cogs,
            "is_editable": c.editable,
            "transaction_posted": False,
            "created_at": created,
            "updated_at": created,
            "vis_state": 0,
        }
        for c in CATEGORIES
    ]
    return wires, ids


def _with_tax(ctx: Ctx, price: Decimal) -> Decimal:
    """A pre-tax price as charged with the home sales tax."""
    return cents(price * (HUNDRED + Decimal(ctx.biz.taxes[0][1])) / HUNDRED)


def _recurring(ctx: Ctx, rng: random.Random, owner: int) -> list[Draft]:
    out = []
    for plan in ctx.biz.recurring[: ctx.scale.recurring]:
        for offset, first in enumerate(ctx.months()):
            day = add_months(first, 0, plan.day)
            if not ctx.start <= day <= ctx.today:
                continue
            price = Decimal(
                plan.raised if plan.raise_at and offset >= plan.raise_at else plan.amount
            )
            if plan.spread != "0":  # usage-based bills (phone, cloud) vary month to month
                price += amount_between(rng, "0", plan.spread)
            amount = _with_tax(ctx, price) if plan.taxed else price
            currency = plan.currency or ctx.biz.currency
            out.append(Draft(day, plan.vendor, plan.category, amount, currency, plan.taxed,
                             plan.note, None, owner))  # fmt: skip
    return out


def _trips(ctx: Ctx, rng: random.Random, parties: Parties, owner: int) -> list[Draft]:
    trips = ctx.biz.trips
    out: list[Draft] = []
    for year in range(ctx.start.year, ctx.today.year + 1):
        for k in range(ctx.scale.trips_per_year):
            trip = trips[k % len(trips)]
            month = (trip.month - 1 + 3 * (k // len(trips))) % 12 + 1  # repeats spread out
            start = dt.date(year, month, rng.randint(3, 22))
            nights = rng.randint(2, 4)
            if (
                start - dt.timedelta(days=45) < ctx.start
                or start + dt.timedelta(nights) > ctx.today
            ):
                continue
            out += _trip(ctx, rng, trip, start, nights, _visited(parties, trip, start), owner)
    return out


def _visited(parties: Parties, trip: TripSeed, day: dt.date) -> Client | None:
    for client in parties.clients:
        if client.seed.organization == trip.client and client.active(day, day):
            return client
    return None


def _trip(
    ctx: Ctx,
    rng: random.Random,
    trip: TripSeed,
    start: dt.date,
    nights: int,
    client: Client | None,
    owner: int,
) -> list[Draft]:
    home = ctx.biz.currency

    def rebill(currency: str) -> Client | None:
        # Only costs in the client's own currency go on their invoice.
        return client if client is not None and client.seed.currency == currency else None

    vendor, lo, hi = trip.flight
    booked = start - dt.timedelta(days=rng.randint(12, 45))
    out = [Draft(booked, vendor, "travel_air", amount_between(rng, lo, hi), home, False,
                 f"Flight, {trip.name}", rebill(home), owner)]  # fmt: skip
    vendor, lo, hi = trip.hotel
    nightly = amount_between(rng, lo, hi)
    checkout = start + dt.timedelta(days=nights)
    out.append(Draft(checkout, vendor, "travel_hotel", nightly * nights, trip.currency, False,
                     f"{nights} nights, {trip.name}", rebill(trip.currency), owner))  # fmt: skip
    for vendor, category, lo, hi, note in trip.local:
        for _ in range(1 if lo == hi else rng.randint(1, 3)):
            day = start + dt.timedelta(days=rng.randint(0, nights))
            out.append(Draft(day, vendor, category, amount_between(rng, lo, hi), trip.currency,
                             False, note, rebill(trip.currency), owner))  # fmt: skip
    return out


def _purchases(ctx: Ctx, rng: random.Random, owner: int) -> list[Draft]:
    out = []
    for item in ctx.biz.purchases:
        day = clamp(ctx.month(item.month, rng.randint(1, 28)), ctx.start, ctx.today)
        amount = _with_tax(ctx, Decimal(item.amount))
        out.append(Draft(day, item.vendor, item.category, amount, ctx.biz.currency, True,
                         item.note, None, owner))  # fmt: skip
    return out


def _everyday(ctx: Ctx, rng: random.Random, parties: Parties, count: int) -> list[Draft]:
    months = ctx.months()
    weights = [ctx.biz.season[m.month - 1] * growth(ctx, m) for m in months]
    weights[-1] *= (ctx.today.day - 1 + 0.5) / 30  # the current month is not over yet
    out: list[Draft] = []
    for first, n in zip(months, weighted_counts(count, weights), strict=True):
        if n:
            out += _everyday_month(ctx, rng, parties, first, n)
    return out


def _everyday_month(
    ctx: Ctx, rng: random.Random, parties: Parties, first: dt.date, count: int
) -> list[Draft]:
    lo, hi = max(first, ctx.start), min(add_months(first, 1) - dt.timedelta(1), ctx.today)
    vendors = ctx.biz.vendors
    weights = [v.weight if not v.months or first.month in v.months else 0.0 for v in vendors]
    clients = [c for c in parties.clients if c.active(lo, hi)]
    client_weights = [c.seed.weight for c in clients]
    staff = [m for m in parties.members if m.staff_id and m.start <= hi and m.seed.role != "owner"]
    owner = parties.owner.staff_id or 0
    home = ctx.biz.currency
    out = []
    for vendor in rng.choices(vendors, weights, k=count):
        client = rng.choices(clients, client_weights)[0] if clients else None
        note = one_of(rng, vendor.notes).format(client=client.name if client else "a prospect")
        billable = (
            client is not None
            and client.seed.currency == home
            and client.seed.work != "occasional"
            and rng.random() < vendor.billable
        )
        spender = owner
        if staff and vendor.category in STAFF_SPEND and rng.random() < 0.25:
            spender = rng.choice(staff).staff_id or owner
        out.append(Draft(ctx.spend_days.pick(rng, lo, hi), vendor.vendor, vendor.category,
                         amount_between(rng, vendor.lo, vendor.hi), home, vendor.taxed, note,
                         client if billable else None, spender))  # fmt: skip
    return out


def _expense_wire(
    ctx: Ctx, rng: random.Random, draft: Draft, category_id: int, is_cogs: bool
) -> dict[str, Any]:
    eid = ctx.ids.take("expense")
    taxed = draft.taxed and draft.currency == ctx.biz.currency
    tax_name, percent = ctx.biz.taxes[0][:2] if taxed else (None, None)
    tax = None
    if percent is not None:
        rate = Decimal(percent)
        tax = money(draft.amount * rate / (HUNDRED + rate), draft.currency)
    billable = draft.client is not None
    receipt = rng.random() < (0.9 if draft.amount > 75 else 0.55)
    touched = min(ctx.today, draft.day + dt.timedelta(days=rng.randint(0, 3)))
    return {
        "id": eid, "expenseid": eid, "accounting_systemid": ctx.account_id,
        "accountid": None, "account_name": "", "bank_name": "",
        "amount": money(draft.amount, draft.currency), "categoryid": category_id,
        "clientid": draft.client.id if draft.client else 0, "projectid": 0,
        "staffid": draft.staff_id, "date": draft.day.isoformat(), "vendor": draft.vendor,
        "notes": draft.note,
        "taxName1": tax_name, "taxPercent1": percent, "taxAmount1": tax,
        "taxName2": None, "taxPercent2": None, "taxAmount2": None, "compounded_tax": False,
        "status": 1 if billable else 0,  # 1 = billable, not yet invoiced; billing updates it
        "billable": billable, "markup_percent": "0", "has_receipt": receipt,
        "include_receipt": False, "invoiceid": None, "is_cogs": is_cogs,
        "isduplicate": False, "from_bulk_import": False, "background_jobid": None,
        "ext_accountid": None, "ext_invoiceid": 0, "ext_systemid": 0,
        "modern_projectid": None, "converse_projectid": None, "profileid": None,
        "transactionid": None, "potential_bill_payment": False, "bill_matches": [],
        "updated": eastern_stamp(rng, touched),
        "vis_state": 2 if not billable and rng.random() < 0.01 else 0,
    }  # fmt: skip
