"""The business's cash forecast and how past forecasts did, computed once per snapshot and
kept per owner (the page and the chat ask for the same)."""

from __future__ import annotations

from fbclient.snapshot import Snapshot
from insights.forecast import Backtest, Forecast, backtest, forecast
from insights.frames import Frames
from insights.recurring import scheduled_invoices

from .cache import FramesCache
from .context import OwnerKey

__all__ = ["business_backtest", "business_forecast"]


def business_forecast(
    cache: FramesCache, whose: OwnerKey, snapshot: Snapshot, frames: Frames
) -> Forecast:
    """The 13-week forecast from the business's today, kept in ``cache`` for ``whose``
    (and in its files, for a process that starts)."""
    return cache.derived(
        whose,
        snapshot,
        frames.today,
        "forecast",
        lambda: forecast(
            frames.invoices,
            frames.payments,
            frames.expenses,
            as_of=frames.today,
            today=frames.today,
            scheduled=scheduled_invoices(snapshot.invoice_profiles, snapshot.clients),
        ),
        kept_as=Forecast,
    )


def business_backtest(
    cache: FramesCache, whose: OwnerKey, snapshot: Snapshot, frames: Frames, currency: str
) -> Backtest:
    """How the 4-week forecast in ``currency`` did over the last year (computed when first
    asked for, per currency: each is 13 forecasts)."""
    return cache.derived(
        whose,
        snapshot,
        frames.today,
        f"backtest:{currency}",
        lambda: backtest(
            frames.invoices,
            frames.payments,
            frames.expenses,
            today=frames.today,
            currency=currency,
            scheduled=scheduled_invoices(snapshot.invoice_profiles, snapshot.clients),
        ),
        kept_as=Backtest,
    )
