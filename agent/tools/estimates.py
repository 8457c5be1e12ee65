"""Estimate tools (read-only): search and get with lines.

In the app they answer from the local mirror (estimates are mirrored with their lines), with
the API's filters and order (see :mod:`agent.tools._mirror`); elsewhere they ask FreshBooks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from agent.queries import EstimateQuery
from agent.results import rows_result
from agent.tool import Tool, ToolContext

from ._args import Args, PeriodArgs, RecordId
from ._lookup import LIST_PAGES
from ._rows import amount_totals, compact, estimate_row, printed_parts

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
        totals={"amount": amount_totals(estimates)},
    )


class GetEstimateArgs(Args):
    """Which estimate."""

    estimate_id: RecordId = Field(description="FreshBooks id of the estimate (not its number)")


def get_estimate(ctx: ToolContext, args: GetEstimateArgs) -> dict[str, Any]:
    """One estimate with its lines and printed text (as data)."""
    estimate = ctx.reads.estimate(args.estimate_id)
    return {"estimate": {**estimate_row(estimate), **compact(printed_parts(estimate))}}


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
