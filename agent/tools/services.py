"""Service tools (read-only): the kinds of work time is logged against, with their rates."""

from __future__ import annotations

from typing import Any

from agent.results import rows_result
from agent.tool import Tool, ToolContext

from ._args import Args
from ._lookup import LIST_PAGES, service_rates
from ._rows import compact

__all__ = ["TOOLS"]


class ListServicesArgs(Args):
    """No arguments: every service of the business."""


def list_services(ctx: ToolContext, args: ListServicesArgs) -> dict[str, Any]:
    """Services with their hourly rate (a plain number in the client's currency) when set."""
    rates = service_rates(ctx)
    found = ctx.reads.services(pages=LIST_PAGES)
    services = [s for s in found if s.vis_state == 0]
    rows = [
        compact(
            {
                "id": s.id,
                "name": s.name,
                "billable": bool(s.billable),
                "rate": format(rates[s.id], "f") if s.id in rates else None,
            }
        )
        for s in sorted(services, key=lambda s: (s.name or "").casefold())
    ]
    return rows_result(rows)


TOOLS: list[Tool[Any]] = [
    Tool(
        name="list_services",
        description=(
            "The business's services (kinds of work such as design or development) with their "
            "ids, whether billable, and hourly rates where set."
        ),
        args=ListServicesArgs,
        handler=list_services,
    ),
]
