"""Client balances and project budgets."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd

from insights.clients import client_balances, project_budgets
from insights.frames import build_frames

from ..support.model_builders import TODAY, client, entry, invoice, project, snapshot

D = Decimal


def test_client_balances_per_client_and_currency(two_currency_frames):
    table = client_balances(two_currency_frames.invoices, TODAY)
    assert table[
        [
            "client",
            "currency",
            "billed",
            "paid",
            "outstanding",
            "overdue",
            "invoices",
            "overdue_count",
        ]
    ].values.tolist() == [
        ["Bureau", "EUR", D("250.00"), D("0"), D("250.00"), D("250.00"), 1, 1],
        [
            "Acme",
            "USD",
            D("140.00"),
            D("10.00"),
            D("130.00"),
            D("100.00"),
            2,
            1,
        ],  # draft not billed
    ]


def test_client_balances_carry_days_to_pay():
    snap = snapshot(
        clients=[client(1, "Acme")],
        invoices=[invoice(1, created="2026-01-01", paid="100.00", date_paid="2026-01-21")],
    )
    table = client_balances(build_frames(snap, TODAY).invoices, TODAY)
    assert table[["paid_invoices", "avg_days_to_pay", "outstanding"]].values.tolist() == [
        [1, 20.0, D("0.00")]
    ]


def test_project_budget_seconds_against_hours_logged():
    snap = snapshot(
        clients=[client(1, "Acme")],
        projects=[
            project(1, budget=36000, title="Site"),  # 10 hours
            project(2, budget=3600, title="Logo"),  # 1 hour
            project(3, budget=None, title="Retainer"),
        ],
        time_entries=[
            entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 9000, project_id=1),
            entry(2, datetime(2026, 6, 2, 15, tzinfo=UTC), 1800, project_id=1, billable=False),
            entry(3, datetime(2026, 6, 2, 15, tzinfo=UTC), 5400, project_id=2),
            entry(4, datetime(2026, 6, 2, 15, tzinfo=UTC), 60, project_id=3),
        ],
    )
    table = project_budgets(build_frames(snap, TODAY).projects, build_frames(snap, TODAY).time)
    assert table[
        [
            "project",
            "client",
            "budget_hours",
            "logged_hours",
            "remaining_hours",
            "used_pct",
            "over_budget",
        ]
    ].values.tolist() == [
        ["Site", "Acme", D("10.00"), D("3.00"), D("7.00"), D("30.0"), False],
        ["Logo", "Acme", D("1.00"), D("1.50"), D("-0.50"), D("150.0"), True],
        ["Retainer", "Acme", None, D("0.02"), None, None, False],
    ]


def test_project_budgets_without_time():
    snap = snapshot(projects=[project(1, budget=7200)])
    frames = build_frames(snap, TODAY)
    table = project_budgets(frames.projects, frames.time)
    assert table[["budget_hours", "logged_hours", "used_pct"]].values.tolist() == [
        [D("2.00"), D("0.00"), D("0.0")]
    ]
    assert isinstance(table, pd.DataFrame)
