"""The fast frame builders give exactly the frames the per-row builders gave (tests/support/
per_row_frames.py): local times around DST changes, rates written 100 and 100.00, missing keys."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from fbclient.models.time_entries import TimeEntry
from insights.frames import (
    build_frames,
    expenses_frame,
    invoices_frame,
    payments_frame,
    time_frame,
)

from ..support import per_row_frames as per_row
from ..support.model_builders import (
    TODAY,
    category,
    client,
    expense,
    invoice,
    line,
    member,
    payment,
    project,
    service,
    service_rate,
    snapshot,
)

# Instants around clock changes: New York springs forward at 07:00Z on 8 March 2026 and
# falls back at 06:00Z on 1 November; London at 01:00Z on 29 March and 25 October; Lord Howe
# moves by half an hour. Plus offsets other than Z, a fraction of a second and far dates.
INSTANTS = [
    "2026-03-08T06:59:59Z",
    "2026-03-08T07:00:00Z",
    "2026-03-08T07:30:00Z",
    "2026-11-01T05:30:00Z",
    "2026-11-01T06:30:00Z",
    "2026-03-29T00:59:59Z",
    "2026-03-29T01:00:00Z",
    "2026-10-25T00:30:00Z",
    "2026-10-25T01:30:00Z",
    "2026-04-04T15:00:00Z",
    "2026-10-03T15:30:00Z",
    "2026-01-05T04:59:59Z",
    "2026-01-05T05:00:00Z",
    "1999-12-31T23:59:59Z",
    "2040-03-11T07:30:00Z",
    "2026-06-01T12:00:00.750000Z",
    "2026-06-01T12:00:00+05:30",
    "2026-06-07T23:59:59-04:00",
]
ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    None,
    "Nowhere/X",
]


def raw_entry(id: int, started: str, seconds: int | None, **fields: object) -> TimeEntry:
    return TimeEntry.model_validate(
        {"id": id, "started_at": started, "duration": seconds, **fields}
    )


def tricky_entries() -> list[TimeEntry]:
    """Every instant on each kind of project: own rate, service rate, a rate of -0, a fixed
    price, an unknown project and none; clients given, taken from the project or missing."""
    entries = []
    for n, started in enumerate(INSTANTS * 6, start=1):
        entries.append(
            raw_entry(
                n,
                started,
                900 * (n % 7 + 1),
                project_id=[1, 2, 3, 4, 99, None][n % 6],
                service_id=[1, 2, None][n % 3],
                client_id=None if n % 2 else 2,
                identity_id=5 if n % 3 else None,
                billable=bool(n % 4),
                billed=n % 5 == 0,
                note=None if n % 7 == 0 else f"note {n}",
            )
        )
    entries.append(raw_entry(900, "2026-06-01T10:00:00Z", 3600, active=False))  # deleted
    entries.append(raw_entry(901, "2026-06-01T10:00:00Z", None, project_id=1))  # running
    return entries


def tricky_time(timezone: str | None) -> dict[str, object]:
    return {
        "projects": [
            project(1, rate="100"),
            project(2, rate="100.00", method="service_rate", client_id=None),
            project(3, rate="-0", title="Zero rate"),
            project(4, rate="75", kind="fixed_price"),
        ],
        "clients": [client(1, "Acme", "USD"), client(2, "Bureau", "EUR")],
        "services": [service(1, "Design"), service(2, "Build")],
        "service_rates": [service_rate(1, "80"), service_rate(2, "80.0")],
        "team_members": [member(5, "Ada")],
        "timezone": timezone,
        "home": "USD",
    }


@pytest.mark.parametrize("timezone", ZONES)
def test_time_frame_is_the_per_row_frame_around_clock_changes(timezone):
    entries = tricky_entries()
    per_row.assert_same_frame(
        time_frame(entries, **tricky_time(timezone)),
        per_row.time_frame(entries, **tricky_time(timezone)),
    )


def test_local_times_across_new_york_clock_changes():
    entries = [raw_entry(n, started, 60) for n, started in enumerate(INSTANTS[:5], start=1)]
    frame = time_frame(entries, timezone="America/New_York")
    assert frame["started_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == [
        "2026-03-08 01:59:59",  # the last second before 2:00 EST
        "2026-03-08 03:00:00",  # 2:00 EST is 3:00 EDT: 2:xx never shows
        "2026-03-08 03:30:00",
        "2026-11-01 01:30:00",  # EDT
        "2026-11-01 01:30:00",  # an hour later, EST: the same wall time
    ]
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-08"] * 3 + ["2026-11-01"] * 2
    # 8 March and 1 November 2026 are Sundays: their weeks start on the Mondays before.
    assert frame["week"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02"] * 3 + ["2026-10-26"] * 2


def test_an_empty_time_frame_is_the_per_row_one():
    per_row.assert_same_frame(time_frame([]), per_row.time_frame([]))


def money_snapshot():
    return snapshot(
        clients=[
            client(1, "Acme", "USD"),
            client(2, "Bureau", "EUR"),
            client(3, "Gone", vis_state=1),
        ],
        invoices=[
            invoice(1, "100.00", due="2026-05-31", lines=[line("1", "100.00")]),
            invoice(2, "0.00"),
            invoice(
                3,
                "12.00",
                currency="EUR",
                client_id=2,
                lines=[line("2", "5.00"), line("1", "2.00", tax="13")],
                discount="-0.50",
                vis_state=2,
            ),
            invoice(4, "10.00", state="draft"),
            invoice(5, "30.00", client_id=77, paid="5.00", due="2026-06-15"),
            invoice(6, "30.00", vis_state=1),
        ],
        payments=[
            payment(1, 1, "50.00", "2026-06-02"),
            payment(2, 5, "5.00", "2025-06-02"),
            payment(3, 404, "1.00", "2026-06-03"),
            payment(4, 1, "1.00", "2026-06-04", vis_state=1),
        ],
        expenses=[
            expense(1, "30.00", "2026-06-05"),
            expense(2, "7.50", "2026-01-06", currency="EUR"),
            expense(3, "1.00", "2026-06-05", vis_state=1),
        ],
        expense_categories=[category(10, "Software")],
    )


@pytest.mark.parametrize("today", [TODAY, date(2026, 5, 31), date(2026, 6, 16)])
def test_money_frames_are_the_per_row_frames(today):
    snap = money_snapshot()
    per_row.assert_same_frame(
        invoices_frame(snap.invoices, snap.clients, today),
        per_row.invoices_frame(snap.invoices, snap.clients, today),
    )
    per_row.assert_same_frame(
        payments_frame(snap.payments, snap.invoices, snap.clients),
        per_row.payments_frame(snap.payments, snap.invoices, snap.clients),
    )
    per_row.assert_same_frame(
        expenses_frame(snap.expenses, snap.expense_categories, snap.clients),
        per_row.expenses_frame(snap.expenses, snap.expense_categories, snap.clients),
    )


def test_empty_money_frames_are_the_per_row_ones():
    per_row.assert_same_frame(invoices_frame([], [], TODAY), per_row.invoices_frame([], [], TODAY))
    per_row.assert_same_frame(payments_frame([], [], []), per_row.payments_frame([], [], []))
    per_row.assert_same_frame(expenses_frame([], [], []), per_row.expenses_frame([], [], []))


def test_build_frames_infers_the_home_currency_as_before():
    snap = money_snapshot()
    frames = build_frames(snap, TODAY)
    assert frames.home_currency == "USD"  # four live USD invoices against one in EUR
    eur_only = snapshot(invoices=[invoice(1, currency="EUR")], clients=[client(1, "A", "GBP")])
    assert build_frames(eur_only, TODAY).home_currency == "EUR"
    no_invoices = snapshot(clients=[client(1, "A", "GBP")])
    assert build_frames(no_invoices, TODAY).home_currency == "GBP"


def test_value_keeps_the_digits_each_rate_gives():
    # -0 and 0 are equal rates; an entry's value still comes from its own (-0.00 and 0.00).
    entries = [
        raw_entry(1, "2026-06-01T10:00:00Z", 1800, project_id=3, billable=True),
        raw_entry(2, "2026-06-01T11:00:00Z", 1800, project_id=5, billable=True),
        raw_entry(3, "2026-06-01T12:00:00Z", 1800, project_id=1, billable=True),
    ]
    parts = tricky_time("UTC")
    parts["projects"] = [*parts["projects"], project(5, rate="0", title="Free")]
    frame = time_frame(entries, **parts)
    assert [repr(v) for v in frame["value"]] == [
        repr(Decimal("-0.00")),
        repr(Decimal("0.00")),
        repr(Decimal("50.00")),
    ]
    per_row.assert_same_frame(frame, per_row.time_frame(entries, **parts))
    assert frame["started_at"].tolist() == [
        pd.Timestamp(datetime(2026, 6, 1, h, tzinfo=UTC).replace(tzinfo=None)) for h in (10, 11, 12)
    ]
