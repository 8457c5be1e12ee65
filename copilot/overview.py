"""The Overview page's figures, computed once per snapshot and day and kept per owner: every
session of one owner opening the Overview reads the same figures instead of computing them
again (an app serving many sessions computes them once per business and day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from fbclient.snapshot import Snapshot
from insights import receivables
from insights.cashflow import monthly_revenue_expenses
from insights.clients import client_balances
from insights.frames import Frames
from insights.kpis import CurrencyOverview, overview

if TYPE_CHECKING:  # annotations only: a process that computes the figures needs neither
    from .cache import FramesCache
    from .context import OwnerKey

__all__ = ["OverviewFigures", "business_overview", "overview_figures"]


@dataclass(frozen=True)
class OverviewFigures:
    """The headlines per currency (home currency first) and the all-currency tables each
    currency's tab filters its rows from. Shared by sessions: read, never changed."""

    per_currency: list[CurrencyOverview]
    monthly: pd.DataFrame  # revenue and expenses by month, the last twelve months
    buckets: pd.DataFrame  # receivables by age
    balances: pd.DataFrame  # billed and outstanding per client
    debtors: pd.DataFrame  # who owes the most

    def of(self, table: pd.DataFrame, currency: str) -> pd.DataFrame:
        """The rows of one of these tables in ``currency``."""
        return table[table["currency"] == currency]


def overview_figures(frames: Frames) -> OverviewFigures:
    """The Overview's figures from the frames, on the frames' today."""
    today = frames.today
    return OverviewFigures(
        per_currency=overview(frames),
        monthly=monthly_revenue_expenses(
            frames.invoices,
            frames.payments,
            frames.expenses,
            date(today.year - 1, today.month, 1),
            today,
        ),
        buckets=receivables.aging_buckets(frames.invoices, today),
        balances=client_balances(frames.invoices, today),
        debtors=receivables.top_debtors(frames.invoices, today),
    )


def business_overview(
    cache: FramesCache, whose: OwnerKey, snapshot: Snapshot, frames: Frames
) -> OverviewFigures:
    """The business's Overview figures, kept in ``cache`` for ``whose`` until its books or
    its day change (and in its files, for a process that starts)."""
    return cache.derived(
        whose,
        snapshot,
        frames.today,
        "overview",
        lambda: overview_figures(frames),
        kept_as=OverviewFigures,
    )
