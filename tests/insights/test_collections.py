"""The chase list and late-payment risk, against the business rules computed another way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from insights.collections import (
    LATE_DAYS,
    SOON_DAYS,
    Chased,
    chase_list,
    draft_reminder,
    late_payment_risk,
    tone_for,
)
from insights.frames import build_frames

from ..support.synced_sandbox import synced_sandbox


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator:
    with synced_sandbox(tmp_path_factory.mktemp("collections")) as synced:
        now = synced.business.now()
        today = synced.business.today(now)
        yield synced.snap, today, build_frames(synced.snap, today)


def test_the_chase_list_holds_every_overdue_invoice(demo):
    snap, today, frames = demo
    # The rule on the model, invoice by invoice: no frames, no pandas.
    overdue = {i.id for i in snap.invoices if i.vis_state == 0 and i.is_overdue(today)}
    assert overdue, "the demo business has overdue invoices"
    listed = chase_list(frames.invoices, frames.payments, today)
    late = set(listed[listed["days_late"] > 0]["invoice_id"])
    assert late == overdue
    soon = listed[listed["days_late"] <= 0]
    assert all(-SOON_DAYS <= d <= 0 for d in soon["days_late"])
    assert listed["invoice_id"].is_unique


def test_the_list_is_ranked_and_late_ones_come_before_heads_ups(demo):
    _snap, today, frames = demo
    listed = chase_list(frames.invoices, frames.payments, today)
    scores = list(listed["score"])
    assert scores == sorted(scores, reverse=True)
    assert set(listed["tone"]) <= {"heads-up", "friendly", "firm", "final"}


def test_reminders_sent_lower_an_invoices_rank_and_firm_its_tone(demo):
    _snap, today, frames = demo
    before = chase_list(frames.invoices, frames.payments, today)
    top = before.iloc[0]
    chased = {int(top["invoice_id"]): Chased(2, datetime.now(UTC))}
    after = chase_list(frames.invoices, frames.payments, today, chased)
    row = after[after["invoice_id"] == top["invoice_id"]].iloc[0]
    assert row["reminders_sent"] == 2
    assert row["score"] < top["score"]
    assert row["tone"] in ("firm", "final")


def test_risk_is_the_clients_share_paid_late_smoothed_toward_the_business(demo):
    snap, today, frames = demo
    risks = late_payment_risk(frames.invoices, frames.payments, today)
    # By hand, from the models: per client, invoices paid in full and how late.
    late_by_client: dict[int, list[bool]] = {}
    paid_on: dict[int, list] = {}
    for payment in snap.payments:
        if payment.invoiceid and payment.date and payment.date <= today:
            paid_on.setdefault(payment.invoiceid, []).append(payment)
    for invoice in snap.invoices:
        pays = paid_on.get(invoice.id, [])
        if invoice.vis_state == 1 or not pays or invoice.amount is None:
            continue
        if sum((p.amount.amount for p in pays), Decimal(0)) < invoice.amount.amount:
            continue
        due = invoice.due_date or invoice.create_date
        last = max(p.date for p in pays)
        late_by_client.setdefault(invoice.customerid, []).append((last - due).days > LATE_DAYS)
    everyone = [flag for flags in late_by_client.values() for flag in flags]
    prior = sum(everyone) / len(everyone)
    assert risks[-1] == pytest.approx(prior)
    for client, flags in late_by_client.items():
        assert risks[client] == pytest.approx((sum(flags) + 3 * prior) / (len(flags) + 3))


@pytest.mark.parametrize(
    ("days", "sent", "tone"),
    [
        (-3, 0, "heads-up"),
        (5, 0, "friendly"),
        (5, 1, "firm"),
        (20, 0, "firm"),
        (60, 0, "final"),
        (20, 5, "final"),
    ],
)
def test_the_tone_follows_lateness_and_reminders(days, sent, tone):
    assert tone_for(days, sent) == tone


def test_drafts_name_the_invoice_amount_and_lateness():
    draft = draft_reminder(
        number="0042",
        greeting="Ana",
        owed="$1,200.00",
        due=datetime(2026, 5, 1).date(),
        days_late=40,
        tone="firm",
        business="Doe Design",
    )
    assert draft["subject"] == "Overdue: invoice 0042 ($1,200.00)"
    assert "40 days ago" in draft["body"]
    assert draft["body"].startswith("Hi Ana,")
    assert draft["body"].endswith("Doe Design")
    heads_up = draft_reminder(
        number="7",
        greeting=None,
        owed="€10.00",
        due=datetime(2026, 5, 1).date() + timedelta(3),
        days_late=-3,
        tone="heads-up",
        business="B",
    )
    assert "is due on 04 May 2026" in heads_up["body"]
    final = {
        "number": "9",
        "greeting": "Bo",
        "owed": "$5.00",
        "due": None,
        "days_late": 90,
        "tone": "final",
        "business": "B",
    }
    assert "despite earlier reminders" not in draft_reminder(**final)["body"]
    assert "despite earlier reminders" in draft_reminder(**final, reminders=2)["body"]
    assert heads_up["body"].startswith("Hi there,")


def test_every_open_invoice_has_a_risk_between_0_and_1(demo):
    from insights.collections import invoice_risks
    from insights.frames import owed_mask

    _snap, today, frames = demo
    risks = invoice_risks(frames.invoices, frames.payments, today)
    open_ = frames.invoices[~frames.invoices["is_draft"] & owed_mask(frames.invoices)]
    assert set(risks.index) == set(open_["invoice_id"])
    assert risks.between(0, 1).all()
