"""The cash forecast the Forecast page shows (:mod:`insights.forecast`), for the chat."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from pydantic import Field

from agent.tool import Tool, ToolContext
from fbclient.snapshot import Snapshot
from insights.forecast import WEEKS, backtest, forecast
from insights.frames import build_frames
from insights.recurring import scheduled_invoices

from ._args import Args, CurrencyCode, today_of
from ._lookup import LIST_PAGES
from ._rows import compact, text

__all__ = ["TOOLS", "ForecastArgs", "cash_forecast"]

RECORDS = 25  # records behind the weeks, at most


class ForecastArgs(Args):
    """Which currency and how many weeks."""

    currency: CurrencyCode | None = Field(
        default=None, description="Only this currency, e.g. USD; null for every currency"
    )
    weeks: int | None = Field(
        default=None, ge=1, le=WEEKS, description=f"Weeks ahead, 1 to {WEEKS}; null for {WEEKS}"
    )


def _money(value: Decimal) -> str:
    return format(value, "f")


def _snapshot(ctx: ToolContext) -> Snapshot:
    if ctx.snapshot is not None:
        return ctx.snapshot()
    books = ctx.books  # without the app's mirror: the lists the forecast reads
    return Snapshot(
        business=ctx.business,
        fetched_at=datetime.now(UTC),
        clients=list(books.clients.list(max_pages=LIST_PAGES)),
        invoices=list(books.invoices.list(max_pages=LIST_PAGES)),
        payments=list(books.payments.list(max_pages=LIST_PAGES)),
        expenses=list(books.expenses.list(max_pages=LIST_PAGES)),
        invoice_profiles=list(books.invoice_profiles.list(max_pages=LIST_PAGES)),
    )


def _day(value: Any) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def cash_forecast(ctx: ToolContext, args: ForecastArgs) -> dict[str, Any]:
    """Week by week money in (expected, low, high) and out, per currency, with the records
    behind the first weeks and how close the 4-week forecast came over the last year."""
    snapshot = _snapshot(ctx)
    today = today_of(ctx)
    frames = build_frames(snapshot, today)
    weeks = args.weeks or WEEKS
    scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
    result = forecast(
        frames.invoices,
        frames.payments,
        frames.expenses,
        as_of=today,
        today=today,
        weeks=weeks,
        scheduled=scheduled,
    )
    table = result.weeks
    records = result.records
    if args.currency:
        table = table[table["currency"] == args.currency]
        records = records[records["currency"] == args.currency]
    by_currency: dict[str, Any] = {}
    # Past accuracy costs 13 forecasts: for the currency asked about, else the usual one.
    checked = args.currency or frames.home_currency
    for code, rows in table.groupby("currency", sort=True):
        block: dict[str, Any] = {
            "weeks": [
                {
                    "week_starting": _day(r["week"]),
                    "in_expected": _money(r["in_expected"]),
                    "in_low": _money(r["in_low"]),
                    "in_high": _money(r["in_high"]),
                    "out": _money(r["out_expected"]),
                    "net": _money(r["net"]),
                }
                for r in rows.to_dict("records")
            ]
        }
        if code == checked:
            block["past_accuracy"] = backtest(
                frames.invoices,
                frames.payments,
                frames.expenses,
                today=today,
                currency=str(code),
                scheduled=scheduled,
            ).sentence()
        by_currency[str(code)] = block
    shown = records.sort_values(["expected", "direction", "ref", "party"]).head(RECORDS)
    return compact(
        {
            "as_of": today.isoformat(),
            "by_currency": by_currency,
            "records": [
                compact(
                    {
                        "direction": r["direction"],
                        "what": r["kind"],
                        "record": text(r["ref"], 60),
                        "party": text(r["party"], 80),
                        "currency": r["currency"],
                        "amount": _money(r["amount"]),
                        "expected": _day(r["expected"]),
                        "early": _day(r["early"]),
                        "late": _day(r["late"]),
                    }
                )
                for r in shown.to_dict("records")
            ],
            "records_total": len(records),
            "left_out": (
                f"{len(result.doubtful)} invoice(s) more than 120 days past due are not counted on"
                if len(result.doubtful)
                else None
            ),
            "incomplete": list(snapshot.truncated) or None,
            "note": "Money is per currency. Each client's expected day comes from their own "
            "payment history; the range runs from their early to late payments.",
        }
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="cash_forecast",
        description=(
            "Cash forecast: money expected in and out week by week for up to 13 weeks, per "
            "currency, with a low-high range, the records behind it and past accuracy."
        ),
        args=ForecastArgs,
        handler=cash_forecast,
    )
]
