"""Receivables: per-currency totals, overdue boundaries, aging buckets, debtors, days to pay."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from insights.frames import build_frames
from insights.receivables import (
    AGING_BUCKETS,
    FRESHBOOKS_AGING_BUCKETS,
    accounts_aging,
    accounts_aging_detail,
    accounts_aging_totals,
    aging_bucket,
    aging_buckets,
    days_to_pay,
    freshbooks_aging_bucket,
    open_invoices,
    overdue_invoices,
    receivables_summary,
    top_debtors,
)

from ..support.model_builders import TODAY, client, invoice, payment, snapshot

D = Decimal


@pytest.mark.parametrize(
    ("days", "bucket", "freshbooks"),
    [
        (-10, "Not due", "0-30"),
        (0, "Not due", "0-30"),
        (1, "1-30", "0-30"),
        (30, "1-30", "0-30"),
        (31, "31-60", "31-60"),
        (60, "31-60", "31-60"),
        (61, "61-90", "61-90"),
        (90, "61-90", "61-90"),
        (91, "91+", "91+"),
        (400, "91+", "91+"),
    ],
)
def test_bucket_boundaries(days, bucket, freshbooks):
    assert aging_bucket(days) == bucket
    assert freshbooks_aging_bucket(days) == freshbooks


def _due_days_ago(days: int, id: int = 1, amount: str = "100.00", **kw) -> object:
    due = TODAY - timedelta(days=days)
    return invoice(
        id, amount, created=(due - timedelta(days=30)).isoformat(), due=due.isoformat(), **kw
    )


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [(0, "Not due"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (90, "61-90"), (91, "91+")],
)
def test_aging_bucket_of_an_invoice_due_n_days_ago(days_late, bucket):
    frames = build_frames(snapshot(invoices=[_due_days_ago(days_late)]), TODAY)
    table = aging_buckets(frames.invoices, TODAY)
    assert table["bucket"].tolist() == list(AGING_BUCKETS)
    amounts = dict(zip(table["bucket"], table["amount"], strict=True))
    assert amounts == {b: (D("100.00") if b == bucket else D(0)) for b in AGING_BUCKETS}


def test_summary_keeps_currencies_apart_and_ignores_drafts(two_currency_frames):
    table = receivables_summary(two_currency_frames.invoices, TODAY)
    assert table.to_dict("records") == [
        {
            "currency": "EUR",
            "outstanding": D("250.00"),
            "open_count": 1,
            "overdue": D("250.00"),
            "overdue_count": 1,
        },
        {
            "currency": "USD",
            "outstanding": D("130.00"),  # 100 + (40 - 10 partial); the 999 draft is not owed
            "open_count": 2,
            "overdue": D("100.00"),
            "overdue_count": 1,
        },
    ]


def test_overdue_is_strictly_before_today():
    frames = build_frames(
        snapshot(invoices=[_due_days_ago(0, 1), _due_days_ago(1, 2), _due_days_ago(45, 3)]), TODAY
    )
    late = overdue_invoices(frames.invoices, TODAY)
    assert late["invoice_id"].tolist() == [3, 2]  # most overdue first
    assert late["days_overdue"].tolist() == [45, 1]


def test_paid_and_draft_invoices_are_not_open():
    frames = build_frames(
        snapshot(
            invoices=[
                _due_days_ago(5, 1, paid="100.00", date_paid="2026-06-01"),
                _due_days_ago(5, 2, state="draft"),
                _due_days_ago(5, 3, paid="60.00"),
            ]
        ),
        TODAY,
    )
    found = open_invoices(frames.invoices)
    assert found["invoice_id"].tolist() == [3]
    assert found["outstanding"].tolist() == [D("40.00")]


def test_accounts_aging_owed_as_of_a_date_counts_only_payments_until_then():
    invoices = [
        invoice(
            1,
            "100.00",
            created="2026-01-01",
            due="2026-01-31",
            paid="100.00",
            date_paid="2026-03-01",
        ),
        invoice(2, "80.00", created="2026-05-20", due="2026-06-19", currency="EUR", client_id=2),
        invoice(3, "50.00", created="2026-06-20", due="2026-07-20"),  # after as_of
        invoice(4, "70.00", state="draft", created="2026-01-01"),
    ]
    payments = [
        payment(1, 1, "40.00", "2026-02-10"),
        payment(2, 1, "60.00", "2026-03-01"),
    ]
    frames = build_frames(
        snapshot(invoices=invoices, payments=payments, clients=[client(1, "Acme")]), TODAY
    )
    as_of = date(2026, 2, 20)  # invoice 1 owes 60 then, 20 days late
    aging = accounts_aging(frames.invoices, frames.payments, as_of)
    assert aging.to_dict("records") == [
        {
            "currency": "USD",
            "client_id": 1,
            "client": "Acme",
            "0-30": D("60.00"),
            "31-60": D(0),
            "61-90": D(0),
            "91+": D(0),
            "total": D("60.00"),
        }
    ]
    later = accounts_aging_totals(accounts_aging(frames.invoices, frames.payments, TODAY))
    assert later[["currency", *FRESHBOOKS_AGING_BUCKETS, "total"]].to_dict("records") == [
        {
            "currency": "EUR",
            "0-30": D("80.00"),
            "31-60": D(0),
            "61-90": D(0),
            "91+": D(0),
            "total": D("80.00"),
        }
    ]
    detail = accounts_aging_detail(frames.invoices, frames.payments, as_of)
    assert detail[["invoice_id", "owed", "days_past_due", "bucket"]].values.tolist() == [
        [1, D("60.00"), 20, "0-30"]
    ]


def test_top_debtors_per_currency_largest_first_and_limited():
    invoices = [
        _due_days_ago(10, 1, "50.00", client_id=1),
        _due_days_ago(-5, 2, "500.00", client_id=2),
        _due_days_ago(40, 3, "20.00", client_id=3),
        _due_days_ago(40, 4, "30.00", client_id=1),
        _due_days_ago(3, 5, "900.00", client_id=4, currency="EUR"),
    ]
    frames = build_frames(snapshot(invoices=invoices), TODAY)
    table = top_debtors(frames.invoices, TODAY, limit=2)
    assert table[
        ["currency", "client_id", "outstanding", "overdue", "max_days_overdue"]
    ].values.tolist() == [
        ["EUR", 4, D("900.00"), D("900.00"), 3],
        ["USD", 2, D("500.00"), D(0), 0],
        ["USD", 1, D("80.00"), D("80.00"), 40],
    ]


def test_days_to_pay_averages_paid_invoices_only():
    invoices = [
        invoice(1, created="2026-01-01", paid="100.00", date_paid="2026-01-11"),
        invoice(2, created="2026-02-01", paid="100.00", date_paid="2026-02-06"),
        invoice(3, created="2026-03-01", paid="50.00"),  # partial: not counted
        invoice(4, created="2026-03-01", client_id=2, paid="100.00", date_paid="2026-03-04"),
    ]
    frames = build_frames(
        snapshot(invoices=invoices, clients=[client(1, "Acme"), client(2, "Bee")]), TODAY
    )
    table = days_to_pay(frames.invoices)
    assert table.to_dict("records") == [
        {"client_id": 1, "client": "Acme", "paid_invoices": 2, "avg_days_to_pay": 7.5},
        {"client_id": 2, "client": "Bee", "paid_invoices": 1, "avg_days_to_pay": 3.0},
    ]
