"""Identity family: `/auth/api/v1/users/me` and a business's team members."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.api.plumbing import require, sandbox_of
from sandbox.core.answers import JSONAnswer
from sandbox.core.errors import ApiError, Problem
from sandbox.core.query import TRUE_WORDS, parse_page

TEAM_PER_PAGE = 15


async def me(request: Request) -> Response:
    """The demo user's identity, with every business membership."""
    require(request, "user:profile:read")
    return JSONAnswer({"response": sandbox_of(request).books.identity})


def _members(request: Request) -> list[dict[str, Any]]:
    books = sandbox_of(request).books
    business = books.by_business_id(request.path_params["business_id"])
    if business is None:
        raise ApiError(404, [Problem(404, "Business not found.", "business_id")], kind="not_found")
    members = list(business.col("team_members").items.values())
    return sorted(members, key=lambda m: (m.get("created_at") or "", m.get("uuid") or ""))


async def team_members(request: Request) -> Response:
    """List a business's team members: `{"response": [...], "meta": {page, per_page, total}}`."""
    require(request, "user:teams:read")
    members = _members(request)
    active = request.query_params.get("active")
    if active not in (None, ""):
        wanted = active.lower() in TRUE_WORDS
        members = [m for m in members if bool(m.get("active", True)) is wanted]
    page = parse_page(request.query_params, TEAM_PER_PAGE, project_style=True)
    chunk, numbers = page.slice(members)
    meta = {"page": numbers["page"], "per_page": numbers["per_page"], "total": numbers["total"]}
    return JSONAnswer({"response": chunk, "meta": meta})


async def team_member(request: Request) -> Response:
    """One team member by uuid: `{"response": {...}}`."""
    require(request, "user:teams:read")
    uuid = request.path_params["uuid"]
    for member in _members(request):
        if str(member.get("uuid")) == uuid:
            return JSONAnswer({"response": member})
    raise ApiError(404, [Problem(404, "Team member not found.", "uuid")], kind="not_found")


ROUTES = [
    Route("/auth/api/v1/users/me", me, methods=["GET"]),
    Route("/auth/api/v1/businesses/{business_id:int}/team_members", team_members, methods=["GET"]),
    Route(
        "/auth/api/v1/businesses/{business_id:int}/team_members/{uuid}",
        team_member,
        methods=["GET"],
    ),
]
