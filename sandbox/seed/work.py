"""Where the hours went: services and their rates, projects, and logged time entries.

Project `budget` is written in **seconds** of time (FreshBooks' docs leave the unit open; the
SDK fixture's 21600 reads naturally as 6 hours, and `logged_duration` is in seconds too).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sandbox.seed.common import Ctx, add_months, iso_z, one_of, weighted_counts
from sandbox.seed.parties import Client, Member, Parties, month_members

# Exchange rates used once, to price work for foreign clients in their currency.
FX = {
    ("USD", "CAD"): Decimal("1.35"),
    ("USD", "EUR"): Decimal("0.92"),
    ("USD", "GBP"): Decimal("0.79"),
    ("CAD", "USD"): Decimal("0.74"),
}
# Logged durations: 15 min to 4 h in quarter hours, about 2 h on average.
DURATIONS = (900, 1800, 2700, 3600, 5400, 7200, 9000, 10800, 12600, 14400)
DURATION_WEIGHTS = (1, 2, 3, 6, 8, 10, 8, 8, 5, 5)
SHORT_WEIGHTS = (6, 10, 5, 6, 2, 1, 0, 0, 0, 0)  # admin and sales are shorter
# Each duration repeated by its weight: one uniform draw picks a duration (50,000 times).
DURATION_TABLE = tuple(
    d for d, w in zip(DURATIONS, DURATION_WEIGHTS, strict=True) for _ in range(w)
)
SHORT_TABLE = tuple(d for d, w in zip(DURATIONS, SHORT_WEIGHTS, strict=True) for _ in range(w))
# Days between two projects of a client, by (hourly?, regular client?).
GAPS = {(True, True): (3, 30), (True, False): (20, 160), (False, True): (60, 200),
        (False, False): (120, 360)}  # fmt: skip


@dataclass
class Service:
    """A project-side service with its home-currency rate."""

    id: int
    name: str
    rate: Decimal | None
    billable: bool
    notes: tuple[str, ...]
    wire: dict[str, Any] = field(repr=False)


@dataclass
class Project:
    """A project and what the billing step needs to know about it."""

    id: int
    title: str
    client: Client | None
    kind: str  # hourly | fixed | retainer | internal
    start: dt.date
    end: dt.date | None  # None while running
    due: dt.date | None
    services: list[Service]
    weight: float
    billing_method: str
    rate: Decimal | None = None  # project rate, client currency
    price: Decimal | None = None  # fixed price, or the monthly retainer fee
    budget: int | None = None  # seconds
    logged: int = 0
    billed: Decimal = Decimal(0)
    billed_entries: int = 0
    unbilled_entries: int = 0

    def unit_cost(self, service: Service) -> Decimal:
        """The hourly rate a line for `service` is billed at."""
        if self.billing_method == "project_rate" and self.rate is not None:
            return self.rate
        return service.rate or Decimal(0)


@dataclass
class Work:
    """Services, projects and time of one business."""

    services: list[Service]
    service_rates: list[dict[str, Any]]
    projects: list[Project]
    entries: list[dict[str, Any]]
    entry_projects: list[Project]  # parallel to `entries`


def convert(ctx: Ctx, amount: Decimal, currency: str, step: int) -> Decimal:
    """A home-currency price in `currency`, rounded to a multiple of `step`."""
    if currency == ctx.biz.currency:
        return amount
    value = amount * FX[(ctx.biz.currency, currency)] / step
    return Decimal(int(value.to_integral_value()) * step)


def rate_step(ctx: Ctx, currency: str) -> int:
    """Rates are multiples of $20 where 13 % HST must come out in whole cents, else of $5."""
    return 20 if ctx.biz.key == "consulting" and currency == "CAD" else 5


def build_work(ctx: Ctx, parties: Parties) -> Work:
    """Services, rates, projects and time entries (entries not yet marked billed)."""
    rng = ctx.rng("work")
    services = [_service(ctx, seed) for seed in ctx.biz.services]
    rates = [
        {"rate": str(s.rate), "business_id": ctx.business_id, "service_id": s.id}
        for s in services
        if s.rate is not None
    ]
    projects = _internal_projects(ctx, services)
    for client in parties.clients:
        projects += _client_projects(ctx, rng, client, services)
    entries, owners = _log_time(ctx, ctx.rng("time"), projects, parties.members)
    return Work(services, rates, projects, entries, owners)


def _service(ctx: Ctx, seed: Any) -> Service:
    sid = ctx.ids.take("service")
    wire = {
        "business_id": ctx.business_id,
        "id": sid,
        "name": seed.name,
        "billable": seed.billable,
        "project_default": seed.project_default,
        "vis_state": 0,
    }
    rate = Decimal(seed.rate) if seed.rate else None
    return Service(sid, seed.name, rate, seed.billable, seed.notes, wire)


# -- projects -----------------------------------------------------------------------------------
def _internal_projects(ctx: Ctx, services: list[Service]) -> list[Project]:
    by_name = {s.name: s for s in services}
    start = ctx.start - dt.timedelta(days=30)
    return [
        Project(
            ctx.ids.take("project"),
            title,
            None,
            "internal",
            start,
            None,
            None,
            [by_name[service]],
            1.0,
            "business_rate",
        )
        for title, service in ctx.biz.internal_projects
    ]


def _client_projects(
    ctx: Ctx, rng: random.Random, client: Client, services: list[Service]
) -> list[Project]:
    """Back-to-back engagements over the client relationship."""
    work = client.seed.work
    if work == "occasional":
        return []  # invoiced for items and small jobs only
    limit = client.end or ctx.today
    if work == "retainer":
        return [_project(ctx, rng, client, services, "retainer", client.start, client.end)]
    out: list[Project] = []
    cursor = client.start
    regular = client.seed.weight >= 5  # big clients keep the studio busy without long gaps
    while cursor <= limit:
        kind = work if rng.random() < 0.85 else ("fixed" if work == "hourly" else "hourly")
        length = rng.randint(60, 240) if kind == "hourly" else rng.randint(45, 120)
        end: dt.date | None = min(cursor + dt.timedelta(days=length), limit)
        if end is not None and end >= ctx.today:
            end = None
        if end is None and regular:
            kind = work  # what a main client has running now is their usual kind of work
        out.append(_project(ctx, rng, client, services, kind, cursor, end))
        if end is None:
            break
        # Hourly clients come back quickly; fixed-price work arrives a few times a year.
        gaps = GAPS[(kind == "hourly", regular)]
        cursor = end + dt.timedelta(days=rng.randint(*gaps))
    last = out[-1] if out else None
    if regular and last is not None and last.end is not None:
        # A main client's work runs to the end of the relationship (to today when ongoing),
        # and what they have running now is their usual kind of work.
        if client.end is None and last.kind != work:
            start = last.end + dt.timedelta(days=1)
            out.append(_project(ctx, rng, client, services, work, start, None))
        else:
            last.end, last.due = client.end, client.end or last.due
    return out


def _project(
    ctx: Ctx,
    rng: random.Random,
    client: Client,
    services: list[Service],
    kind: str,
    start: dt.date,
    end: dt.date | None,
) -> Project:
    billable = [s for s in services if s.billable]
    chosen = [billable[0], *rng.sample(billable[1:], k=min(len(billable) - 1, rng.randint(1, 3)))]
    currency = client.seed.currency
    due = end or ctx.today + dt.timedelta(days=rng.randint(14, 120))
    project = Project(
        ctx.ids.take("project"), "", client, kind, start, end, due, chosen,
        client.seed.weight * {"hourly": 1.0, "fixed": 0.7, "retainer": 0.8}[kind],
        "business_rate",
    )  # fmt: skip
    if kind == "hourly":
        project.title = rng.choice(ctx.biz.hourly_titles)
        home = currency == ctx.biz.currency and rng.random() < 0.6
        project.billing_method = "service_rate" if home else "project_rate"
        base = chosen[0].rate or Decimal(100)
        project.rate = convert(ctx, base, currency, rate_step(ctx, currency))
        hours = max(10, round((due - start).days / 30 * rng.uniform(12, 40) / 5) * 5)
        project.budget = hours * 3600
    elif kind == "fixed":
        title, lo, hi = rng.choice(ctx.biz.fixed_titles)
        project.title = title
        step = 100 if ctx.biz.key == "consulting" else 50  # halves stay whole for 13 % HST
        home_price = Decimal(round(rng.randint(lo, hi) / step) * step)
        project.price = convert(ctx, home_price, currency, step)
        project.budget = int(home_price / (chosen[0].rate or Decimal(100))) * 3600
    else:
        project.title = f"{ctx.biz.retainer_label} {start.year}"
        project.price = convert(ctx, Decimal(ctx.biz.retainer_fee), currency, 50)
    return project


def _description(project: Project) -> str:
    if project.client is None:
        return "Internal time: not billed to clients."
    name = project.client.name
    if project.kind == "fixed":
        return f"{project.title} for {name}. Fixed fee, 50% deposit up front."
    if project.kind == "retainer":
        return f"Monthly retainer with {name}; time is tracked against the retainer."
    return f"{project.title} for {name}. Billed monthly for hours logged."


# -- time ---------------------------------------------------------------------------------------
def _log_time(
    ctx: Ctx, rng: random.Random, projects: list[Project], members: list[Member]
) -> tuple[list[dict[str, Any]], list[Project]]:
    """Time entries spread over the months (seasonal, growing), sorted and numbered."""
    months = ctx.months()
    weights = [_month_weight(ctx, first) for first in months]
    rows: list[tuple[str, dict[str, Any], Project]] = []
    for first, count in zip(months, weighted_counts(ctx.scale.time_entries, weights), strict=True):
        if count:
            rows += _log_month(ctx, rng, first, count, projects, members)
    rows.sort(key=lambda row: row[0])
    for _, entry, _ in rows:
        entry["id"] = ctx.ids.take("time_entry")
    return [row[1] for row in rows], [row[2] for row in rows]


def growth(ctx: Ctx, day: dt.date) -> float:
    """Business volume relative to the start of the history: it grew about 2× in 3 years."""
    return 0.7 + 0.7 * max(0, (day - ctx.start).days) / (ctx.today - ctx.start).days


def _month_weight(ctx: Ctx, first: dt.date) -> float:
    last = add_months(first, 1) - dt.timedelta(days=1)
    lo, hi = max(first, ctx.start), min(last, ctx.yesterday)
    if hi < lo:
        return 0.0
    share = ((hi - lo).days + 1) / ((last - first).days + 1)
    return ctx.biz.season[first.month - 1] * growth(ctx, first) * share


def _log_month(
    ctx: Ctx,
    rng: random.Random,
    first: dt.date,
    count: int,
    projects: list[Project],
    members: list[Member],
) -> list[tuple[str, dict[str, Any], Project]]:
    last = add_months(first, 1) - dt.timedelta(days=1)
    lo, hi = max(first, ctx.start), min(last, ctx.yesterday)
    spans, weights = [], []
    for p in projects:
        a, b = max(lo, p.start), min(hi, p.end or hi)
        if a <= b and p.kind != "internal":
            spans.append((p, a, b))
            weights.append(p.weight * ((b - a).days + 1))
    client_total = sum(weights)
    internal = [p for p in projects if p.kind == "internal"]
    share = ctx.biz.internal_share
    for p in internal:  # internal time is a fixed share of the month, whatever the client load
        spans.append((p, lo, hi))
        weights.append(client_total * share / (1 - share) / len(internal) if client_total else 1)
    team = month_members(members, first) or members[:1]
    who = rng.choices(team, [m.seed.share for m in team], k=count)
    out = []
    for index, member in zip(spread(rng, weights, count), who, strict=True):
        project, a, b = spans[index]
        out.append(_entry(ctx, rng, project, ctx.work_days.pick(rng, a, b), member))
    return out


def spread(rng: random.Random, weights: list[float], count: int) -> list[int]:
    """`count` indexes drawn in proportion to `weights` by systematic sampling: each index
    gets the floor or the ceiling of its expected share, so a thin month cannot starve a big
    project by bad luck the way independent draws can."""
    order = list(range(len(weights)))
    rng.shuffle(order)
    total = sum(weights)
    out: list[int]
    step, position, cumulative, out = total / count, rng.random() * total / count, 0.0, []
    for index in order:
        cumulative += weights[index]
        while position < cumulative and len(out) < count:
            out.append(index)
            position += step
    out += [order[-1]] * (count - len(out))  # float rounding at the very end
    rng.shuffle(out)
    return out


def _entry(
    ctx: Ctx, rng: random.Random, project: Project, day: dt.date, member: Member
) -> tuple[str, dict[str, Any], Project]:
    service = project.services[0] if rng.random() < 0.5 else one_of(rng, project.services)
    short = project.kind == "internal"
    table = SHORT_TABLE if short else DURATION_TABLE
    duration = table[int(rng.random() * len(table))]
    # Start between 8:00 and the latest quarter hour that still ends by 20:00, local time.
    slots = max(1, (12 * 3600 - duration) // 900)
    seconds = 8 * 3600 + 900 * int(rng.random() * slots)
    started = ctx.to_utc(day, seconds)
    created = started + dt.timedelta(seconds=duration + 30 + int(rng.random() * 1770))
    started_at = iso_z(started)
    client = project.client
    entry = {
        "id": 0, "identity_id": member.identity_id, "is_logged": True,
        "started_at": started_at,
        "local_started_at": f"{day.isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:00",
        "local_timezone": ctx.biz.timezone, "created_at": iso_z(created),
        "client_id": client.id if client else None, "project_id": project.id,
        "pending_client": None, "pending_project": None, "pending_task": None,
        "service_id": service.id, "task_id": None, "note": one_of(rng, service.notes),
        "active": True,
        # Only hourly client work is billable; fixed fees and retainers are billed as such.
        "billable": project.kind == "hourly" and service.billable,
        "billed": False, "internal": project.kind == "internal", "retainer_id": None,
        "duration": duration, "timer": None,
    }  # fmt: skip
    return started_at, entry, project


# -- project wire dicts (after billing filled in the totals) --------------------------------------
def project_wires(ctx: Ctx, work: Work) -> list[dict[str, Any]]:
    """Projects in wire format, with logged time and billed amounts aggregated."""
    rng = ctx.rng("project-wire")
    for entry, project in zip(work.entries, work.entry_projects, strict=True):
        project.logged += entry["duration"]
        if entry["billable"]:
            if entry["billed"]:
                project.billed_entries += 1
            else:
                project.unbilled_entries += 1
    return [_project_wire(ctx, rng, p) for p in work.projects]


def _billed_status(project: Project) -> str:
    if project.kind == "fixed":
        invoiced = project.billed
        full = project.price or Decimal(0)
        return "billed" if invoiced >= full else "partially_billed" if invoiced else "unbilled"
    if project.billed_entries and project.unbilled_entries:
        return "partially_billed"
    return "billed" if project.billed_entries or project.billed else "unbilled"


def _project_wire(ctx: Ctx, rng: random.Random, project: Project) -> dict[str, Any]:
    created = ctx.to_utc(max(project.start, ctx.start - dt.timedelta(30)), 9 * 3600 + 1234)
    touched = ctx.to_utc(min(project.end or ctx.today, ctx.today), 16 * 3600 + 2345)
    complete = project.end is not None and project.end < ctx.today
    stale = complete and project.end is not None and (ctx.today - project.end).days > 300
    client = project.client
    return {
        "id": project.id, "title": project.title, "description": _description(project),
        "due_date": project.due.isoformat() if project.due else None,
        "client_id": client.id if client else None, "internal": client is None,
        "budget": project.budget,
        "fixed_price": str(project.price) if project.price is not None else None,
        "rate": str(project.rate) if project.billing_method == "project_rate" else None,
        "billing_method": project.billing_method,
        "project_type": "hourly_rate" if project.kind in ("hourly", "internal") else "fixed_price",
        "project_manager_id": ctx.owner_identity,
        "active": not (stale and rng.random() < 0.5),  # old projects are often archived
        "complete": complete, "sample": False,
        "created_at": created.isoformat(), "updated_at": max(created, touched).isoformat(),
        "logged_duration": project.logged,
        "services": [
            {k: s.wire[k] for k in ("business_id", "id", "name", "billable", "vis_state")}
            for s in project.services
        ],
        "billed_amount": str(project.billed.quantize(Decimal("0.01"))),
        "billed_status": _billed_status(project),
        "retainer_id": None, "expense_markup": "0", "group_id": ctx.ids.take("group"),
    }  # fmt: skip
