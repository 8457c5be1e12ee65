"""Projects: ``/projects/business/{business_id}/projects`` (list) and ``.../project[/{id}]``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from ..listing import Listing
from ..models._base import as_input, to_payload
from ..models.projects import Project, ProjectInput, ProjectSort
from ..pagination import ListResult
from ..scopes import Access
from ..types import utc_z
from ._base import ProjectFamilyResource, WriteData

__all__ = ["Projects"]


class Projects(ProjectFamilyResource[Project]):
    """List, get, create, update and delete (HTTP DELETE, 204) projects.

    The list path is plural and every other path singular (both official SDKs; some
    third-party code uses ``/projects/{id}``, which is wrong).
    """

    scopes: ClassVar[Access] = Access("projects")

    service: ClassVar[str] = "projects"
    singular: ClassVar[str] = "project"
    plural: ClassVar[str] = "projects"
    model = Project
    listing: ClassVar[Listing | None] = Listing(
        name="projects",
        model=Project,
        family="bare",
        path=f"/{service}/business/{{business}}/{plural}",
        key=plural,
        singular=singular,
        ids=("id",),
        resource="projects",
    )

    def _url(self, project_id: int | None = None) -> str:
        base = f"{self._base()}/project"
        return base if project_id is None else f"{base}/{project_id}"

    def _project(self, body: Any) -> Project:
        # GET answers carry "abilities" beside "project"; fold it in so it stays reachable.
        if isinstance(body, dict) and isinstance(body.get("project"), dict) and "abilities" in body:
            body = {**body, "project": {**body["project"], "abilities": body["abilities"]}}
        return self._one(body)

    def list(
        self,
        *,
        active: bool | None = None,
        complete: bool | None = None,
        include_logged_duration: bool | None = None,
        updated_since: datetime | None = None,
        client_id: int | None = None,
        skip_group: bool | None = None,
        sort: ProjectSort | None = None,
        direction: Literal["asc", "desc"] = "asc",
        max_pages: int | None = None,
    ) -> ListResult[Project]:
        """Every matching project (all pages). ``updated_since`` must be timezone-aware."""
        filters = {
            "active": active,
            "complete": complete,
            "include_logged_duration": include_logged_duration,
            "updated_since": utc_z(updated_since) if updated_since else None,
            "client_id": client_id,
            "skip_group": skip_group,
        }
        return self._list(
            f"{self._base()}/projects",
            filters,
            sort=sort,
            direction=direction,
            max_pages=max_pages,
        )

    def get(self, project_id: int) -> Project:
        """One project, with its ``abilities`` and ``group``."""
        return self._project(self.http.request("GET", self._url(project_id)))

    def create(self, data: WriteData) -> Project:
        """Create a project (``title`` required); never retried automatically."""
        payload = to_payload(as_input(ProjectInput, data))
        if not payload.get("title"):
            raise ValueError("a project needs a title")
        body = {self.singular: payload}
        return self._project(self._written(None, self.http.request("POST", self._url(), json=body)))

    def update(self, project_id: int, data: WriteData) -> Project:
        """Change the fields given.

        Sent as a partial PUT, as the official SDKs do; unlike time entries, no source says a
        project PUT replaces the whole record [?].
        """
        payload = to_payload(as_input(ProjectInput, data))
        if not payload:
            raise ValueError("nothing to update")
        body = {self.singular: payload}
        answer = self.http.request("PUT", self._url(project_id), json=body)
        return self._project(self._written(project_id, answer))

    def delete(self, project_id: int) -> None:
        """Delete a project (FreshBooks answers 204 with no body)."""
        self._written(project_id, self.http.request("DELETE", self._url(project_id)), deleted=True)
