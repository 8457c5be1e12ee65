"""Every insight on an empty business: empty frames and zero totals, never an exception."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from insights import cashflow, charts, clients, export, receivables, spending, time
from insights.frames import build_frames
from insights.kpis import overview

from ..support.model_builders import TODAY, snapshot

START = date(2026, 1, 1)


def test_every_function_handles_an_empty_snapshot():
    f = build_frames(snapshot(), TODAY)
    frames = [
        receivables.open_invoices(f.invoices),
        receivables.overdue_invoices(f.invoices, TODAY),
        receivables.receivables_summary(f.invoices, TODAY),
        receivables.aging_detail(f.invoices, TODAY),
        receivables.aging_buckets(f.invoices, TODAY),
        receivables.accounts_aging(f.invoices, f.payments, TODAY),
        receivables.accounts_aging_detail(f.invoices, f.payments, TODAY),
        receivables.accounts_aging_totals(
            receivables.accounts_aging(f.invoices, f.payments, TODAY)
        ),
        receivables.top_debtors(f.invoices, TODAY),
        receivables.days_to_pay(f.invoices),
        cashflow.payments_in(f.payments, START, TODAY),
        cashflow.collected(f.payments, START, TODAY),
        cashflow.collection_summary(f.payments, TODAY),
        cashflow.income_records(f.invoices, f.payments, START, TODAY),
        cashflow.income_records(f.invoices, f.payments, START, TODAY, basis="accrual"),
        cashflow.expenses_total(f.expenses, START, TODAY),
        cashflow.profit(f.invoices, f.payments, f.expenses, START, TODAY),
        cashflow.monthly_revenue_expenses(f.invoices, f.payments, f.expenses, START, TODAY),
        spending.expenses_between(f.expenses),
        spending.spending_by_category(f.expenses),
        spending.spending_by_category(f.expenses, level="parent_category"),
        spending.spending_by_vendor(f.expenses, limit=3),
        spending.spending_by_month(f.expenses, START, TODAY),
        time.time_between(f.time),
        time.hours_by(f.time, "project"),
        time.hours_by(f.time, "team_member"),
        time.unbilled_time(f.time),
        time.unbilled_summary(f.time),
        clients.client_balances(f.invoices, TODAY),
        clients.project_budgets(f.projects, f.time),
    ]
    for frame in frames:
        assert isinstance(frame, pd.DataFrame)
        assert frame.empty
        assert len(frame.columns) >= 2
    weekly = time.hours_by_week(f.time, START, TODAY)
    assert weekly["seconds"].sum() == 0
    assert time.billable_split(f.time)["seconds"].tolist() == [0, 0]
    assert overview(f) == []
    assert export.to_csv(receivables.top_debtors(f.invoices, TODAY)).startswith(
        "currency,client_id"
    )
    specs = [
        charts.top_clients_chart(receivables.top_debtors(f.invoices, TODAY), "USD"),
        charts.expenses_by_category_chart(spending.spending_by_category(f.expenses), "USD"),
        charts.revenue_expenses_chart(
            cashflow.monthly_revenue_expenses(f.invoices, f.payments, f.expenses, START, TODAY),
            "USD",
        ),
    ]
    for spec in specs:  # specs with no rows, as JSON (test_charts validates them as Vega-Lite)
        assert spec["data"]["values"] == []
        assert json.loads(json.dumps(spec, allow_nan=False)) == spec
