"""What was billed: taxes, items, and the plan of every invoice and estimate.

Invoices come from the work: each month's billable hours of a client are invoiced in the middle
of the next month (so the last few weeks of time are always unbilled), retainers bill on the 1st,
fixed-price projects bill a deposit at the start and the balance on delivery, and one-off
item invoices (print runs, licences, workshops) fill the rest. Rebillable expenses ride on the
client's next invoice. `ledger` turns these plans into wire records and payments.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sandbox.core.wire import money
from sandbox.seed.catalog import ItemSeed
from sandbox.seed.common import Ctx, add_months, eastern_stamp, next_weekday, weighted_counts
from sandbox.seed.money import rounding_exact
from sandbox.seed.parties import Client, Parties
from sandbox.seed.work import Project, Service, Work, convert, growth

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
PHASES = {
    "studio": ("Discovery and concepts", "Design, revisions and final files"),
    "consulting": ("Research and interviews", "Workshops and final report"),
}
# Month M's hours are invoiced on the first weekday from the 15th of M+1, once the client has
# reviewed the time report: the last two to six weeks of billable time are always unbilled.
BILL_DAY = 15
MIN_HOURS = 3  # smaller months roll into the next invoice
RETIRED_ITEMS = frozenset({"Letterpress printing"})  # archived: no longer offered


Rows = list[tuple[dict[str, Any], Project]]


@dataclass
class Line:
    """An invoice or estimate line before it gets ids."""

    name: str
    description: str
    qty: Decimal
    unit_cost: Decimal
    tax: str  # tax name or ""
    project: Project | None = None
    expense: dict[str, Any] | None = None


@dataclass
class EstimateSpec:
    """An estimate to write; `status` 1 draft, 2 sent, 3 viewed, 5 accepted, 6 invoiced."""

    client: Client
    create: dt.date
    lines: list[Line]
    status: int
    discount: str
    title: str
    id: int = 0
    number: str = ""


@dataclass
class InvoiceSpec:
    """An invoice to write, with the payments it will receive."""

    client: Client
    create: dt.date
    kind: str  # hourly | retainer | fixed | misc
    lines: list[Line]
    discount: str = "0"
    estimate: EstimateSpec | None = None
    id: int = 0
    number: str = ""
    draft: bool = False
    viewed: bool = True
    payments: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def due(self) -> dt.date:
        """create_date + due_offset_days."""
        return self.create + dt.timedelta(days=self.client.seed.terms)


@dataclass
class Catalog:
    """Taxes and items of one business in wire format, plus lookups."""

    taxes: list[dict[str, Any]]
    items: list[dict[str, Any]]
    rates: dict[str, str]  # tax name -> percent
    numbers: dict[str, str]  # tax name -> registration number
    sellable: list[ItemSeed]


def build_catalog(ctx: Ctx) -> Catalog:
    """Taxes and items (one retired item is archived)."""
    rng = ctx.rng("catalog")
    taxes, tax_ids = [], {}
    for name, percent, number in ctx.biz.taxes:
        tid = tax_ids[name] = ctx.ids.take("tax")
        taxes.append({
            "id": tid, "taxid": tid, "accounting_systemid": ctx.account_id, "name": name,
            "amount": percent, "number": number, "compound": False,
            "updated": eastern_stamp(rng, ctx.start - dt.timedelta(days=50)),
        })  # fmt: skip
    goods_tax = tax_ids[ctx.biz.taxes[0][0]]
    items = []
    for seed in ctx.biz.items:
        iid = ctx.ids.take("item")
        items.append({
            "id": iid, "itemid": iid, "accounting_systemid": ctx.account_id, "name": seed.name,
            "description": seed.description, "qty": "1", "inventory": None, "sku": seed.sku,
            "unit_cost": money(Decimal(seed.unit_cost), ctx.biz.currency),
            "tax1": goods_tax if seed.taxable else 0, "tax2": 0,
            "updated": eastern_stamp(rng, ctx.start - dt.timedelta(days=rng.randint(1, 40))),
            "vis_state": 2 if seed.name in RETIRED_ITEMS else 0,
        })  # fmt: skip
    sellable = [s for s in ctx.biz.items if s.name not in RETIRED_ITEMS]
    return Catalog(
        taxes,
        items,
        {name: percent for name, percent, _ in ctx.biz.taxes},
        {name: number for name, _, number in ctx.biz.taxes},
        sellable,
    )


def plan_invoices(
    ctx: Ctx, parties: Parties, work: Work, catalog: Catalog, rebill: list[Any]
) -> tuple[list[InvoiceSpec], list[EstimateSpec]]:
    """Every invoice and the estimates behind fixed-price work, in date order."""
    rng = ctx.rng("billing")
    invoices = _hourly(ctx, work) + _retainers(ctx, work)
    fixed, estimates = _fixed(ctx, rng, work)
    invoices += fixed
    wanted = max(ctx.scale.invoices - len(invoices), _usual_item_invoices(ctx, parties))
    invoices += _misc(ctx, rng, parties, catalog, wanted)
    _attach_rebills(ctx, invoices, rebill)
    for spec in invoices:
        _make_exact(spec, catalog.rates)
    order = {"retainer": 0, "hourly": 1, "fixed": 2, "misc": 3}
    invoices.sort(key=lambda s: (s.create, order[s.kind], s.client.id))
    return invoices, estimates


def bill_day(ctx: Ctx, day: dt.date) -> dt.date:
    """An invoice date on or after `day`, moved off weekends but never past today."""
    return min(next_weekday(day), ctx.today) if day <= ctx.today else day


def month_label(first: dt.date) -> str:
    """The month as invoice lines name it: "March 2024"."""
    return f"{MONTHS[first.month - 1]} {first.year}"


# -- the four sources of invoices -------------------------------------------------------------
def _hourly(ctx: Ctx, work: Work) -> list[InvoiceSpec]:
    """A client's billable hours, invoiced in the middle of the month after they were logged.

    Months with under `MIN_HOURS` roll into the next invoice (nobody bills 30 minutes), but a
    client's last billable month is always invoiced, so only recent time stays unbilled.
    """
    services = {s.id: s for s in work.services}
    months: dict[int, dict[dt.date, Rows]] = defaultdict(lambda: defaultdict(list))
    for entry, project in zip(work.entries, work.entry_projects, strict=True):
        if entry["billable"] and project.client is not None:
            first = dt.date.fromisoformat(entry["local_started_at"][:10]).replace(day=1)
            months[project.client.id][first].append((entry, project))
    out = []
    for by_month in months.values():
        billable = [m for m in sorted(by_month) if _hours_billed_on(ctx, m) <= ctx.today]
        pending: Rows = []
        for n, first in enumerate(billable):
            pending += by_month[first]
            seconds = sum(entry["duration"] for entry, _ in pending)
            if seconds >= MIN_HOURS * 3600 or n == len(billable) - 1:
                out.append(_hourly_invoice(ctx, pending, services, first))
                pending = []
    return out


def _hours_billed_on(ctx: Ctx, first: dt.date) -> dt.date:
    return bill_day(ctx, add_months(first, 1, BILL_DAY))


def _hourly_invoice(
    ctx: Ctx, rows: Rows, services: dict[int, Service], last: dt.date
) -> InvoiceSpec:
    for entry, _ in rows:
        entry["billed"] = True
    first = dt.date.fromisoformat(rows[0][0]["local_started_at"][:10]).replace(day=1)
    period = month_label(last)
    if first != last:
        period = f"{MONTHS[first.month - 1]}–{period}"
    client = rows[0][1].client
    assert client is not None
    lines = _hour_lines(rows, services, period)
    return InvoiceSpec(client, _hours_billed_on(ctx, last), "hourly", lines, client.seed.discount)


def _hour_lines(rows: Rows, services: dict[int, Service], period: str) -> list[Line]:
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    notes: dict[tuple[int, int], list[str]] = defaultdict(list)
    projects = {}
    for entry, project in rows:
        key = (project.id, entry["service_id"])
        seconds[key] += entry["duration"]
        projects[project.id] = project
        if entry["note"] not in notes[key]:
            notes[key].append(entry["note"])
    lines = []
    for (project_id, service_id), total in sorted(seconds.items()):
        project, service = projects[project_id], services[service_id]
        summary = "; ".join(notes[(project_id, service_id)][:3])
        lines.append(Line(
            service.name, f"{project.title}, {period}: {summary}",
            Decimal(total) / 3600, project.unit_cost(service),
            project.client.service_tax if project.client else "", project,
        ))  # fmt: skip
    return lines


def _retainers(ctx: Ctx, work: Work) -> list[InvoiceSpec]:
    """Retainers are billed in advance on the first weekday of each month."""
    out = []
    for project in work.projects:
        if project.kind != "retainer" or project.client is None or project.price is None:
            continue
        client, label = project.client, ctx.biz.retainer_label
        for first in ctx.months():
            if first < project.start.replace(day=1) or (project.end and first > project.end):
                continue
            created = bill_day(ctx, max(first, project.start))
            if created > ctx.today:
                continue
            line = Line(label, f"{label}, {month_label(first)}: up to 25 hours of support",
                        Decimal(1), project.price, client.service_tax, project)  # fmt: skip
            out.append(InvoiceSpec(client, created, "retainer", [line], client.seed.discount))
    return out


def _fixed(
    ctx: Ctx, rng: random.Random, work: Work
) -> tuple[list[InvoiceSpec], list[EstimateSpec]]:
    """A deposit when a fixed-price project starts, the balance on delivery; each project
    was quoted first, so its estimate is marked invoiced."""
    invoices, estimates = [], []
    for project in work.projects:
        if project.kind != "fixed" or project.client is None or project.price is None:
            continue
        client, half = project.client, project.price / 2
        quoted = max(ctx.start, project.start - dt.timedelta(days=rng.randint(5, 20)))
        estimate = EstimateSpec(client, quoted, phase_lines(ctx, project.price, client),
                                6, client.seed.discount, project.title)  # fmt: skip
        estimates.append(estimate)
        deposit = Line(f"{project.title}: deposit", "50% deposit to begin work", Decimal(1),
                       half, client.service_tax, project)  # fmt: skip
        invoices.append(InvoiceSpec(client, bill_day(ctx, project.start), "fixed", [deposit],
                                    client.seed.discount, estimate))  # fmt: skip
        if project.end is not None and project.end <= ctx.today:
            final = Line(f"{project.title}: balance", "Remaining 50% on delivery of final files",
                         Decimal(1), half, client.service_tax, project)  # fmt: skip
            invoices.append(InvoiceSpec(client, bill_day(ctx, project.end), "fixed", [final],
                                        client.seed.discount))  # fmt: skip
    return invoices, estimates


def phase_lines(ctx: Ctx, price: Decimal, client: Client) -> list[Line]:
    """A quote in two phases, 40 % and 60 % of the price."""
    first, second = PHASES[ctx.biz.key]
    part = price * 4 / 10
    return [
        Line(first, "Phase 1", Decimal(1), part, client.service_tax),
        Line(second, "Phase 2", Decimal(1), price - part, client.service_tax),
    ]


def _misc(
    ctx: Ctx, rng: random.Random, parties: Parties, catalog: Catalog, count: int
) -> list[InvoiceSpec]:
    """One-off invoices for items: print runs, licences, hosting, workshops."""
    months = ctx.months()
    weights = [ctx.biz.season[m.month - 1] * growth(ctx, m) for m in months]
    out = []
    for first, n in zip(months, weighted_counts(count, weights), strict=True):
        lo, hi = max(first, ctx.start), min(add_months(first, 1) - dt.timedelta(1), ctx.today)
        clients = [c for c in parties.clients if c.active(lo, hi)]
        if not n or not clients:
            continue
        # Occasional clients only ever buy this way; the others now and then.
        weights_c = [c.seed.weight * (3.0 if c.seed.work == "occasional" else 0.3) for c in clients]
        for client in rng.choices(clients, weights_c, k=n):
            day = ctx.work_days.pick(rng, max(lo, client.start), min(hi, client.end or hi))
            lines = _item_lines(ctx, rng, client, catalog)
            out.append(InvoiceSpec(client, day, "misc", lines, client.seed.discount))
    return out


def _usual_item_invoices(ctx: Ctx, parties: Parties) -> int:
    """How many item invoices the clients would get anyway: occasional clients every couple
    of months, the others once a year or so."""
    total = 0.0
    for client in parties.clients:
        months = ((client.end or ctx.today) - client.start).days / 30
        total += months * (0.3 if client.seed.work == "occasional" else 0.04)
    return round(total)


def _item_lines(ctx: Ctx, rng: random.Random, client: Client, catalog: Catalog) -> list[Line]:
    currency = client.seed.currency
    lines = []
    for item in rng.sample(catalog.sellable, k=rng.choice((1, 1, 1, 2, 2, 3))):
        price = convert(ctx, Decimal(item.unit_cost), currency, 1)
        qty = Decimal(rng.choice((1, 1, 2, 3, 5))) if price < 100 else Decimal(1)
        tax = client.goods_tax if item.taxable else client.service_tax
        lines.append(Line(item.name, item.description, qty, price, tax))
    return lines


# -- rebilled expenses and exact totals ---------------------------------------------------------
def _attach_rebills(ctx: Ctx, invoices: list[InvoiceSpec], rebill: list[Any]) -> None:
    """Put each rebillable expense on the client's next invoice within 60 days; recent ones
    wait (status 1, billable and unbilled), older ones without an invoice become internal."""
    by_client: dict[int, list[InvoiceSpec]] = defaultdict(list)
    for spec in sorted(invoices, key=lambda s: s.create):
        by_client[spec.client.id].append(spec)
    for expense, client in rebill:
        day = dt.date.fromisoformat(expense["date"])
        specs = by_client.get(client.id, [])
        i = bisect_left([s.create for s in specs], day)
        if i < len(specs) and (specs[i].create - day).days <= 60:
            amount = Decimal(expense["amount"]["amount"])
            specs[i].lines.append(Line(f"Expense: {expense['vendor']}", expense["notes"],
                                       Decimal(1), amount, "", None, expense))  # fmt: skip
        elif (ctx.today - day).days > 60:
            expense.update(clientid=0, billable=False, status=0)


def _make_exact(spec: InvoiceSpec, rates: dict[str, str]) -> None:
    """Keep every tax and discount step exact in cents (see `money.rounding_exact`):
    drop a discount that would need rounding, and as a last resort the offending tax."""
    if rounding_exact(wire_lines(spec.lines, rates), spec.discount):
        return
    spec.discount = "0"
    for line in spec.lines:
        if not rounding_exact(wire_lines([line], rates), "0"):
            line.tax = ""


def wire_lines(lines: list[Line], rates: dict[str, str]) -> list[dict[str, Any]]:
    """The fields `invoice_totals` reads, for lines not yet written out."""
    return [
        {"qty": line.qty, "unit_cost": line.unit_cost, "taxAmount1": rates.get(line.tax, "0")}
        for line in lines
    ]
