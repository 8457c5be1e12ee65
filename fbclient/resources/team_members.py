"""Team members: ``/auth/api/v1/businesses/{business_id}/team_members[/{uuid}]``.

Yet another envelope: ``{"response": [...], "meta": {"page", "per_page", "total"}}`` for lists
(no ``pages``: derived from total and per_page) and ``{"response": {...}}`` for one member.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import ResponseFormatError
from ..listing import Listing
from ..models._base import parse_model
from ..models.team import TeamMember
from ..pagination import ListResult, Page
from ..scopes import Access
from ._base import ProjectFamilyResource, bare_page

__all__ = ["TeamMembers"]


class TeamMembers(ProjectFamilyResource[TeamMember]):
    """List and get team members (read-only here; write endpoints are not researched)."""

    scopes: ClassVar[Access] = Access("teams")

    service: ClassVar[str] = "auth"  # unused: the path shape differs, see _base()
    singular: ClassVar[str] = "team member"
    plural: ClassVar[str] = "team members"
    model = TeamMember
    listing: ClassVar[Listing | None] = Listing(
        name="team_members",
        model=TeamMember,
        family="response",
        path="/auth/api/v1/businesses/{business}/team_members",
        key=plural,
        singular="response",  # read-only here: no write answers to read
        ids=("uuid",),
        resource="team_members",
    )

    def _base(self) -> str:
        return f"/auth/api/v1/businesses/{self._scope.business_id}/team_members"

    def _one(self, body: Any, key: str | None = None) -> TeamMember:
        if not isinstance(body, dict) or not isinstance(body.get("response"), dict):
            raise ResponseFormatError("FreshBooks answered without the team member")
        return parse_model(TeamMember, body["response"], "team member")

    def _page(self, body: Any) -> Page[TeamMember]:
        return bare_page(body, "response", self._read, plural=self.plural)

    def list(
        self, *, active: bool | None = None, max_pages: int | None = None
    ) -> ListResult[TeamMember]:
        """Every team member (all pages, fetched concurrently after the first)."""
        return self._list(self._base(), {"active": active}, max_pages=max_pages)

    def get(self, uuid: str) -> TeamMember:
        """One team member by uuid."""
        return self._one(self.http.request("GET", f"{self._base()}/{uuid}"))
