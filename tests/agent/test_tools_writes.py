"""Write tools on the sandbox: the confirm card, then the effect re-read through fbclient,
then undo where FreshBooks allows it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from agent.tools.dates import business_today, local_day
from fbclient import NotFoundError

from ..support.records import partly_paid_invoice
from ..support.sandbox_tools import card_text, sandbox_env

D = Decimal
LINES = [
    {
        "name": "Logo design",
        "description": "Three concepts",
        "quantity": "2.5",
        "unit_cost": "150.00",
        "tax_name": "HST",
        "tax_percent": "13",
    },
    {
        "name": "Hosting",
        "description": None,
        "quantity": "1",
        "unit_cost": "20",
        "tax_name": None,
        "tax_percent": None,
    },
]


@pytest.fixture(scope="module")
def env():
    with sandbox_env() as opened:
        yield opened


@pytest.fixture(scope="module")
def new_client(env):
    """A client created through the tool (USD), shared by the invoice tests."""
    result = env.call(
        "create_client",
        organization="Acme Robotics",
        fname="Jane",
        lname="Doe",
        email="jane@acme.test",
        currency_code="usd",
    )
    return result["record_ids"]["client"][0]


def _today(env):
    return business_today(env.ctx.now, env.business.timezone)


# --- clients ----------------------------------------------------------------------------


def test_create_client_card_then_effect_then_undo(env):
    card = env.propose(
        "create_client",
        organization="Blue Finch Ltd",
        email="ops@bluefinch.test",
        currency_code="GBP",
    )
    assert card.title == "Create client Blue Finch Ltd"
    assert ("Email", "ops@bluefinch.test") in card.fields
    assert ("Currency", "GBP") in card.fields
    assert card.client == "Blue Finch Ltd"
    result = env.call(
        "create_client",
        organization="Blue Finch Ltd",
        email="ops@bluefinch.test",
        currency_code="GBP",
    )
    client_id = result["record_ids"]["client"][0]
    stored = env.books.clients.get(client_id)
    assert (stored.organization, stored.email, stored.currency_code) == (
        "Blue Finch Ltd",
        "ops@bluefinch.test",
        "GBP",
    )
    assert result["client"]["id"] == client_id
    env.undo("create_client", result)
    assert env.books.clients.get(client_id).vis_state == 1


def test_create_client_warns_about_a_twin(env):
    card = env.propose(
        "create_client", organization="Kestrel Analytics", email="sarah.okafor@kestrelanalytics.com"
    )
    text = card_text(card)
    assert "already exists" in text
    assert "20000001" in text


def test_update_client_shows_old_and_new(env, new_client):
    card = env.propose("update_client", client_id=new_client, email="jane.doe@acme.test")
    assert ("Email", "jane@acme.test → jane.doe@acme.test") in card.fields
    assert card.client == "Acme Robotics"
    result = env.call("update_client", client_id=new_client, email="jane.doe@acme.test")
    assert result["changed"] == ["email"]
    assert env.books.clients.get(new_client).email == "jane.doe@acme.test"
    assert env.books.clients.get(new_client).organization == "Acme Robotics"  # untouched


# --- invoices ---------------------------------------------------------------------------


def test_create_invoice_card_lists_lines_and_total(env, new_client):
    card = env.propose("create_invoice", client_id=new_client, lines=LINES, due_offset_days=30)
    assert card.title == "Create a draft invoice for Acme Robotics"
    assert card.client == "Acme Robotics"
    fields = dict(card.fields)
    assert fields["Line 1: Logo design"] == "2.5 × 150.00 USD = 375.00 USD + HST 13%"
    assert fields["Subtotal"] == "395.00 USD"
    assert fields["Tax"] == "48.75 USD"
    assert fields["Total"] == "443.75 USD"
    assert card.amounts == ["443.75 USD"]
    assert card.warnings == []


def test_create_invoice_warns_on_another_currency(env, new_client):
    card = env.propose("create_invoice", client_id=new_client, currency_code="EUR", lines=LINES)
    assert any("billed in USD, not EUR" in w for w in card.warnings)


def test_create_invoice_effect_and_undo(env, new_client):
    result = env.call("create_invoice", client_id=new_client, lines=LINES, notes="Thank you!")
    invoice_id = result["record_ids"]["invoice"][0]
    stored = env.books.invoices.get(invoice_id)
    assert stored.customerid == new_client
    assert stored.v3_status == "draft"
    assert [(line.name, line.qty) for line in stored.lines] == [
        ("Logo design", D("2.5")),
        ("Hosting", D("1")),
    ]
    assert stored.amount.amount == D("443.75")
    assert stored.amount.code == "USD"
    assert result["invoice"]["amount"] == {"amount": "443.75", "currency": "USD"}
    # A second identical invoice looks like a duplicate.
    again = env.propose("create_invoice", client_id=new_client, lines=LINES)
    assert any("duplicate" in w for w in again.warnings)
    env.undo("create_invoice", result)
    assert env.books.invoices.get(invoice_id).vis_state == 1  # deleted (FreshBooks keeps it)
    assert invoice_id not in {i.id for i in env.books.invoices.list(customerid=new_client)}


@pytest.fixture
def draft(env, new_client):
    """A fresh draft invoice of 443.75 USD for the new client."""
    return env.call("create_invoice", client_id=new_client, lines=LINES)["record_ids"]["invoice"][0]


def test_update_invoice_replaces_lines(env, draft):
    lines = [{**LINES[1], "quantity": "3"}]
    card = env.propose("update_invoice", invoice_id=draft, lines=lines, po_number="PO-7")
    fields = dict(card.fields)
    assert fields["Total"] == "443.75 USD → 60.00 USD"
    assert fields["PO number"] == "— → PO-7"
    assert any("2 current lines are replaced" in w for w in card.warnings)
    env.call("update_invoice", invoice_id=draft, lines=lines, po_number="PO-7")
    stored = env.books.invoices.get(draft)
    assert [(line.name, line.qty) for line in stored.lines] == [("Hosting", D("3"))]
    assert stored.po_number == "PO-7"


def test_mark_sent_then_email_then_archive(env, draft):
    card = env.propose("mark_invoice_sent", invoice_id=draft)
    assert ("Status", "draft → sent") in card.fields
    assert not card.warnings
    assert env.call("mark_invoice_sent", invoice_id=draft)["invoice"]["status"] == "Sent"
    assert env.books.invoices.get(draft).v3_status == "sent"
    assert env.propose("mark_invoice_sent", invoice_id=draft).warnings == ["It is already sent."]

    card = env.propose("send_invoice_email", invoice_id=draft, subject="Your invoice")
    assert ("To", "jane.doe@acme.test") in card.fields or ("To", "jane@acme.test") in card.fields
    assert ("Subject", "Your invoice") in card.fields
    sent = env.call("send_invoice_email", invoice_id=draft, recipients=["ap@acme.test"])
    assert sent["recipients"] == ["ap@acme.test"]

    card = env.propose("archive_invoice", invoice_id=draft)
    assert any("still owed" in w for w in card.warnings)
    archived = env.call("archive_invoice", invoice_id=draft)
    assert env.books.invoices.get(draft).vis_state == 2
    env.undo("archive_invoice", archived)
    assert env.books.invoices.get(draft).vis_state == 0


# --- payments ---------------------------------------------------------------------------


def test_record_payment_card_warns_on_overpayment_and_currency(env):
    invoice = partly_paid_invoice(env.books, "GBP")
    owed = invoice.outstanding.amount
    over = env.propose(
        "record_payment", invoice_id=invoice.id, amount=str(owed + 100), currency_code="GBP"
    )
    assert any("more than the" in w for w in over.warnings)
    assert over.client == env.books.clients.get(invoice.customerid).display_name
    assert ("Invoice", f"{invoice.invoice_number} (id {invoice.id})") in over.fields
    mismatch = env.propose(
        "record_payment", invoice_id=invoice.id, amount="10", currency_code="USD"
    )
    assert any("in GBP but the payment is in USD" in w for w in mismatch.warnings)
    fine = env.propose("record_payment", invoice_id=invoice.id, amount="100", currency_code="GBP")
    assert fine.warnings == []
    assert dict(fine.fields)["Outstanding"] == f"{owed:,.2f} GBP → {owed - 100:,.2f} GBP"


def test_record_payment_reduces_the_outstanding_and_undo_restores_it(env):
    invoice_id = partly_paid_invoice(env.books, "GBP").id
    before = env.books.invoices.get(invoice_id).outstanding.amount
    result = env.call(
        "record_payment",
        invoice_id=invoice_id,
        amount="100.00",
        currency_code="GBP",
        method="Bank Transfer",
        note="Part payment",
    )
    payment_id = result["record_ids"]["payment"][0]
    assert env.books.payments.get(payment_id).amount.amount == D("100.00")
    assert env.books.invoices.get(invoice_id).outstanding.amount == before - 100
    assert result["invoice"]["outstanding"]["amount"] == format(before - 100, "f")
    undone = env.undo("record_payment", result)
    assert env.books.invoices.get(invoice_id).outstanding.amount == before
    assert undone["outstanding"]["amount"] == format(before, "f")


# --- expenses ---------------------------------------------------------------------------


def test_create_expense_card_effect_and_undo(env):
    card = env.propose(
        "create_expense",
        amount="42.50",
        currency_code="USD",
        category_id=25000025,
        vendor="Delta",
        client_id=20000001,
    )
    assert card.title == "Record an expense of 42.50 USD"
    assert ("Category", "Airfare (id 25000025)") in card.fields
    assert card.client == "Kestrel Analytics"
    result = env.call(
        "create_expense", amount="42.50", currency_code="USD", category_id=25000025, vendor="Delta"
    )
    expense_id = result["record_ids"]["expense"][0]
    stored = env.books.expenses.get(expense_id)
    assert stored.amount.amount == D("42.50")
    assert stored.categoryid == 25000025
    assert stored.staffid == 26000001  # the owner, first staff member
    assert stored.date == _today(env)
    twin = env.propose("create_expense", amount="42.50", currency_code="USD", category_id=25000025)
    assert any("duplicate" in w for w in twin.warnings)
    env.undo("create_expense", result)
    assert env.books.expenses.get(expense_id).vis_state == 1


def test_create_expense_refuses_an_unknown_category(env):
    with pytest.raises(ValueError, match="category 99 does not exist"):
        env.propose("create_expense", amount="5", currency_code="USD", category_id=99)


def test_update_and_archive_expense(env):
    created = env.call("create_expense", amount="10", currency_code="USD", category_id=25000013)
    expense_id = created["record_ids"]["expense"][0]
    card = env.propose("update_expense", expense_id=expense_id, amount="12.00", vendor="Cafe")
    assert ("Amount", "10.00 USD → 12.00 USD") in card.fields
    env.call("update_expense", expense_id=expense_id, amount="12.00", vendor="Cafe")
    stored = env.books.expenses.get(expense_id)
    assert (stored.amount.amount, stored.vendor, stored.categoryid) == (
        D("12.00"),
        "Cafe",
        25000013,
    )
    card = env.propose("archive_expense", expense_id=expense_id)
    assert ("Vendor", "Cafe") in card.fields
    result = env.call("archive_expense", expense_id=expense_id)
    assert env.books.expenses.get(expense_id).vis_state == 2
    env.undo("archive_expense", result)
    assert env.books.expenses.get(expense_id).vis_state == 0


# --- projects ---------------------------------------------------------------------------


def test_create_and_update_project(env, new_client):
    card = env.propose("create_project", title="Robot brand", client_id=new_client, rate="120")
    fields = dict(card.fields)
    assert fields["Billed at"] == "project_rate"
    assert fields["Hourly rate"] == "120"
    assert fields["Currency"] == "USD"
    assert card.client == "Acme Robotics"
    result = env.call("create_project", title="Robot brand", client_id=new_client, rate="120")
    project_id = result["record_ids"]["project"][0]
    stored = env.books.projects.get(project_id)
    assert (stored.title, stored.client_id, stored.rate) == ("Robot brand", new_client, D("120"))
    card = env.propose("update_project", project_id=project_id, rate="130", complete=True)
    assert ("Hourly rate", "120 → 130") in card.fields
    env.call("update_project", project_id=project_id, rate="130", complete=True)
    stored = env.books.projects.get(project_id)
    assert stored.rate == D("130")
    assert stored.complete is True
    env.undo("create_project", result)
    with pytest.raises(NotFoundError):
        env.books.projects.get(project_id)


# --- time -------------------------------------------------------------------------------


def test_log_time_yesterday_card_effect_and_undo(env):
    yesterday = _today(env) - timedelta(days=1)
    card = env.propose(
        "log_time", hours="2.5", day="yesterday", project_id=30000009, note="Sketches"
    )
    fields = dict(card.fields)
    assert fields["Day"].endswith(yesterday.isoformat())
    assert fields["Hours"] == "2.50 (2h30)"
    assert fields["Client"] == "Kestrel Analytics (id 20000001)"
    assert fields["Billable"] == "yes"
    assert card.client == "Kestrel Analytics"
    result = env.call(
        "log_time", hours="2.5", day="yesterday", project_id=30000009, note="Sketches"
    )
    entry_id = result["record_ids"]["time_entry"][0]
    stored = env.books.time_entries.get(entry_id)
    assert stored.duration == 9000
    assert local_day(stored.started_at, env.business.timezone) == yesterday
    assert (stored.client_id, stored.project_id, stored.billable) == (20000001, 30000009, True)
    env.undo("log_time", result)
    assert entry_id not in {e.id for e in env.books.time_entries.list(team=True)}


def test_log_time_refuses_a_project_of_another_client(env):
    with pytest.raises(ValueError, match="belongs to client 20000001"):
        env.propose("log_time", hours="1", project_id=30000009, client_id=20000002)


def test_update_then_delete_a_time_entry(env):
    logged = env.call(
        "log_time", hours="1", work_date="2026-11-02", client_id=20000002, note="Call"
    )
    entry_id = logged["record_ids"]["time_entry"][0]
    card = env.propose("update_time_entry", entry_id=entry_id, hours="1.75")
    assert ("Hours", "1.00 → 1.75") in card.fields
    env.call("update_time_entry", entry_id=entry_id, hours="1.75")
    stored = env.books.time_entries.get(entry_id)
    assert stored.duration == 6300
    assert stored.note == "Call"
    assert local_day(stored.started_at, env.business.timezone).isoformat() == "2026-11-02"
    card = env.propose("delete_time_entry", entry_id=entry_id)
    assert card.title == "Delete 1.75 h logged on 2026-11-02"
    env.call("delete_time_entry", entry_id=entry_id)
    assert entry_id not in {e.id for e in env.books.time_entries.list(team=True)}


# --- errors -----------------------------------------------------------------------------


def test_fbclient_errors_propagate_typed(env):
    with pytest.raises(NotFoundError):
        env.call("get_invoice", invoice_id=999999)
    with pytest.raises(NotFoundError):
        env.propose("record_payment", invoice_id=999999, amount="1", currency_code="USD")
