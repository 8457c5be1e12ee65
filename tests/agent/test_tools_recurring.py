"""Recurring invoice tools on the sandbox: search with MRR, then each write's confirm card,
its effect re-read through fbclient, and undo."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.tool import ToolArgumentError

from ..support.sandbox_tools import card_text, sandbox_env

LINE = {
    "name": "Support retainer",
    "description": None,
    "quantity": "1",
    "unit_cost": "900.00",
    "tax_name": None,
    "tax_percent": None,
}


@pytest.fixture(scope="module")
def env():
    with sandbox_env() as opened:
        yield opened


@pytest.fixture(scope="module")
def client_id(env):
    """A client billed in GBP, created for these tests."""
    made = env.call("create_client", organization="Gannet & Co", currency_code="GBP")
    return made["record_ids"]["client"][0]


def test_search_lists_the_demo_profiles_with_mrr_per_currency(env):
    found = env.call("search_recurring_invoices")
    assert found["count"] >= 4
    states = {row["state"] for row in found["rows"]}
    assert {"active", "stopped"} <= states
    mrr = found["totals"]["monthly_recurring_revenue"]
    assert len(mrr) >= 2  # one total per currency, never added up
    stopped = env.call("search_recurring_invoices", state="stopped")
    assert [row["state"] for row in stopped["rows"]] == ["stopped"]
    weekly = [row for row in found["rows"] if row["frequency"] == "Weekly"]
    assert weekly
    assert weekly[0]["next_date"] != "—"


def test_create_card_then_effect_then_undo(env, client_id):
    first = env.ctx.today + timedelta(days=3)
    given = {
        "client_id": client_id,
        "lines": [LINE],
        "frequency": "2w",
        "first_date": first.isoformat(),
        "occurrences": 6,
    }
    card = env.propose("create_recurring_invoice", **given)
    text = card_text(card)
    assert card.client == "Gannet & Co"
    assert card.amounts == ["900.00 GBP"]
    assert ("Frequency", "Every 2 weeks") in card.fields
    assert ("Next date", first.isoformat()) in card.fields
    assert (first + timedelta(weeks=2)).isoformat() in text
    assert "Invoices in all: 6" in text
    result = env.call("create_recurring_invoice", **given)
    key = result["record_ids"]["invoice_profile"][0]
    stored = env.books.invoice_profiles.get(key)
    assert (stored.customerid, stored.frequency, stored.numberRecurring) == (client_id, "2w", 6)
    assert (stored.currency, stored.next_date) == ("GBP", first)
    assert result["profile"]["amount"] == "900.00 GBP"
    env.undo("create_recurring_invoice", result)
    assert env.books.invoice_profiles.get(key).vis_state == 1


def test_update_card_shows_old_and_new_then_changes_the_profile(env, client_id):
    made = env.call("create_recurring_invoice", client_id=client_id, lines=[LINE], frequency="m")
    key = made["record_ids"]["invoice_profile"][0]
    later = env.ctx.today + timedelta(days=10)
    card = env.propose(
        "update_recurring_invoice", profile_id=key, frequency="3m", next_date=later.isoformat()
    )
    assert ("Frequency", "Monthly → Quarterly") in card.fields
    assert ("Amount of each invoice", "900.00 GBP") in card.fields
    assert any(label == "Next date" and later.isoformat() in value for label, value in card.fields)
    result = env.call(
        "update_recurring_invoice", profile_id=key, frequency="3m", next_date=later.isoformat()
    )
    assert result["changed"] == ["create_date", "frequency"]
    after = env.books.invoice_profiles.get(key)
    assert (after.frequency, after.next_date) == ("3m", later)


def test_an_update_without_changes_is_refused_with_a_sentence(env):
    with pytest.raises(ToolArgumentError) as refused:
        env.parse("update_recurring_invoice", profile_id=1)
    assert "at least one field" in str(refused.value.errors)


def test_stop_card_then_effect_then_undo_resumes(env, client_id):
    made = env.call("create_recurring_invoice", client_id=client_id, lines=[LINE], frequency="w")
    key = made["record_ids"]["invoice_profile"][0]
    card = env.propose("stop_recurring_invoice", profile_id=key)
    assert card.title == "Stop the recurring invoice for Gannet & Co"
    assert ("Frequency", "Weekly") in card.fields
    assert any("no more invoices" in value for _, value in card.fields)
    assert card.amounts == ["900.00 GBP"]
    result = env.call("stop_recurring_invoice", profile_id=key)
    assert result["done"] == "stopped recurring invoice"
    assert env.books.invoice_profiles.get(key).state == "stopped"
    assert "already stopped" in card_text(env.propose("stop_recurring_invoice", profile_id=key))
    env.undo("stop_recurring_invoice", result)
    assert env.books.invoice_profiles.get(key).state == "active"


def test_a_bad_frequency_is_refused_before_anything_runs(env, client_id):
    with pytest.raises(ToolArgumentError) as refused:
        env.parse("create_recurring_invoice", client_id=client_id, lines=[LINE], frequency="daily")
    assert "frequency" in str(refused.value.errors)
