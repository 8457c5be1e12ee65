"""Contract: project family, team members and reports against the sandbox."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from fbclient import Money, NotFoundError


def test_projects_crud(books):
    existing = books.projects.list()
    assert existing
    by_due = books.projects.list(sort="due_date", direction="desc")
    assert {p.id for p in by_due} == {p.id for p in existing}
    client_id = next(p.client_id for p in existing if p.client_id)
    project = books.projects.create(
        {
            "title": f"Contract {uuid.uuid4().hex[:6]}",
            "client_id": client_id,
            "project_type": "hourly_rate",
            "rate": "95",
        }
    )
    assert books.projects.get(project.id).title == project.title
    assert books.projects.update(project.id, {"description": "phase 2"}).description == "phase 2"
    assert {p.client_id for p in books.projects.list(client_id=client_id)} == {client_id}
    assert books.projects.delete(project.id) is None
    with pytest.raises(NotFoundError):
        books.projects.get(project.id)


def test_time_entries_filters_and_read_merge_write(books):
    since = datetime.now(UTC) - timedelta(days=21)
    recent = books.time_entries.list(started_from=since, team=True)
    assert recent
    assert all(e.started_at >= since for e in recent)
    unbilled = books.time_entries.list(billable=True, billed=False, team=True)
    assert unbilled
    assert all(e.billable and not e.billed for e in unbilled)

    project = next(p for p in books.projects.list() if p.client_id)
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    entry = books.time_entries.create(
        {
            "is_logged": True,
            "started_at": started,
            "duration": 9000,
            "project_id": project.id,
            "client_id": project.client_id,
            "note": "contract test",
            "billable": True,
        }
    )
    assert entry.started_at == started
    assert entry.hours == Decimal("2.5")
    changed = books.time_entries.update(entry.id, {"note": "edited"})
    assert changed.note == "edited"
    assert changed.duration == 9000  # the PUT replaced the record with the merged one
    assert changed.project_id == project.id
    result = books.time_entries.mark_billed([entry.id])
    assert [e.id for e in result.updated] == [entry.id]
    assert books.time_entries.get(entry.id).billed is True
    assert books.time_entries.delete(entry.id) is None


def test_services_and_rates(books):
    services = books.services.list()
    assert services
    service = books.services.create({"name": f"Research {uuid.uuid4().hex[:6]}"})
    assert books.services.get(service.id).name == service.name
    assert books.services.create_rate(service.id, "80.00").rate == Decimal("80.00")
    assert books.services.update_rate(service.id, "85.50").rate == Decimal("85.50")
    assert books.services.get_rate(service.id).rate == Decimal("85.50")
    assert service.id in {r.service_id for r in books.services.list_rates()}


def test_team_members(books):
    members = books.team_members.list()
    assert len(members) >= 2
    assert books.team_members.get(members[0].uuid).uuid == members[0].uuid


def test_reports_cover_the_dates_asked(books):
    end = date.today()
    start = date(end.year - 1, 1, 1)
    pnl = books.reports.profit_loss(start, end, resolution="m")
    assert pnl.start_date == start
    assert pnl.end_date == end  # not "today only": the flat date parameters were honoured
    assert pnl.total_income.total.amount > 0
    taxes = books.reports.tax_summary(start, end)
    assert taxes.start_date == start
    collected = books.reports.payments_collected(start, end)
    assert collected.payments
    assert all(start <= p.date <= end for p in collected.payments)
    aging = books.reports.accounts_aging(end)
    assert aging.totals.total.amount > 0


def test_aging_total_matches_outstanding_invoices(books):
    aging = books.reports.accounts_aging(date.today())
    code = aging.currency_code
    invoices = books.invoices.list()
    owed = sum(
        (
            inv.outstanding.amount
            for inv in invoices
            if inv.currency_code == code and inv.v3_status != "draft" and inv.vis_state == 0
        ),
        Decimal(0),
    )
    assert aging.totals.total == Money.of(owed, code)
