"""Team tools (read-only): the people of the business."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agent.results import rows_result
from agent.tool import Tool, ToolContext

from ._args import Args
from ._lookup import LIST_PAGES
from ._rows import compact, text

__all__ = ["TOOLS"]


class ListTeamArgs(Args):
    """Whether to include people who left."""

    include_inactive: bool | None = Field(
        default=None, description="True to include inactive members; null or false for active"
    )


def list_team_members(ctx: ToolContext, args: ListTeamArgs) -> dict[str, Any]:
    """Team members with role, job title and email (identity_id links them to time entries)."""
    found = ctx.reads.team_members(pages=LIST_PAGES)
    members = [m for m in found if m.active or args.include_inactive]
    rows = [
        compact(
            {
                "name": text(m.display_name, 80),
                "email": m.email,
                "role": m.business_role_name,
                "job_title": text(m.job_title, 80),
                "identity_id": m.identity_id,
                "active": m.active,
            }
        )
        for m in members
    ]
    return rows_result(rows)


TOOLS: list[Tool[Any]] = [
    Tool(
        name="list_team_members",
        description="The business's team members: name, email, role and job title.",
        args=ListTeamArgs,
        handler=list_team_members,
    ),
]
