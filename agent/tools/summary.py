"""The business at a glance, with the same numbers as the dashboards (via :mod:`insights`).

With the app's snapshot (``ctx.snapshot``) every headline of the Overview is available; without
one, the few records the receivables and unbilled-time numbers need are read directly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from agent.tool import Tool, ToolContext
from fbclient.pagination import MAX_PER_PAGE
from fbclient.snapshot import Snapshot
from insights.frames import HOME_SAMPLE, Frames
from insights.kpis import CurrencyOverview, overview
from insights.receivables import receivables_summary, top_debtors
from insights.time import unbilled_summary

from ._args import Args, today_of
from ._lookup import LIST_PAGES
from ._rows import compact, text

__all__ = ["TOOLS", "SummaryArgs", "business_summary"]

YEAR_HEADLINES = ("collected_month", "collected_year", "expenses_year", "profit_year")


class SummaryArgs(Args):
    """No arguments: the whole business."""


def _live_snapshot(ctx: ToolContext) -> Snapshot:
    """Only what receivables and unbilled time need: open invoices and unbilled entries, and
    the newest invoices, which say the business's usual currency (:data:`HOME_SAMPLE`)."""
    books = ctx.books
    open_ = [
        i
        for status in ("sent", "viewed", "partial", "overdue", "disputed")
        for i in books.invoices.list(v3_status=status, max_pages=LIST_PAGES)
    ]
    # Twice the sample: the newest HOME_SAMPLE whatever order FreshBooks gives one day's invoices.
    pages = -(-2 * HOME_SAMPLE // MAX_PER_PAGE)
    newest = books.invoices.list(sort="invoice_date", direction="desc", max_pages=pages)
    known = {i.id for i in open_}
    return Snapshot(
        business=ctx.business,
        fetched_at=datetime.now(UTC),
        clients=list(books.clients.list(max_pages=LIST_PAGES)),
        invoices=open_ + [i for i in newest if i.id not in known],
        projects=list(books.projects.list(max_pages=LIST_PAGES)),
        time_entries=list(
            books.time_entries.list(billable=True, billed=False, team=True, max_pages=LIST_PAGES)
        ),
        services=list(books.services.list(max_pages=LIST_PAGES)),
        service_rates=list(books.services.list_rates(max_pages=LIST_PAGES)),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def _per_currency(frames: Frames) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in receivables_summary(frames.invoices, frames.today).to_dict("records"):
        out.setdefault(row["currency"], {}).update(
            outstanding=_plain(row["outstanding"]),
            open_invoices=int(row["open_count"]),
            overdue=_plain(row["overdue"]),
            overdue_invoices=int(row["overdue_count"]),
        )
    for row in unbilled_summary(frames.time).to_dict("records"):
        code = row["currency"] or "unknown"
        out.setdefault(code, {}).update(
            unbilled_hours=_plain(row["hours"]),
            unbilled_entries=int(row["entries"]),
            unbilled_value=_plain(row["value"]),
            unbilled_hours_without_rate=(
                _plain(row["hours_without_rate"]) if row["entries_without_rate"] else None
            ),
        )
    return {code: compact(values) for code, values in sorted(out.items())}


def _year_headlines(blocks: list[CurrencyOverview], currencies: dict[str, dict[str, Any]]) -> None:
    for block in blocks:
        target = currencies.setdefault(block.currency, {})
        for key in YEAR_HEADLINES:
            target[key] = _plain(block[key].value)


def _debtors(frames: Frames) -> list[dict[str, Any]]:
    table = top_debtors(frames.invoices, frames.today, limit=3)
    rows = [
        compact(
            {
                "client_id": _plain(r["client_id"]),
                "client": text(r["client"], 80),
                "currency": r["currency"],
                "outstanding": _plain(r["outstanding"]),
                "overdue": _plain(r["overdue"]) if r["overdue"] else None,
                "max_days_overdue": int(r["max_days_overdue"]) or None,
            }
        )
        for r in table.to_dict("records")
    ]
    return rows[:10]


def business_summary(ctx: ToolContext, args: SummaryArgs) -> dict[str, Any]:
    """Outstanding and overdue per currency, unbilled time, and who owes the most."""
    full = ctx.snapshot is not None
    snapshot = ctx.snapshot() if ctx.snapshot is not None else _live_snapshot(ctx)
    frames = ctx.frames_of(snapshot, today_of(ctx))
    currencies = _per_currency(frames)
    if full:
        figures = ctx.figures  # the Overview's own headlines, when the app keeps them
        blocks = figures.overview(snapshot, frames) if figures is not None else overview(frames)
        _year_headlines(blocks, currencies)
    return compact(
        {
            "business": text(ctx.business.name, 80),
            "today": frames.today.isoformat(),
            "as_of": snapshot.fetched_at.isoformat(timespec="seconds"),
            "home_currency": frames.home_currency,
            "by_currency": currencies,
            "top_debtors": _debtors(frames),
            "note": (
                "Money is per currency, never added across currencies. Unbilled value counts "
                "only time with a known hourly rate."
            ),
            "incomplete": list(snapshot.truncated) or None,
        }
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="business_summary",
        description=(
            "The business at a glance, the same numbers as the dashboards: outstanding and "
            "overdue per currency, unbilled hours and their value, collections, expenses and "
            "profit this year (when the dashboards' data is loaded), and who owes the most."
        ),
        args=SummaryArgs,
        handler=business_summary,
    )
]
