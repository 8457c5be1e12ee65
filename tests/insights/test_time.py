"""Hours by week, project and client; billable split; unbilled time and its value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from insights.frames import build_frames, time_frame
from insights.rates import hourly_rate
from insights.time import billable_split, hours_by, hours_by_week, unbilled_summary, unbilled_time

from ..support.model_builders import (
    TODAY,
    client,
    entry,
    invoice,
    project,
    service,
    service_rate,
    snapshot,
)

D = Decimal


def at(day: int, hour: int = 15) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=UTC)


def _snapshot():
    return snapshot(
        clients=[client(1, "Acme", "CAD"), client(2, "Bee", "USD")],
        invoices=[invoice(1), invoice(2)],  # home currency USD
        projects=[
            project(10, client_id=1, rate="150"),
            project(11, client_id=2, method="service_rate", rate=None),
            project(12, client_id=2, method="business_rate", rate=None),
            project(13, client_id=2, method="business_rate", kind="fixed_price", rate=None),
        ],
        services=[service(3, "Design"), service(4, "Admin")],
        service_rates=[service_rate(3, "80")],
        time_entries=[
            entry(1, at(1), 3600, project_id=10, service_id=3),  # project rate 150
            entry(2, at(2), 1800, project_id=11, service_id=3),  # service rate 80
            entry(3, at(3), 360, project_id=11, service_id=4),  # service without a rate
            entry(4, at(7), 7200, project_id=12, service_id=3),  # business rate: unknown
            entry(5, at(8), 900, project_id=13, service_id=3),  # fixed price: unknown
            entry(6, at(8), 600, project_id=10, billed=True),
            entry(7, at(9), 1200, project_id=10, billable=False),
            entry(
                8, at(9), 720, service_id=3
            ),  # no project, no client: service rate, home currency
        ],
    )


def _frames():
    return build_frames(_snapshot(), TODAY)


def test_time_is_built_first_and_given_the_home_currency_found_after():
    # build_frames builds the time entries before the invoices that decide the home currency.
    snap = _snapshot()
    alone = time_frame(
        snap.time_entries,
        projects=snap.projects,
        clients=snap.clients,
        services=snap.services,
        service_rates=snap.service_rates,
        team_members=snap.team_members,
        timezone=snap.business.timezone,
        home="USD",
    )
    pd.testing.assert_frame_equal(build_frames(snap, TODAY).time, alone)
    assert alone.loc[alone["entry_id"] == 8, "currency"].tolist() == ["USD"]


def test_unbilled_time_values_only_known_rates():
    table = unbilled_time(_frames().time)
    assert table[["entry_id", "rate", "rate_source", "currency", "value"]].values.tolist() == [
        [1, D("150"), "project rate", "CAD", D("150.00")],
        [2, D("80"), "service rate", "USD", D("40.00")],
        [3, None, "no rate for this service", "USD", None],
        [4, None, "business rate not available", "USD", None],
        [5, None, "fixed-price project", "USD", None],
        [8, D("80"), "service rate", "USD", D("16.00")],
    ]


def test_unbilled_summary_per_currency_says_what_is_not_valued():
    table = unbilled_summary(_frames().time)
    assert table.to_dict("records") == [
        {
            "currency": "CAD",
            "hours": D("1.00"),
            "entries": 1,
            "value": D("150.00"),
            "hours_without_rate": D("0.00"),
            "entries_without_rate": 0,
        },
        {
            "currency": "USD",
            "hours": D("3.05"),  # 1800 + 360 + 7200 + 900 + 720 = 10980 s
            "entries": 5,
            "value": D("56.00"),
            "hours_without_rate": D("2.35"),  # 8460 s
            "entries_without_rate": 3,
        },
    ]


@pytest.mark.parametrize(
    ("method", "rate", "kind", "expected"),
    [
        ("project_rate", "120", "hourly_rate", (D("120"), "project rate")),
        ("project_rate", None, "hourly_rate", (None, "project has no rate")),
        ("service_rate", "120", "hourly_rate", (D("70"), "service rate")),
        ("team_member_rate", None, "hourly_rate", (None, "team member rate not available")),
    ],
)
def test_hourly_rate_rules(method, rate, kind, expected):
    found = hourly_rate(project(1, method=method, rate=rate, kind=kind), 3, {3: D("70")})
    assert (found.rate, found.source) == expected


def test_hours_by_week_starts_on_monday_and_fills_empty_weeks():
    table = hours_by_week(_frames().time, date(2026, 6, 3), date(2026, 6, 20))
    assert table["week"].unique().tolist() == [
        pd.Timestamp("2026-06-01"),
        pd.Timestamp("2026-06-08"),
        pd.Timestamp("2026-06-15"),
    ]
    rows = {(w, k): h for w, k, h in table[["week", "kind", "hours"]].values.tolist()}
    # Only entries from 3 June on: 360 + 7200 in week 1; 900 + 600 billable, 1200 not, 720 in week 2.
    assert rows[(pd.Timestamp("2026-06-01"), "Billable")] == D("2.10")
    assert rows[(pd.Timestamp("2026-06-08"), "Billable")] == D("0.62")
    assert rows[(pd.Timestamp("2026-06-08"), "Non-billable")] == D("0.33")
    assert rows[(pd.Timestamp("2026-06-15"), "Billable")] == D("0.00")


def test_hours_by_project_and_client():
    time = _frames().time
    by_project = hours_by(time, "project")
    assert by_project[["key", "name", "hours", "billable_hours", "unbilled_hours"]].values.tolist()[
        :2
    ] == [
        [12, "Project 12", D("2.00"), D("2.00"), D("2.00")],
        [10, "Project 10", D("1.50"), D("1.17"), D("1.00")],
    ]
    assert "(none)" in by_project["name"].tolist()
    by_client = hours_by(time, "client")
    assert by_client[["name", "seconds"]].values.tolist() == [
        ["Bee", 10260],
        ["Acme", 5400],
        ["(none)", 720],
    ]


def test_billable_split_sums_seconds_exactly():
    table = billable_split(_frames().time)
    assert table[["kind", "seconds", "hours"]].values.tolist() == [
        ["Billable", 15180, D("4.22")],
        ["Non-billable", 1200, D("0.33")],
    ]
    assert abs(table["share"].sum() - 1.0) < 1e-12
