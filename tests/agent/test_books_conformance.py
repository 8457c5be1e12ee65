"""The mirror's copy of FreshBooks' list filters answers as the sandbox (playing FreshBooks) does.

One small sandbox (seed 7) and a :class:`~copilot.mirror.Mirror` synced from it. For a table
of filter combinations per list, :class:`~agent.books.ApiBooks` asks the sandbox and
:class:`~agent.books.MirrorBooks` answers from the mirror: the records (ids, in order), the
``truncated`` flag and, for clients, the balance includes must be identical, and the mirror
must not reach the sandbox. A filter the mirror reads differently fails here, not in a chat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from agent.books import CLIENT_BALANCES, ApiBooks, Books, MirrorBooks
from agent.queries import (
    ClientQuery,
    EstimateQuery,
    ExpenseQuery,
    InvoiceQuery,
    ListQuery,
    PaymentQuery,
    ProjectQuery,
    TimeQuery,
)
from agent.tools.dates import day_window
from fbclient.identity import Business
from fbclient.snapshot import Snapshot

from ..support.synced_sandbox import synced_sandbox
from ..support.transports import CountingTransport

UNKNOWN = 987654321
PAGES = 10
STATUSES = ("draft", "sent", "viewed", "partial", "paid", "overdue", "disputed", "autopaid")


@dataclass
class Both:
    """The two implementations over the same books, and what the cases pick from them."""

    api: Books
    mirror: Books
    snap: Snapshot
    business: Business
    today: date
    counting: CountingTransport


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    with synced_sandbox(tmp_path_factory.mktemp("books")) as synced:
        business, snap = synced.business, synced.snap
        today = business.today(business.now())
        api = ApiBooks(synced.books)
        yield Both(
            api=api,
            mirror=MirrorBooks(lambda: snap, api, today=today, accounting=True),
            snap=snap,
            business=business,
            today=today,
            counting=synced.counting,
        )


def _spans(today: date) -> list[dict[str, Any]]:
    last_year = today.year - 1
    return [
        {"date_min": date(last_year, 1, 1), "date_max": date(last_year, 12, 31)},
        {"date_min": date(last_year, 1, 1)},
        {"date_max": date(last_year, 6, 30)},
        {"date_min": today, "date_max": today},
        {"date_min": today - timedelta(days=30), "date_max": today},
    ]


def _client_cases(b: Both) -> list[dict[str, Any]]:
    names = [c.display_name for c in b.snap.clients]
    email = next(c.email for c in b.snap.clients if c.email)
    has = ("outstanding", "overdue", "draft", "credit")
    return (
        [{}, {"balances": CLIENT_BALANCES}, {"pages": 1}]
        + [{"user_like": n.split()[0]} for n in names]
        + [{"user_like": n.upper(), "balances": CLIENT_BALANCES} for n in names[:5]]
        + [{"email_like": email}, {"email_like": "@" + email.split("@")[1].upper()}]
        + [{"has": h, "balances": CLIENT_BALANCES} for h in has]
        + [{"user_like": n.split()[0], "has": "outstanding"} for n in names[:8]]
        + [{"user_like": "zzqx"}]
    )


def _invoice_cases(b: Both) -> list[dict[str, Any]]:
    invoices = b.snap.invoices
    busiest = Counter(i.customerid for i in invoices).most_common(1)[0][0]
    number = next(i.invoice_number for i in invoices if i.invoice_number)
    clients = sorted({c.id for c in b.snap.clients})
    return (
        [{}, {"pages": 1}]
        + [{"v3_status": s} for s in STATUSES]
        + [{"customerid": c} for c in clients]
        + [{"customerid": busiest, "v3_status": s} for s in STATUSES]
        + _spans(b.today)
        + [{"customerid": busiest, **span} for span in _spans(b.today)]
        + [{"v3_status": "paid", **span} for span in _spans(b.today)]
        + [
            {"invoice_number": number},
            {"invoice_number": number.lower()},
            {"invoice_number": number, "customerid": busiest},
            {"invoice_number": "no-such-number"},
            {"customerid": UNKNOWN},
        ]
    )


def _payment_cases(b: Both) -> list[dict[str, Any]]:
    payments = b.snap.payments
    invoice = Counter(p.invoiceid for p in payments).most_common(1)[0][0]
    clients = sorted({c.id for c in b.snap.clients})
    return (
        [{}, {"pages": 1}, {"invoiceid": invoice}, {"invoiceid": UNKNOWN}]
        + [{"clientid": c} for c in clients]
        + _spans(b.today)
        + [{"clientid": clients[0], **span} for span in _spans(b.today)]
    )


def _expense_cases(b: Both) -> list[dict[str, Any]]:
    expenses = b.snap.expenses
    categories = [c for c, _ in Counter(e.categoryid for e in expenses).most_common(3)]
    client = next(e.clientid for e in expenses if e.clientid)
    project = next((e.projectid for e in expenses if e.projectid), b.snap.projects[0].id)
    vendor = next(e.vendor for e in expenses if e.vendor)
    return (
        [{}, {"pages": 1}]
        + [{"categoryid": c} for c in categories]
        + [{"categoryid": categories[0], **span} for span in _spans(b.today)]
        + [{"clientid": client}, {"projectid": project}, {"clientid": client, "projectid": project}]
        + [{"vendor_like": vendor}, {"vendor_like": vendor[:3].upper()}, {"vendor_like": "zzqx"}]
        + _spans(b.today)
        + [{"categoryid": UNKNOWN}, {"clientid": UNKNOWN}]
    )


def _estimate_cases(b: Both) -> list[dict[str, Any]]:
    clients = sorted({e.customerid for e in b.snap.estimates if e.customerid})
    return (
        [{}, {"pages": 1}]
        + [{"customerid": c} for c in clients]
        + _spans(b.today)
        + [{"customerid": clients[0], **span} for span in _spans(b.today)]
        + [{"customerid": UNKNOWN}]
    )


def _project_cases(b: Both) -> list[dict[str, Any]]:
    clients = sorted({p.client_id for p in b.snap.projects if p.client_id})
    flags = [{}, {"active": True}, {"active": False}, {"complete": True}, {"complete": False}]
    return (
        [{**f, "by_title": t} for f in flags for t in (False, True)]
        + [{"active": True, "complete": False, "by_title": True}]
        + [{"client_id": c} for c in clients]
        + [{"client_id": c, "active": True, "by_title": True} for c in clients]
        + [{"client_id": UNKNOWN}, {"pages": 1}]
    )


def _time_cases(b: Both) -> list[dict[str, Any]]:
    entries = b.snap.time_entries
    project = Counter(e.project_id for e in entries if e.project_id).most_common(1)[0][0]
    client = next(e.client_id for e in entries if e.client_id)
    tz = b.business.timezone

    def days(start: date, end: date) -> dict[str, datetime]:
        first, last = day_window(start, end, tz)
        return {"started_from": first, "started_to": last}

    year = date(b.today.year, 1, 1)
    return (
        [{}, {"pages": 1}]
        + [
            {"billable": a, "billed": c}
            for a in (True, False, None)
            for c in (True, False, None)
            if (a, c) != (None, None)
        ]
        + [{"client_id": client}, {"project_id": project}, {"client_id": UNKNOWN}]
        + [{"project_id": project, "billed": False, **days(year, b.today)}]
        + [days(b.today - timedelta(days=7), b.today), days(year, b.today)]
        + [{"started_from": days(year, b.today)["started_from"]}]
        + [{"started_to": days(year, year)["started_to"]}]
    )


def _key(record: Any) -> Any:
    return getattr(record, "id", None) or getattr(record, "uuid", None)


def _read(found: Any) -> tuple[list[Any], bool]:
    return [_key(r) for r in found], found.truncated


def _with_balances(found: Any) -> tuple[list[Any], bool]:
    rows = [(c.id, *(tuple(getattr(c, name)) for name in CLIENT_BALANCES)) for c in found]
    return rows, found.truncated


Cases = Callable[[Both], list[dict[str, Any]]]
LISTS: dict[str, Cases] = {
    "clients": _client_cases,
    "invoices": _invoice_cases,
    "payments": _payment_cases,
    "estimates": _estimate_cases,
    "expenses": _expense_cases,
    "expense_categories": lambda b: [{}, {"pages": 1}],
    "projects": _project_cases,
    "services": lambda b: [{}, {"pages": 1}],
    "team_members": lambda b: [{}],
    "time_entries": _time_cases,
}


QUERIES: dict[str, type[ListQuery]] = {
    "clients": ClientQuery,
    "invoices": InvoiceQuery,
    "payments": PaymentQuery,
    "estimates": EstimateQuery,
    "expenses": ExpenseQuery,
    "projects": ProjectQuery,
    "time_entries": TimeQuery,
}


def _list(books: Books, name: str, given: dict[str, Any]) -> Any:
    # A filtered list takes one query object; the others take only ``pages``.
    read = getattr(books, name)
    return read(QUERIES[name](**given)) if name in QUERIES else read(**given)


@pytest.mark.parametrize("name", list(LISTS))
def test_the_mirror_lists_what_freshbooks_lists(both, name):
    read = _with_balances if name == "clients" else _read
    seen = 0
    for case in LISTS[name](both):
        given = {"pages": PAGES, **case}
        theirs = read(_list(both.api, name, given))
        before = both.counting.count
        mine = read(_list(both.mirror, name, given))
        assert both.counting.count == before, (name, case)  # the mirror asked nothing
        assert mine == theirs, (name, case)
        seen += len(theirs[0])
    assert seen, name  # the cases reach records, not only empty answers


def test_a_page_bound_cuts_the_same_records(both):
    # One page of 100: the same first records in FreshBooks' order, and both say more exist.
    for name in ("invoices", "payments", "expenses", "time_entries"):
        theirs = _read(_list(both.api, name, {"pages": 1}))
        mine = _read(_list(both.mirror, name, {"pages": 1}))
        assert mine == theirs, name
        assert len(mine[0]) == 100, name
        assert mine[1], name


def test_one_record_is_the_same_from_either(both):
    snap = both.snap
    for client in snap.clients:
        if client.vis_state != 1:
            mine, theirs = both.mirror.client(client.id), both.api.client(client.id)
            for name in CLIENT_BALANCES:
                assert getattr(mine, name) == getattr(theirs, name), (client.id, name)
    for invoice in snap.invoices[:40]:
        mine_invoice = both.mirror.invoice(invoice.id)
        assert mine_invoice == both.api.invoice(invoice.id), invoice.id
        mine_paid = both.mirror.invoice_payments(mine_invoice, limit=10)
        theirs_paid = both.api.invoice_payments(mine_invoice, limit=10)
        assert [p.id for p in mine_paid] == [p.id for p in theirs_paid], invoice.id
    for estimate in snap.estimates[:20]:
        assert both.mirror.estimate(estimate.id) == both.api.estimate(estimate.id), estimate.id
    for project in snap.projects:
        assert both.mirror.project(project.id).id == both.api.project(project.id).id
