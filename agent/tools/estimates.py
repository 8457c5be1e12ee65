"""Estimate tools (read-only): search and get with lines.

In the app they answer from the local mirror (estimates are mirrored with their lines), with
the API's filters and order (see :mod:`agent.tools._mirror`); elsewhere they ask FreshBooks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from agent.queries import EstimateQuery
from agent.results import money, rows_result, totals_by_currency
from agent.tool import Tool, ToolContext

from ._args import Args, PeriodArgs, RecordId
from ._lookup import LIST_PAGES
from ._rows import estimate_row, line_row, text

__all__ = ["TOOLS"]


class SearchEstimatesArgs(PeriodArgs):
    """Filters for an estimate search; the dates are estimate dates."""

    client_id: RecordId | None = Field(default=None, description="Only this client's estimates")


def search_estimates(ctx: ToolContext, args: SearchEstimatesArgs) -> dict[str, Any]:
    """Matching estimates, newest first, with totals per currency."""
    start, end = args.bounds(ctx)
    found = ctx.reads.estimates(
        EstimateQuery(pages=LIST_PAGES, customerid=args.client_id, date_min=start, date_max=end)
    )
    estimates = sorted(found, key=lambda e: (e.create_date or date.min, e.id), reverse=True)
    return rows_result(
        [estimate_row(e) for e in estimates],
        totals={
            "amount": totals_by_currency(
                (e.amount.code, e.amount.amount) for e in estimates if e.amount
            )
        },
    )


class GetEstimateArgs(Args):
    """Which estimate."""

    estimate_id: RecordId = Field(description="FreshBooks id of the estimate (not its number)")


def get_estimate(ctx: ToolContext, args: GetEstimateArgs) -> dict[str, Any]:
    """One estimate with its lines and printed text (as data)."""
    estimate = ctx.reads.estimate(args.estimate_id)
    detail = estimate_row(estimate)
    extra = {
        "discount": money(estimate.discount_total)
        if estimate.discount_total is not None and estimate.discount_total.amount
        else None,
        "notes": text(estimate.notes, 300),
        "terms": text(estimate.terms, 200),
        "lines": [line_row(line) for line in estimate.lines[:25]],
        "line_count": len(estimate.lines),
    }
    detail.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    return {"estimate": detail}


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_estimates",
        description=(
            "Search estimates (quotes) by client or estimate date (a relative period or "
            "explicit dates). Newest first, at most 25, with totals per currency."
        ),
        args=SearchEstimatesArgs,
        handler=search_estimates,
    ),
    Tool(
        name="get_estimate",
        description="One estimate with its lines, amount and status.",
        args=GetEstimateArgs,
        handler=get_estimate,
    ),
]
