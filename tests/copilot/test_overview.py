"""The Overview's figures: the same as each insight computed alone, computed once per owner,
snapshot and day, and never handed to another owner."""

from __future__ import annotations

from datetime import date

import pandas as pd

from copilot.overview import business_overview, overview_figures
from fbclient.snapshot import Snapshot
from insights import receivables
from insights.cashflow import monthly_revenue_expenses
from insights.clients import client_balances
from insights.frames import build_frames
from insights.kpis import overview

from ..support import runtime_doubles as doubles
from ..support.model_builders import TODAY, client, invoice, payment, snapshot


def books(version: int = 0) -> Snapshot:
    found = snapshot(
        clients=[client(1, "Acme", "USD"), client(2, "Birch", "EUR")],
        invoices=[
            invoice(1, "120.00", client_id=1, created="2026-03-01", due="2026-03-31"),
            invoice(2, "80.00", client_id=1, created="2026-06-01", paid="30.00"),
            invoice(3, "50.00", currency="EUR", client_id=2, created="2026-01-10"),
        ],
        payments=[payment(1, 2, "30.00", "2026-06-05", client_id=1)],
    )
    return found.replace(version=version)


def test_the_figures_are_those_of_each_insight_alone() -> None:
    frames = build_frames(books(), TODAY)
    figures = overview_figures(frames)
    alone = overview(frames)
    assert [
        {k: (h.value, h.count) for k, h in view.headlines.items()} for view in figures.per_currency
    ] == [{k: (h.value, h.count) for k, h in view.headlines.items()} for view in alone]
    assert [view.currency for view in figures.per_currency] == ["USD", "EUR"]
    start = date(TODAY.year - 1, TODAY.month, 1)
    pd.testing.assert_frame_equal(
        figures.monthly,
        monthly_revenue_expenses(frames.invoices, frames.payments, frames.expenses, start, TODAY),
    )
    pd.testing.assert_frame_equal(
        figures.buckets, receivables.aging_buckets(frames.invoices, TODAY)
    )
    pd.testing.assert_frame_equal(figures.balances, client_balances(frames.invoices, TODAY))
    pd.testing.assert_frame_equal(figures.debtors, receivables.top_debtors(frames.invoices, TODAY))
    euros = figures.of(figures.balances, "EUR")
    assert set(euros["currency"]) == {"EUR"}
    assert len(euros) == 1


def test_computed_once_per_owner_snapshot_and_day_and_never_shared() -> None:
    runtime = doubles.runtime(doubles.Mirror(doubles.snapshot()), ttl=60, max_entries=16)
    alice, bob = doubles.context("alice"), doubles.context("bob")
    shown = books(version=1)
    cache = runtime.frames_cache
    frames = cache.frames(alice.cache_key, shown, TODAY)
    first = business_overview(cache, alice.cache_key, shown, frames)
    assert business_overview(cache, alice.cache_key, shown, frames) is first
    assert business_overview(cache, bob.cache_key, shown, frames) is not first
    newer = books(version=2)
    assert business_overview(cache, alice.cache_key, newer, frames) is not first
    cache.forget_owner("alice")
    assert business_overview(cache, alice.cache_key, shown, frames) is not first
