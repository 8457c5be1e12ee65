"""Estimate write tools on the sandbox: each card comes first and changes nothing; then the
effect re-read through fbclient; an accepted estimate becomes a draft invoice with the same
lines, others are refused, and undo takes the draft back."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from agent.tools.estimate_invoice import from_estimate_note
from fbclient.models.estimates import Estimate, EstimateStatus

from ..support.sandbox_tools import card_text, sandbox_env

D = Decimal
CENT = D("0.01")
LINES = [
    {
        "name": "Site audit",
        "description": "Two days on site",
        "quantity": "2",
        "unit_cost": "480.00",
        "tax_name": "HST",
        "tax_percent": "13",
    },
    {
        "name": "Report",
        "description": None,
        "quantity": "1.5",
        "unit_cost": "99.99",
        "tax_name": None,
        "tax_percent": None,
    },
]


@pytest.fixture(scope="module")
def env():
    with sandbox_env() as opened:
        yield opened


@pytest.fixture(scope="module")
def client_id(env):
    result = env.call(
        "create_client", organization="Heron Works", email="ap@heron.test", currency_code="CAD"
    )
    return result["record_ids"]["client"][0]


def _estimates(env, client_id):
    return env.books.estimates.list_page(1, 100, {"customerid": client_id}).items


def _accepted(env, estimate_id):
    """The client accepts it (in FreshBooks, on the estimate's page)."""
    env.books.estimates.update(estimate_id, {"status": int(EstimateStatus.ACCEPTED)})
    return env.books.estimates.get(estimate_id)


@pytest.fixture
def estimate_id(env, client_id):
    return env.call("create_estimate", client_id=client_id, lines=LINES, notes="Valid 30 days")[
        "record_ids"
    ]["estimate"][0]


def test_create_estimate_card_first_then_effect_then_undo(env, client_id):
    before = {e.id for e in _estimates(env, client_id)}
    card = env.propose("create_estimate", client_id=client_id, lines=LINES, terms="Net 15")
    assert {e.id for e in _estimates(env, client_id)} == before  # the card changed nothing
    assert card.title == "Create an estimate for Heron Works"
    fields = dict(card.fields)
    assert fields["Line 1: Site audit"] == "2 × 480.00 CAD = 960.00 CAD + HST 13%"
    assert fields["Line 2: Report"] == "1.5 × 99.99 CAD = 149.99 CAD"
    # 960.00 + 149.99 (149.985 to the cent, half up); tax 13% of 960.00 = 124.80.
    assert fields["Total"] == "1,234.79 CAD"
    assert fields["Terms"] == "Net 15"
    assert card.warnings == []

    result = env.call("create_estimate", client_id=client_id, lines=LINES, terms="Net 15")
    new_id = result["record_ids"]["estimate"][0]
    stored = env.books.estimates.get(new_id)
    assert (stored.customerid, stored.currency_code, stored.terms) == (client_id, "CAD", "Net 15")
    assert stored.amount.amount == D("1234.79")
    assert stored.estimate_status == EstimateStatus.DRAFT
    env.undo("create_estimate", result)
    assert new_id not in {e.id for e in _estimates(env, client_id)}


def test_update_estimate_card_first_then_effect(env, estimate_id):
    lines = [{**LINES[1], "quantity": "4"}]
    card = env.propose("update_estimate", estimate_id=estimate_id, lines=lines, po_number="PO-9")
    assert env.books.estimates.get(estimate_id).po_number in (None, "")  # nothing yet
    fields = dict(card.fields)
    assert fields["Total"] == "1,234.79 CAD → 399.96 CAD"
    assert fields["PO number"] == "— → PO-9"
    assert any("2 current lines are replaced" in w for w in card.warnings)
    env.call("update_estimate", estimate_id=estimate_id, lines=lines, po_number="PO-9")
    stored = env.books.estimates.get(estimate_id)
    assert [(line.name, line.qty) for line in stored.lines] == [("Report", D("4"))]
    assert stored.po_number == "PO-9"
    assert stored.notes == "Valid 30 days"  # untouched


def test_send_estimate_card_first_then_sent(env, estimate_id):
    card = env.propose("send_estimate_email", estimate_id=estimate_id, subject="Your quote")
    assert ("To", "ap@heron.test") in card.fields
    assert ("Subject", "Your quote") in card.fields
    assert "This draft will be marked as sent." in card.warnings
    assert env.books.estimates.get(estimate_id).estimate_status == EstimateStatus.DRAFT
    sent = env.call("send_estimate_email", estimate_id=estimate_id, recipients=["cfo@heron.test"])
    assert sent["recipients"] == ["cfo@heron.test"]
    assert env.books.estimates.get(estimate_id).estimate_status == EstimateStatus.SENT


# --- convert_estimate_to_invoice --------------------------------------------------------


def _line_amount(qty: Decimal, unit: Decimal) -> Decimal:
    return (qty * unit).quantize(CENT, rounding=ROUND_HALF_UP)


def _assert_same_lines(estimate: Estimate, invoice) -> None:
    """Line by line, the invoice is the estimate: name, quantity, unit cost, amount (each
    recomputed from quantity × unit cost too), taxes, and the totals."""
    assert len(invoice.lines) == len(estimate.lines) > 0
    for ours, theirs in zip(invoice.lines, estimate.lines, strict=True):
        assert (ours.name, ours.qty, ours.unit_cost) == (theirs.name, theirs.qty, theirs.unit_cost)
        assert ours.amount == theirs.amount
        assert ours.amount.amount == _line_amount(ours.qty, ours.unit_cost.amount)
        assert (ours.taxName1 or "", ours.taxAmount1 or 0) == (
            theirs.taxName1 or "",
            theirs.taxAmount1 or 0,
        )
    subtotal = sum((line.amount.amount for line in invoice.lines), D(0))
    assert subtotal == sum(
        (_line_amount(li.qty, li.unit_cost.amount) for li in estimate.lines), D(0)
    )
    assert invoice.amount == estimate.amount  # Decimal and currency code
    assert invoice.currency_code == estimate.currency_code


def test_a_seeded_accepted_estimate_becomes_a_draft_with_the_same_lines(env):
    accepted = [
        e
        for e in env.books.estimates.list_page(1, 100).items
        if e.estimate_status == EstimateStatus.ACCEPTED and e.vis_state == 0
    ]
    assert accepted, "the demo data holds an accepted estimate"
    estimate = env.books.estimates.get(accepted[0].id)
    card = env.propose("convert_estimate_to_invoice", estimate_id=estimate.id)
    text = card_text(card)
    assert estimate.estimate_number in card.title
    assert all(f"Line {n}:" in text for n in range(1, len(estimate.lines) + 1))
    assert dict(card.fields)["Total"] == card.amounts[0]
    assert str(estimate.amount) == card.amounts[0]

    result = env.call("convert_estimate_to_invoice", estimate_id=estimate.id)
    invoice = env.books.invoices.get(result["record_ids"]["invoice"][0])
    again = env.books.estimates.get(estimate.id)  # the estimate read back from FreshBooks
    _assert_same_lines(again, invoice)
    assert invoice.is_draft
    assert invoice.customerid == again.customerid
    assert invoice.estimateid == again.id
    assert from_estimate_note(again) in (invoice.notes or "")
    env.undo("convert_estimate_to_invoice", result)


def test_convert_card_changes_nothing_and_undo_removes_the_draft(env, client_id, estimate_id):
    estimate = _accepted(env, estimate_id)
    before = {i.id for i in env.books.invoices.list(customerid=client_id)}
    card = env.propose("convert_estimate_to_invoice", estimate_id=estimate_id, due_offset_days=15)
    assert {i.id for i in env.books.invoices.list(customerid=client_id)} == before
    fields = dict(card.fields)
    assert fields["Client"] == f"Heron Works (id {client_id})"
    assert fields["Line 1: Site audit"] == "2 × 480.00 CAD = 960.00 CAD + HST 13%"
    assert fields["Total"] == "1,234.79 CAD"
    assert card.client == "Heron Works"

    result = env.call("convert_estimate_to_invoice", estimate_id=estimate_id, due_offset_days=15)
    invoice_id = result["record_ids"]["invoice"][0]
    invoice = env.books.invoices.get(invoice_id)
    _assert_same_lines(env.books.estimates.get(estimate_id), invoice)
    assert invoice.amount.amount == D("1234.79")
    assert invoice.due_offset_days == 15
    assert invoice.notes == f"Valid 30 days\n\nFrom estimate {estimate.estimate_number}"

    # Converted once: a second time is refused, naming the invoice.
    with pytest.raises(ValueError, match=f"already invoiced: it became invoice .*{invoice_id}"):
        env.propose("convert_estimate_to_invoice", estimate_id=estimate_id)

    env.undo("convert_estimate_to_invoice", result)
    assert invoice_id not in {i.id for i in env.books.invoices.list(customerid=client_id)}
    assert env.books.invoices.get(invoice_id).vis_state == 1
    # The estimate is as it was, and can be converted again.
    assert env.books.estimates.get(estimate_id).estimate_status == EstimateStatus.ACCEPTED
    assert env.propose("convert_estimate_to_invoice", estimate_id=estimate_id).fields


def test_an_estimate_not_accepted_is_refused_with_a_sentence(env, client_id, estimate_id):
    before = {i.id for i in env.books.invoices.list(customerid=client_id)}
    with pytest.raises(ValueError, match="is draft, not accepted: only an accepted estimate"):
        env.propose("convert_estimate_to_invoice", estimate_id=estimate_id)
    with pytest.raises(ValueError, match="not accepted"):
        env.call("convert_estimate_to_invoice", estimate_id=estimate_id)
    assert {i.id for i in env.books.invoices.list(customerid=client_id)} == before


def test_an_invoiced_estimate_is_refused_naming_its_invoice(env):
    invoiced = next(
        e
        for e in env.books.estimates.list_page(1, 100).items
        if e.estimate_status == EstimateStatus.INVOICED
    )
    made = next(
        i
        for i in env.books.invoices.list(customerid=invoiced.customerid)
        if i.estimateid == invoiced.id
    )
    named = re.escape(f"became invoice {made.invoice_number} (id {made.id})")
    with pytest.raises(ValueError, match=named):
        env.propose("convert_estimate_to_invoice", estimate_id=invoiced.id)


def test_once_the_invoice_is_sent_the_estimate_is_invoiced_and_refused(env, estimate_id):
    _accepted(env, estimate_id)
    result = env.call("convert_estimate_to_invoice", estimate_id=estimate_id)
    invoice_id = result["record_ids"]["invoice"][0]
    env.call("mark_invoice_sent", invoice_id=invoice_id)
    estimate = env.books.estimates.get(estimate_id)
    assert (estimate.estimate_status, estimate.invoiceid) == (EstimateStatus.INVOICED, invoice_id)
    with pytest.raises(ValueError, match=f"already invoiced: it became invoice .*{invoice_id}"):
        env.call("convert_estimate_to_invoice", estimate_id=estimate_id)
    with pytest.raises(ValueError, match="has been invoiced; delete the invoice first"):
        env.undo("create_estimate", {"record_ids": {"estimate": [estimate_id]}})
