"""Project tools: search, get, find by name, create and update."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from agent.queries import ProjectQuery
from agent.results import rows_result
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient.models.projects import BillingMethod, Project, ProjectInput, ProjectType

from ._args import Args, LongText, RecordId, ShortText, UnitCost, UpdateArgs, changed_fields
from ._cards import change_rows, display, read_back, record_ids, written, written_id
from ._lookup import (
    LIST_PAGES,
    client_names,
    find_by_name,
    match_payload,
    project_search_names,
    service_rates,
)
from ._recent import SLACK, made_since, same_text
from ._rows import compact, hours_text, project_row, text

__all__ = ["TOOLS", "project_detail"]

LABELS = {
    "title": "Title",
    "client_id": "Client id",
    "project_type": "Type",
    "billing_method": "Billed at",
    "rate": "Hourly rate",
    "fixed_price": "Fixed price",
    "due_date": "Due date",
    "description": "Description",
    "active": "Active",
    "complete": "Complete",
}


# --- search_projects --------------------------------------------------------------------


class SearchProjectsArgs(Args):
    """Filters for a project search."""

    client_id: RecordId | None = Field(default=None, description="Only this client's projects")
    state: Literal["active", "complete", "any"] | None = Field(
        default=None, description="active (the default when null), complete, or any"
    )
    title: ShortText | None = Field(default=None, description="Part of the project title")


def search_projects(ctx: ToolContext, args: SearchProjectsArgs) -> dict[str, Any]:
    """Matching projects by title, with their client and how they bill."""
    state = args.state or "active"
    found = ctx.reads.projects(
        ProjectQuery(
            pages=LIST_PAGES,
            client_id=args.client_id,
            active=True if state == "active" else None,
            complete=True if state == "complete" else None,
            by_title=True,
        )
    )
    projects = list(found)
    if args.title:
        projects = find_by_name(args.title, projects, project_search_names).matches
    names = client_names(ctx) if projects else {}
    return rows_result([project_row(p, names) for p in projects])


# --- get_project ------------------------------------------------------------------------


class GetProjectArgs(Args):
    """Which project."""

    project_id: RecordId = Field(description="FreshBooks id of the project")


def project_detail(ctx: ToolContext, project: Project) -> dict[str, Any]:
    """A project with its services (and their hourly rates) and description (as data)."""
    names = client_names(ctx) if project.client_id else {}
    rates = service_rates(ctx) if project.services else {}
    detail = project_row(project, names)
    detail["services"] = [
        compact(
            {
                "id": s.id,
                "name": s.name,
                "rate": format(rates[s.id], "f") if s.id in rates else None,
            }
        )
        for s in project.services[:25]
    ]
    if project.description:
        detail["description"] = text(project.description, 300)
    if project.budget:
        detail["budget_hours"] = hours_text(project.budget)
    return detail


def get_project(ctx: ToolContext, args: GetProjectArgs) -> dict[str, Any]:
    """One project with its services and rates."""
    # The list carries every field the detail shows (services, description, budget); only a
    # project missing from the mirror (made since the last sync, or unknown) is asked for.
    project = ctx.reads.project(args.project_id)
    return {"project": project_detail(ctx, project)}


# --- find_project -----------------------------------------------------------------------


class FindProjectArgs(Args):
    """A project name to look up, optionally within one client."""

    name: ShortText = Field(description="The project's title as the user said it")
    client_id: RecordId | None = Field(
        default=None, description="Only this client's projects, or null for any client"
    )


def find_project(ctx: ToolContext, args: FindProjectArgs) -> dict[str, Any]:
    """The project called ``name``; several candidates when the name is ambiguous."""
    projects = ctx.reads.projects(ProjectQuery(pages=LIST_PAGES, client_id=args.client_id))
    match = find_by_name(args.name, projects, project_search_names)
    if match.status == "ambiguous":
        # Finished projects rarely get new time: prefer the active ones when that decides.
        active = [p for p in match.matches if p.active and not p.complete]
        if len(active) == 1:
            match = type(match)(match.query, active, match.exact, [])
    names = client_names(ctx) if match.matches else {}
    return match_payload(match, [project_row(p, names) for p in match.matches], "project")


# --- create_project ---------------------------------------------------------------------


class CreateProjectArgs(Args):
    """A new project."""

    title: ShortText = Field(description="Project title")
    client_id: RecordId | None = Field(
        default=None, description="Client the project is for; null for an internal project"
    )
    project_type: ProjectType | None = Field(
        default=None, description="hourly_rate (the default when null) or fixed_price"
    )
    billing_method: BillingMethod | None = Field(
        default=None,
        description="Which rate hourly time is billed at; null for project_rate when rate is "
        "given, else service_rate",
    )
    rate: UnitCost | None = Field(
        default=None, description="Hourly rate as a decimal string in the client's currency"
    )
    fixed_price: UnitCost | None = Field(
        default=None, description="Price of a fixed_price project as a decimal string"
    )
    due_date: date | None = Field(default=None, description="Due date, YYYY-MM-DD, or null")
    description: LongText | None = Field(default=None, description="What the project is about")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.project_type == "fixed_price" and self.fixed_price is None:
            raise ValueError("a fixed_price project needs fixed_price")
        if self.billing_method == "project_rate" and self.rate is None:
            raise ValueError("billing at project_rate needs rate")
        return self

    def fields(self) -> dict[str, Any]:
        """The project's fields with the defaults filled in."""
        values = changed_fields(self, set())
        values.setdefault("project_type", "hourly_rate")
        if values["project_type"] == "hourly_rate":
            values.setdefault("billing_method", "project_rate" if self.rate else "service_rate")
        if self.client_id is None:
            values["internal"] = True
        return values


def _currency_of_client(ctx: ToolContext, client_id: int | None) -> tuple[str | None, str]:
    if client_id is None:
        return None, ""
    client = ctx.books.clients.get(client_id)
    return client.display_name, (client.currency_code or "").upper()


def propose_create_project(ctx: ToolContext, args: CreateProjectArgs) -> ProposedChange:
    """The card: title, client, how it bills and at what rate; a warning for a twin title."""
    client, currency = _currency_of_client(ctx, args.client_id)
    values = args.fields()
    fields = [(LABELS[k], display(v)) for k, v in values.items() if k in LABELS]
    if currency:
        fields.append(("Currency", currency))
    warnings = []
    same = find_by_name(
        args.title,
        ctx.books.projects.list(client_id=args.client_id, max_pages=LIST_PAGES),
        project_search_names,
    )
    if same.exact:
        warnings.append(f"A project called {args.title} already exists (id {same.matches[0].id}).")
    if values.get("billing_method") == "service_rate" and args.rate is not None:
        warnings.append("rate is ignored: time is billed at each service's rate.")
    return ProposedChange(
        title=f"Create project {args.title}" + (f" for {client}" if client else " (internal)"),
        fields=fields,
        client=client,
        warnings=warnings,
    )


def create_project(ctx: ToolContext, args: CreateProjectArgs) -> dict[str, Any]:
    """Create the project, then read it back."""
    created = ctx.books.projects.create(ProjectInput(**args.fields()))
    ids = record_ids(project=created.id)
    return read_back(
        lambda: written(
            "created project",
            ids,
            project=project_detail(ctx, ctx.books.projects.get(created.id)),
        ),
        written("created project", ids, project=project_row(created, {})),
    )


def find_created_project(
    ctx: ToolContext, args: CreateProjectArgs, since: datetime
) -> list[FoundRecord]:
    """Projects with the same title (and client) changed since ``since``."""
    found = ctx.books.projects.list(
        updated_since=since - SLACK, client_id=args.client_id, max_pages=1
    )
    return [
        FoundRecord("project", project.id, f"project {project.title}")
        for project in found
        if same_text(args.title, project.title)
        and project.client_id in (None, args.client_id)
        and made_since(since, project.created_at, project.updated_at)
    ]


def undo_create_project(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the created project."""
    project_id = written_id(result, "project")
    ctx.books.projects.delete(project_id)
    return written("deleted project", record_ids(project=project_id))


# --- update_project ---------------------------------------------------------------------


class UpdateProjectArgs(UpdateArgs):
    """Which project and what to change; null leaves a field unchanged."""

    id_field = "project_id"

    project_id: RecordId = Field(description="FreshBooks id of the project to change")
    title: ShortText | None = Field(default=None, description="New title")
    billing_method: BillingMethod | None = Field(default=None, description="New billing method")
    rate: UnitCost | None = Field(default=None, description="New hourly rate, decimal string")
    fixed_price: UnitCost | None = Field(default=None, description="New fixed price")
    due_date: date | None = Field(default=None, description="New due date, YYYY-MM-DD")
    description: LongText | None = Field(default=None, description="New description")
    active: bool | None = Field(default=None, description="False to archive, true to reactivate")
    complete: bool | None = Field(default=None, description="True to mark complete")


def propose_update_project(ctx: ToolContext, args: UpdateProjectArgs) -> ProposedChange:
    """The card: each changed field, old → new."""
    project = ctx.books.projects.get(args.project_id)
    client, currency = _currency_of_client(ctx, project.client_id)
    changes = changed_fields(args, {"project_id"})
    warnings = []
    if changes.get("billing_method") == "project_rate" and args.rate is None and not project.rate:
        warnings.append("The project has no rate: give rate to bill at project_rate.")
    fields = [("Project", f"{project.title} (id {project.id})")]
    fields += change_rows(project.model_dump(), changes, LABELS)
    if currency and ("rate" in changes or "fixed_price" in changes):
        fields.append(("Currency", currency))
    return ProposedChange(
        title=f"Update project {project.title}",
        fields=fields,
        client=client,
        warnings=warnings,
    )


def update_project(ctx: ToolContext, args: UpdateProjectArgs) -> dict[str, Any]:
    """Change the project, then read it back."""
    changes = changed_fields(args, {"project_id"})
    ctx.books.projects.update(args.project_id, ProjectInput(**changes))
    project = ctx.books.projects.get(args.project_id)
    return written(
        "updated project",
        record_ids(project=project.id),
        changed=sorted(changes),
        project=project_detail(ctx, project),
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_projects",
        description=(
            "Search projects by client, state or part of the title. At most 25, with client, "
            "type, billing method and rate."
        ),
        args=SearchProjectsArgs,
        handler=search_projects,
    ),
    Tool(
        name="get_project",
        description="One project with its client, billing, services and their hourly rates.",
        args=GetProjectArgs,
        handler=get_project,
    ),
    Tool(
        name="find_project",
        description=(
            "Find a project by the name the user said, optionally within one client. Returns "
            "the project when one matches, or candidates when several do: then ask the user."
        ),
        args=FindProjectArgs,
        handler=find_project,
    ),
    Tool(
        name="create_project",
        description="Create a project for a client (or internal). The user confirms first.",
        args=CreateProjectArgs,
        handler=create_project,
        permission="write",
        propose=propose_create_project,
        undo=undo_create_project,
        find_created=find_created_project,
    ),
    Tool(
        name="update_project",
        description=(
            "Change a project's title, billing, rate, price, due date, or mark it complete or "
            "inactive; null fields stay unchanged. The user confirms first."
        ),
        args=UpdateProjectArgs,
        handler=update_project,
        permission="write",
        idempotent=True,
        propose=propose_update_project,
    ),
]
