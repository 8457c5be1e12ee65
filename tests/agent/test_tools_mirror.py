"""Read tools answer from the app's local mirror exactly as from FreshBooks, with no request.

One small sandbox (seed 7) and a :class:`~copilot.mirror.Mirror` synced from it into a SQLite
store. Every read tool runs for a set of arguments (every filter, each period and status, the
client with the most invoices, unknown ids) once on the API path (``snapshot=None``) and once
on the mirror (``snapshot=lambda: snap``): the JSON results must be identical, and the mirror
path must not reach the sandbox. Nothing here changes the books.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import product
from typing import Any

import pytest

from agent.queries import TimeQuery
from agent.results import error_result
from agent.tool import Tool, ToolContext
from agent.tools import _mirror, build_registry
from agent.tools.dates import PERIODS, day_window
from agent.tools.summary import YEAR_HEADLINES
from fbclient import BusinessClient
from fbclient.identity import Business
from fbclient.models.invoices import Invoice
from fbclient.models.time_entries import TimeEntry
from fbclient.snapshot import Snapshot
from sandbox.core import invoicing

from ..support.synced_sandbox import synced_sandbox
from ..support.transports import CountingTransport

UNKNOWN = 987654321
INVOICE_STATUSES = ("draft", "sent", "viewed", "partial", "paid", "overdue", "disputed", "unpaid")
# Read tools that always ask FreshBooks: reports are computed by the server. They run on both
# paths below too (same answer), but may make requests.
API_ONLY = {
    "profit_and_loss",
    "accounts_aging",
    "payments_collected",
    "tax_summary",
}


@dataclass
class World:
    """The sandbox business, its mirror, and a tool context for each path."""

    business: Business
    books: BusinessClient
    counting: CountingTransport
    snap: Snapshot
    api: ToolContext
    mirror: ToolContext
    today: date

    @cached_property
    def facts(self) -> Facts:
        return Facts(self.snap, self.today)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with synced_sandbox(tmp_path_factory.mktemp("mirror")) as synced:
        business, snap = synced.business, synced.snap
        now = business.now()
        api = ToolContext(books=synced.books, business=business, now=now, snapshot=None)
        yield World(
            business=business,
            books=synced.books,
            counting=synced.counting,
            snap=snap,
            api=api,
            mirror=dataclasses.replace(api, snapshot=lambda: snap),
            today=business.today(now),
        )


# --- what the cases pick from the books -------------------------------------------------


class Facts:
    """Ids and names the argument cases use, read from the mirrored books."""

    def __init__(self, snap: Snapshot, today: date) -> None:
        self.snap = snap
        invoices = Counter(i.customerid for i in snap.invoices)
        self.busiest = invoices.most_common(1)[0][0]
        self.clients = sorted(c.id for c in snap.clients)
        self.archived_client = next(c.id for c in snap.clients if c.vis_state == 2)
        overdue = [i for i in snap.invoices if i.v3_status == "overdue"]
        self.overdue_client = overdue[0].customerid
        paid = Counter(p.invoiceid for p in snap.payments)
        self.paid_invoice = paid.most_common(1)[0][0]
        # The seed archives a few old paid invoices at random: on some days, none.
        archived = [i.id for i in snap.invoices if i.vis_state == 2][:1]
        self.invoice_ids = [
            self.paid_invoice,
            overdue[0].id,
            next(i.id for i in snap.invoices if i.v3_status == "draft"),
            *archived,
            next(i.id for i in snap.invoices if i.v3_status == "viewed"),
        ]
        self.number = next(i.invoice_number for i in snap.invoices if i.invoice_number)
        self.payer = next(p.clientid for p in snap.payments if p.clientid)
        spent = Counter(e.categoryid for e in snap.expenses)
        self.categories = [c for c, _ in spent.most_common(3)]
        self.category_names = [c.name for c in snap.expense_categories]
        self.expense_client = next(e.clientid for e in snap.expenses if e.clientid)
        self.projects = sorted(p.id for p in snap.projects)
        # The seed files no expense under a project: then any project (an empty answer).
        self.expense_project = next(
            (e.projectid for e in snap.expenses if e.projectid), self.projects[0]
        )
        self.vendor = next(e.vendor for e in snap.expenses if e.vendor)
        self.project_client = next(p.client_id for p in snap.projects if p.client_id)
        self.titles = [p.title for p in snap.projects if p.title][:6]
        logged = Counter(e.project_id for e in snap.time_entries if e.project_id)
        self.busy_project = logged.most_common(1)[0][0]
        self.time_client = next(e.client_id for e in snap.time_entries if e.client_id)
        self.names = [c.display_name for c in snap.clients]
        self.email = next(c.email for c in snap.clients if c.email)
        self.today = today


Build = Callable[[Facts], list[dict[str, Any]]]


def _periods(**extra: Any) -> list[dict[str, Any]]:
    return [{"period": p, **extra} for p in PERIODS]


def _spans(today: date) -> list[dict[str, Any]]:
    year = date(today.year - 1, 1, 1)
    return [
        {"start_date": year, "end_date": date(today.year - 1, 12, 31)},
        {"start_date": year},
        {"end_date": date(today.year - 1, 6, 30)},
        {"start_date": today, "end_date": today},
    ]


CASES: dict[str, dict[str, Build]] = {
    "business_summary": {"all": lambda f: [{}]},
    "search_clients": {
        "all": lambda f: [{}, {"balance": "outstanding"}, {"balance": "overdue"}],
        "names": lambda f: (
            [{"query": n.split()[0]} for n in f.names] + [{"query": n.upper()} for n in f.names[:3]]
        ),
        "email": lambda f: [
            {"query": f.email},
            {"query": "@" + f.email.split("@")[1]},
            {"query": f.email.upper(), "balance": "outstanding"},
        ],
        "balance with a name": lambda f: [
            {"query": n.split()[0], "balance": b}
            for n in f.names
            for b in ("outstanding", "overdue")
        ],
        "nothing": lambda f: [{"query": "zzqx"}],
    },
    "get_client": {
        "every client": lambda f: [{"client_id": c} for c in f.clients],
        "unknown": lambda f: [{"client_id": UNKNOWN}],
    },
    "find_client": {
        "names": lambda f: (
            [{"name": n} for n in f.names] + [{"name": n.split()[0].lower()} for n in f.names]
        ),
        "email and misspelling": lambda f: [{"name": f.email}, {"name": "Kestral"}],
        "nothing": lambda f: [{"name": "zzqx"}],
    },
    "search_invoices": {
        "all": lambda f: [{}],
        "status": lambda f: [{"status": s} for s in INVOICE_STATUSES],
        "period": lambda f: _periods() + _periods(status="paid") + _periods(status="unpaid"),
        "span": lambda f: _spans(f.today),
        "busiest client": lambda f: (
            [{"client_id": f.busiest}]
            + [{"client_id": f.busiest, "status": s} for s in INVOICE_STATUSES]
            + [{"client_id": f.busiest, "period": "last_year"}]
        ),
        "every client": lambda f: [{"client_id": c} for c in f.clients],
        "number": lambda f: [
            {"number": f.number},
            {"number": f.number.lower()},
            {"number": f.number, "client_id": f.busiest},
            {"number": "no-such-number"},
        ],
        "unknown client": lambda f: [{"client_id": UNKNOWN}],
    },
    "get_invoice": {
        "kinds": lambda f: [{"invoice_id": i} for i in f.invoice_ids],
        "unknown": lambda f: [{"invoice_id": UNKNOWN}],
    },
    "search_payments": {
        "all": lambda f: [{}],
        "period": lambda f: _periods(),
        "span": lambda f: _spans(f.today),
        "client": lambda f: (
            [{"client_id": f.payer}, {"client_id": f.payer, "period": "last_year"}]
            + [{"client_id": c} for c in f.clients]
        ),
        "invoice": lambda f: [{"invoice_id": f.paid_invoice}, {"invoice_id": f.invoice_ids[2]}],
        "unknown": lambda f: [{"client_id": UNKNOWN}, {"invoice_id": UNKNOWN}],
    },
    "search_expenses": {
        "all": lambda f: [{}],
        "period": lambda f: _periods(),
        "span": lambda f: _spans(f.today),
        "category": lambda f: (
            [{"category_id": c} for c in f.categories]
            + [{"category_id": f.categories[0], "period": "last_year"}]
        ),
        "client and project": lambda f: [
            {"client_id": f.expense_client},
            {"project_id": f.expense_project},
            {"client_id": f.expense_client, "project_id": f.expense_project},
        ],
        "vendor": lambda f: [
            {"vendor": f.vendor},
            {"vendor": f.vendor[:3].upper()},
            {"vendor": "zzqx"},
        ],
        "unknown": lambda f: [{"category_id": UNKNOWN}, {"client_id": UNKNOWN}],
    },
    "list_expense_categories": {
        "all": lambda f: [{}],
        "name": lambda f: (
            [{"name": n.split()[0].lower()} for n in f.category_names[:8]] + [{"name": "zzqx"}]
        ),
    },
    "search_projects": {
        "state": lambda f: [{}, {"state": "active"}, {"state": "complete"}, {"state": "any"}],
        "client": lambda f: (
            [{"client_id": f.project_client, "state": s} for s in ("active", "complete", "any")]
            + [{"client_id": c, "state": "any"} for c in f.clients]
        ),
        "title": lambda f: (
            [{"title": t, "state": "any"} for t in f.titles]
            + [{"title": t.split()[0]} for t in f.titles]
        ),
        "unknown": lambda f: [{"client_id": UNKNOWN}],
    },
    "get_project": {
        "every project": lambda f: [{"project_id": p} for p in f.projects],
        "unknown": lambda f: [{"project_id": UNKNOWN}],
    },
    "find_project": {
        "titles": lambda f: (
            [{"name": t} for t in f.titles] + [{"name": t.split()[0].lower()} for t in f.titles]
        ),
        "within a client": lambda f: [
            {"name": t, "client_id": f.project_client} for t in f.titles[:3]
        ],
        "nothing": lambda f: [{"name": "zzqx"}],
    },
    "search_time_entries": {
        "all": lambda f: [{}],
        "period": lambda f: _periods() + _periods(billable=True, billed=False),
        "span": lambda f: _spans(f.today),
        "flags": lambda f: [
            {"billable": a, "billed": b} for a in (True, False, None) for b in (True, False, None)
        ],
        "client and project": lambda f: (
            [
                {"client_id": f.time_client},
                {"project_id": f.busy_project},
                {"project_id": f.busy_project, "billed": False, "period": "this_year"},
                {"client_id": f.time_client, "billable": True},
            ]
            + [{"client_id": c} for c in f.clients]
        ),
        "unknown": lambda f: [{"client_id": UNKNOWN}, {"project_id": UNKNOWN}],
    },
    "list_services": {"all": lambda f: [{}]},
    "list_team_members": {
        "all": lambda f: [{}, {"include_inactive": True}, {"include_inactive": False}]
    },
    "overdue_reminders": {
        "all": lambda f: [{}],
        "client": lambda f: (
            [{"client_id": f.overdue_client}] + [{"client_id": c} for c in f.clients]
        ),
        "unknown": lambda f: [{"client_id": UNKNOWN}],
    },
    "search_estimates": {
        "all": lambda f: [{}],
        "period": lambda f: _periods(),
        "span": lambda f: _spans(f.today),
        "client": lambda f: (
            [{"client_id": f.busiest, "period": "last_year"}]
            + [{"client_id": c} for c in f.clients]
        ),
        "unknown client": lambda f: [{"client_id": UNKNOWN}],
    },
    "search_recurring_invoices": {
        "states": lambda f: [{}] + [{"state": s} for s in ("active", "stopped", "finished", "all")],
        "clients": lambda f: [{"client_id": p.customerid} for p in f.snap.invoice_profiles],
        "currencies": lambda f: [{"currency_code": c} for c in ("USD", "EUR", "GBP", "CAD")],
    },
    "get_estimate": {
        "every estimate": lambda f: [{"estimate_id": e.id} for e in f.snap.estimates],
        "unknown": lambda f: [{"estimate_id": UNKNOWN}],
    },
    "cash_forecast": {
        "all": lambda f: [{}],
        "one currency, a month": lambda f: [{"currency": "USD", "weeks": 4}],
    },
    # Timers live in the app's store (none in these contexts): the same answer on both paths.
    "running_timers": {"no store": lambda f: [{}]},
    # API-only tools, run on both paths all the same.
    "profit_and_loss": {"all": lambda f: [{}]},
    "accounts_aging": {"all": lambda f: [{}]},
    "payments_collected": {"all": lambda f: [{}]},
    "tax_summary": {"all": lambda f: [{}]},
}
# get_* of an id the mirror does not hold asks FreshBooks (see test_a_record_missing_...).
MISSES = {
    ("get_client", "unknown"),
    ("get_invoice", "unknown"),
    ("get_project", "unknown"),
    ("get_estimate", "unknown"),
}


# --- running a tool on one path ---------------------------------------------------------


def _parse(tool: Tool[Any], given: dict[str, Any]) -> Any:
    # As a strict-mode model sends them: every argument present, null where not given.
    return tool.parse(json.dumps(dict.fromkeys(tool.args.model_fields) | given, default=str))


def _run(tool: Tool[Any], ctx: ToolContext, given: dict[str, Any]) -> Any:
    """The tool's JSON result, or the structured error the loop would hand the model."""
    try:
        result = tool.handler(ctx, _parse(tool, given))
    except Exception as exc:
        result = {"raised": error_result(exc)}
    return json.loads(json.dumps(result, default=str))


def _both(world: World, name: str, given: dict[str, Any]) -> tuple[Any, Any, int]:
    """(API result, mirror result, requests the mirror path made)."""
    tool = build_registry().get(name)
    assert tool is not None, name
    from_api = _run(tool, world.api, given)
    before = world.counting.count
    from_mirror = _run(tool, world.mirror, given)
    return from_api, from_mirror, world.counting.count - before


def _without_full_headlines(summary: dict[str, Any]) -> dict[str, Any]:
    # The summary without a snapshot reads only open invoices and unbilled time: the year's
    # headlines and the snapshot's time stamp are what the mirror adds, by design.
    out = {k: v for k, v in summary.items() if k != "as_of"}
    out["by_currency"] = {
        code: {k: v for k, v in values.items() if k not in YEAR_HEADLINES}
        for code, values in summary["by_currency"].items()
    }
    out["by_currency"] = {code: v for code, v in out["by_currency"].items() if v}
    return out


# --- the tests ---------------------------------------------------------------------------


def test_every_read_tool_has_cases():
    reads = {t.name for t in build_registry().available(read_only=True)}
    assert reads == set(CASES)
    assert reads >= API_ONLY


# One test per tool (its cases in a loop): the suite stays small enough to count as a
# partial run for the secret scan (tests/secret_scan.py LARGE_RUN).
@pytest.mark.parametrize("name", list(CASES))
def test_the_mirror_answers_as_freshbooks_does(world, name):
    for label, build in CASES[name].items():
        cases = build(world.facts)
        assert cases, label
        for given in cases:
            from_api, from_mirror, requests = _both(world, name, given)
            if name == "business_summary":
                stamp = world.snap.fetched_at.isoformat(timespec="seconds")
                assert from_mirror["as_of"] == stamp
                assert "collected_year" in from_mirror["by_currency"]["USD"]
                from_api = _without_full_headlines(from_api)
                from_mirror = _without_full_headlines(from_mirror)
            assert from_mirror == from_api, (label, given)
            if name in API_ONLY:
                continue
            if (name, label) in MISSES:
                # The one request that finds it is not there.
                assert requests == 1, (label, given)
                assert from_mirror["raised"]["error"] == "NotFoundError"
            else:
                assert requests == 0, (label, given)


def test_the_cases_see_records_not_only_empty_answers(world):
    facts = world.facts
    rich = {
        "search_invoices": {"client_id": facts.busiest},
        "search_payments": {"client_id": facts.payer},
        "search_expenses": {"category_id": facts.categories[0]},
        "search_time_entries": {"project_id": facts.busy_project},
        "overdue_reminders": {},
        "search_clients": {"balance": "overdue"},
    }
    for name, given in rich.items():
        from_api, from_mirror, _ = _both(world, name, given)
        assert from_mirror == from_api
        assert from_mirror["count"] > 0, name
    invoices, _, _ = _both(world, "search_invoices", {})
    assert invoices["count"] == len(world.snap.invoices) > 100
    estimates, _, requests = _both(world, "search_estimates", {})
    assert estimates["count"] == len(world.snap.estimates) > 0
    assert requests == 0


def test_the_page_bound_cuts_the_same_records(world, monkeypatch):
    # One page of 100 instead of ten: both paths read the same first 100 in FreshBooks' order
    # (totals are over those) and both say more exist.
    for name, module in (
        ("search_invoices", "invoices"),
        ("search_payments", "payments"),
        ("search_expenses", "expenses"),
        ("search_time_entries", "time_entries"),
    ):
        monkeypatch.setattr(f"agent.tools.{module}.LIST_PAGES", 1)
        from_api, from_mirror, requests = _both(world, name, {})
        assert from_mirror == from_api, name
        assert requests == 0, name
        assert from_mirror["count"] == 100, name
        assert "narrow the search" in from_mirror["note"], name


def test_client_balances_are_freshbooks_balance_includes(world):
    # Every balance include (outstanding, overdue, credit, draft), per client and currency,
    # computed from the mirrored invoices as FreshBooks computes it.
    owed = _mirror.client_balances(world.snap.invoices, world.today)
    for client in world.snap.clients:
        theirs = world.books.clients.get(client.id, include=_mirror.BALANCES)
        mine = _mirror.with_balances(client, owed.get(client.id, {}))
        for name in _mirror.BALANCES:
            assert getattr(mine, name) == getattr(theirs, name), (client.id, name)
    assert any(
        c.outstanding_balance for c in world.books.clients.list(include=["outstanding_balance"])
    )


def test_the_mirror_decides_overdue_today_not_on_the_day_it_synced(world):
    # An invoice mirrored as "sent" (synced before its due date) that is past due today.
    snap = world.snap
    overdue = next(i for i in snap.invoices if i.v3_status == "overdue")
    stale = overdue.model_copy(update={"v3_status": "sent"})
    older = snap.replace(invoices=[stale if i.id == overdue.id else i for i in snap.invoices])
    ctx = dataclasses.replace(world.mirror, snapshot=lambda: older)
    tool = build_registry().get("search_invoices")
    assert tool is not None
    mirrored = _run(tool, ctx, {"status": "overdue"})
    from_api = _run(tool, world.api, {"status": "overdue"})
    assert mirrored == from_api
    assert overdue.id in {r["id"] for r in mirrored["rows"]}
    # Sent and not yet due: what FreshBooks says today (some days, an invoice due today), and
    # never the stale one.
    sent = _run(tool, ctx, {"status": "sent"})
    assert sent == _run(tool, world.api, {"status": "sent"})
    assert overdue.id not in {r["id"] for r in sent["rows"]}


def test_a_record_missing_from_the_mirror_is_asked_of_freshbooks(world):
    # Made since the last sync: the mirror does not hold it, FreshBooks does.
    facts = world.facts
    snap = world.snap
    registry = build_registry()
    for name, part, given in (
        ("get_invoice", "invoices", {"invoice_id": facts.paid_invoice}),
        ("get_client", "clients", {"client_id": facts.busiest}),
        ("get_project", "projects", {"project_id": facts.projects[0]}),
        ("get_estimate", "estimates", {"estimate_id": snap.estimates[0].id}),
    ):
        (wanted,) = given.values()
        behind = snap.replace(**{part: [r for r in getattr(snap, part) if r.id != wanted]})
        ctx = dataclasses.replace(world.mirror, snapshot=lambda behind=behind: behind)
        tool = registry.get(name)
        assert tool is not None
        before = world.counting.count
        found = _run(tool, ctx, given)
        assert world.counting.count > before, name
        assert "raised" not in found, found
        assert found == _run(tool, world.api, given), name


# --- boundaries the seeded books do not reach ------------------------------------------


def test_overdue_is_decided_as_freshbooks_decides_it():
    # Due yesterday, today (not late yet), tomorrow, never; owed or not; every sending state.
    today = date(2026, 3, 10)
    states = [("draft", 1), ("sent", 2), ("viewed", 3), ("disputed", 0), ("partial", 8)]
    states.append(("paid", 4))
    for (v3_status, status), owed, due in product(states, ["0.00", "10.00"], [-1, 0, 1, None]):
        record = {
            "id": 1,
            "v3_status": v3_status,
            "status": status,
            "due_date": None if due is None else (today + timedelta(days=due)).isoformat(),
            "outstanding": {"amount": owed, "code": "USD"},
        }
        invoice = Invoice.model_validate(record)
        expected = invoicing.is_overdue(record, today)
        assert _mirror.is_overdue(invoice, today) is expected, record


def test_time_filters_include_both_ends_to_the_second(world):
    start, end = day_window(date(2026, 3, 10), date(2026, 3, 10), "America/New_York")
    moments = {
        1: start - timedelta(seconds=1),
        2: start,
        3: end,
        4: end + timedelta(seconds=1),
    }
    entries = [TimeEntry(id=key, started_at=moment, duration=60) for key, moment in moments.items()]
    snap = world.snap.replace(time_entries=entries)
    found = _mirror.time_entries(snap, TimeQuery(pages=1, started_from=start, started_to=end))
    assert [e.id for e in found] == [3, 2]
