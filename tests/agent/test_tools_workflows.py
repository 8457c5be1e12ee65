"""Workflows on the sandbox: invoicing unbilled time, overdue reminders, the business summary
(the same numbers as the dashboards' insights)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest

from agent.tools.dates import business_today, local_day, resolve_period
from insights.frames import build_frames
from insights.receivables import receivables_summary
from insights.time import unbilled_summary

from ..support.records import client_with_overdue_invoices
from ..support.sandbox_tools import MAX_CHARS, sandbox_env
from ..support.snapshot import fetch_snapshot

D = Decimal
KESTREL = 20000001


@pytest.fixture(scope="module")
def env():
    with sandbox_env() as opened:
        yield opened


def _unbilled(env, client_id):
    return [
        e
        for e in env.books.time_entries.list(billable=True, billed=False, team=True)
        if e.client_id == client_id
    ]


# --- business_summary -------------------------------------------------------------------


def test_summary_gives_the_dashboards_numbers(env):
    result = env.call("business_summary")
    today = business_today(env.ctx.now, env.business.timezone)
    frames = build_frames(fetch_snapshot(env.books, env.business), today)
    for row in receivables_summary(frames.invoices, today).to_dict("records"):
        mine = result["by_currency"][row["currency"]]
        assert D(mine["outstanding"]) == row["outstanding"]
        assert D(mine["overdue"]) == row["overdue"]
        assert mine["overdue_invoices"] == row["overdue_count"]
    for row in unbilled_summary(frames.time).to_dict("records"):
        mine = result["by_currency"][row["currency"]]
        assert D(mine["unbilled_hours"]) == row["hours"]
        assert D(mine["unbilled_value"]) == row["value"]
    assert "collected_year" in result["by_currency"]["USD"]
    assert result["top_debtors"]


def test_summary_without_a_snapshot_reads_fbclient_directly(env):
    live_ctx = dataclasses.replace(env.ctx, snapshot=None)
    tool = env.tool("business_summary")
    live = tool.handler(live_ctx, env.parse("business_summary"))
    full = env.call("business_summary")
    for code, numbers in live["by_currency"].items():
        for key in ("outstanding", "overdue", "unbilled_hours", "unbilled_value"):
            assert numbers.get(key) == full["by_currency"][code].get(key), (code, key)
    assert "collected_year" not in live["by_currency"].get("USD", {})


# --- overdue_reminders ------------------------------------------------------------------


def test_overdue_reminders_draft_one_per_invoice_and_send_nothing(env):
    overdue = list(env.books.invoices.list(v3_status="overdue"))
    result = env.call("overdue_reminders")
    assert result["count"] == len(overdue) > 0
    assert len(json.dumps(result)) < MAX_CHARS
    days = [r["days_overdue"] for r in result["rows"]]
    assert days == sorted(days, reverse=True)
    for row in result["rows"]:
        reminder = row["reminder"]
        assert row["number"] in reminder["subject"]
        owed = D(row["outstanding"]["amount"])
        assert f"{owed:,.2f} {row['outstanding']['currency']}" in reminder["body"]
        assert reminder["body"].startswith("Hi ")
        assert env.business.name in reminder["body"]
    assert "nothing was sent" in result["note"]
    assert [i.v3_status for i in env.books.invoices.list(v3_status="overdue")] == [
        i.v3_status for i in overdue
    ]


def test_overdue_reminders_for_one_client(env):
    client_id, currencies = client_with_overdue_invoices(env.books)
    result = env.call("overdue_reminders", client_id=client_id)
    assert result["rows"]
    assert all(r["client_id"] == client_id for r in result["rows"])
    assert set(result["totals"]["overdue"]) == currencies


# --- invoice_unbilled_time --------------------------------------------------------------


def test_invoice_unbilled_time_card(env):
    entries = _unbilled(env, KESTREL)
    seconds = sum(e.duration for e in entries)
    card = env.propose("invoice_unbilled_time", client_id=KESTREL)
    fields = dict(card.fields)
    assert card.client == "Kestrel Analytics"
    assert fields["Entries"] == str(len(entries))
    assert D(fields["Hours"]) == (D(seconds) / 3600).quantize(D("0.01"))
    lines = {k: v for k, v in fields.items() if k.startswith("Line: ")}
    assert lines
    assert all(" h × " in v and " USD = " in v for v in lines.values())
    assert fields["Then"] == f"mark these {len(entries)} time entries as billed"
    assert card.amounts == [fields["Total"]]


def test_invoice_unbilled_time_bills_exactly_those_entries_and_undo(env):
    entries = {e.id for e in _unbilled(env, KESTREL)}
    others = {e.id for e in env.books.time_entries.list(billable=True, billed=False, team=True)}
    others -= entries
    card = env.propose("invoice_unbilled_time", client_id=KESTREL)
    result = env.call("invoice_unbilled_time", client_id=KESTREL)
    invoice_id = result["record_ids"]["invoice"][0]
    assert set(result["record_ids"]["time_entry"]) == entries
    invoice = env.books.invoices.get(invoice_id)
    assert invoice.customerid == KESTREL
    assert invoice.v3_status == "draft"
    assert f"{invoice.amount.amount:,.2f} USD" == dict(card.fields)["Total"]
    assert sum(line.qty * line.unit_cost.amount for line in invoice.lines) == invoice.amount.amount
    assert all(env.books.time_entries.get(i).billed for i in entries)
    still = {e.id for e in env.books.time_entries.list(billable=True, billed=False, team=True)}
    assert still == others  # nobody else's time was touched
    with pytest.raises(ValueError, match="no unbilled billable time"):
        env.propose("invoice_unbilled_time", client_id=KESTREL)

    env.undo("invoice_unbilled_time", result)
    assert env.books.invoices.get(invoice_id).vis_state == 1
    assert {e.id for e in _unbilled(env, KESTREL)} == entries


def test_invoice_unbilled_time_for_a_period_only(env):
    today = business_today(env.ctx.now, env.business.timezone)
    span = resolve_period("last_week", today)
    expected = [
        e for e in _unbilled(env, KESTREL) if local_day(e.started_at, env.business.timezone) in span
    ]
    if not expected:
        with pytest.raises(ValueError, match="no unbilled billable time between"):
            env.propose("invoice_unbilled_time", client_id=KESTREL, period="last_week")
        return
    card = env.propose("invoice_unbilled_time", client_id=KESTREL, period="last_week")
    assert dict(card.fields)["Entries"] == str(len(expected))
    first, last = dict(card.fields)["Time worked"].split(" to ")
    assert span.start.isoformat() <= first <= last <= span.end.isoformat()


def test_invoice_unbilled_time_refuses_time_without_a_rate(env):
    # Brightline's "Website build (fixed scope)" is fixed-price: its hours have no hourly rate.
    logged = env.call("log_time", hours="3", project_id=30000011, note="Extra QA", billable=True)
    try:
        with pytest.raises(ValueError, match=r"no hourly rate is known for 3\.00 h") as refused:
            env.propose("invoice_unbilled_time", client_id=20000002)
        assert "fixed-price project" in str(refused.value)
        before = len(env.books.invoices.list(customerid=20000002))
        with pytest.raises(ValueError, match="no hourly rate"):
            env.call("invoice_unbilled_time", client_id=20000002)
        assert len(env.books.invoices.list(customerid=20000002)) == before
    finally:
        env.undo("log_time", logged)
