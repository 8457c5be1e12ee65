"""One definition of draft and overdue: the invoice model's rules, the frames' vectorized
columns and masks, and the sandbox (which plays FreshBooks) say the same of every invoice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import product

import pytest

from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.models.invoices import Invoice
from fbclient.snapshot import Snapshot
from insights.frames import build_frames, overdue_mask
from insights.receivables import open_invoices, overdue_invoices
from sandbox.core import invoicing

from ..support.model_builders import TODAY, snapshot
from ..support.snapshot import fetch_snapshot

# The seeded books at several days: the day they were read, earlier, and later.
DAYS_FROM_READ = [-400, -45, 0, 1, 30]


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Snapshot, date]]:
    """The demo books (small, seed 7) as a snapshot, and the business's day they were read."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig
    from sandbox.demo_token import issue_token

    app = create_app(SandboxConfig(size="small", seed=7))
    transport = InProcessTransport(app)
    fb = FreshBooksClient.with_access_token(
        issue_token(app)["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        business = fb.identity().businesses[0]
        snap = fetch_snapshot(fb.business(business), business)
        yield snap, business.today(snap.fetched_at)
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()


def _agree(invoices: list[Invoice], today: date) -> None:
    frame = build_frames(snapshot(invoices=invoices), today).invoices
    live = {i.id: i for i in invoices if i.vis_state != 1}
    assert frame["invoice_id"].tolist() == list(live)
    ids = frame["invoice_id"].tolist()
    by_model = {
        "is_draft": [live[i].is_draft for i in ids],
        "is_overdue": [live[i].is_overdue(today) for i in ids],
    }
    assert frame["is_draft"].tolist() == by_model["is_draft"]
    assert frame["is_overdue"].tolist() == by_model["is_overdue"]
    assert overdue_mask(frame, today).tolist() == by_model["is_overdue"]
    overdue = {i for i, inv in live.items() if inv.is_overdue(today)}
    assert set(overdue_invoices(frame, today)["invoice_id"]) == overdue
    owing = {i for i, inv in live.items() if not inv.is_draft and inv.owed > 0}
    assert set(open_invoices(frame)["invoice_id"]) == owing
    late = frame.loc[frame["is_overdue"], ["invoice_id", "days_overdue"]]
    for invoice_id, days in late.itertuples(index=False):
        due = live[invoice_id].due_date
        assert due is not None
        assert days == (today - due).days > 0


@pytest.mark.parametrize("days", DAYS_FROM_READ)
def test_frames_follow_the_model_on_every_demo_invoice(demo, days):
    snap, read_on = demo
    today = read_on + timedelta(days=days)
    _agree(list(snap.invoices), today)
    if days == 0:
        # The demo has drafts, overdue and open invoices: the rules are exercised.
        assert any(i.is_draft for i in snap.invoices)
        assert any(i.is_overdue(today) for i in snap.invoices)


def test_the_model_decides_overdue_as_the_sandbox_does_on_the_demo(demo):
    snap, read_on = demo
    for days in DAYS_FROM_READ:
        today = read_on + timedelta(days=days)
        for invoice in snap.invoices:
            record = invoice.model_dump(mode="json")
            record["outstanding"] = format(invoice.owed, "f")
            assert invoice.is_overdue(today) is invoicing.is_overdue(record, today), invoice.id


def _edge(n: int, v3: str | None, status: int | None, owed: str, due: int | None) -> Invoice:
    return Invoice.model_validate(
        {
            "id": n,
            "v3_status": v3,
            "status": status,
            "due_date": None if due is None else (TODAY + timedelta(days=due)).isoformat(),
            "amount": {"amount": "10.00", "code": "USD"},
            "outstanding": {"amount": owed, "code": "USD"},
            "currency_code": "USD",
        }
    )


def test_every_status_pair_agrees_even_when_the_two_fields_disagree():
    # FreshBooks keeps v3_status and status in step; a record where they disagree (or one is
    # missing) is still decided the same way everywhere.
    v3s = [None, "draft", "created", "sent", "viewed", "partial", "paid", "disputed", "overdue"]
    pairs = product(v3s, [None, 0, 1, 2, 3, 4, 8], ["0.00", "10.00"], [-1, 0, 1, None])
    invoices = [_edge(n, *pair) for n, pair in enumerate(pairs, start=1)]
    _agree(invoices, TODAY)
    for invoice in invoices:
        record = {
            "v3_status": invoice.v3_status,
            "status": invoice.status,
            "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
            "outstanding": format(invoice.owed, "f"),
        }
        assert invoice.is_overdue(TODAY) is invoicing.is_overdue(record, TODAY), record


def test_draft_is_either_status_field():
    assert _edge(1, "draft", None, "1", 0).is_draft
    assert _edge(1, None, 1, "1", 0).is_draft
    assert _edge(1, "sent", 1, "1", 0).is_draft  # the status code says draft: not sent yet
    assert not _edge(1, "sent", 2, "1", 0).is_draft
    assert not _edge(1, None, None, "1", 0).is_draft
    assert _edge(1, None, None, "1", 0).currency == "USD"
