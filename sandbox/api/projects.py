"""Projects: `/projects/business/{b}/projects` (list) and `/project[/{id}]` (create/get/put/delete)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.api.plumbing import require, sandbox_of, scope_for
from sandbox.api.projectstyle import (
    as_bool,
    as_int,
    bool_param,
    business_for,
    int_param,
    invalid,
    not_found,
    paginate,
    read_envelope,
    time_param,
)
from sandbox.core.answers import JSONAnswer, public
from sandbox.core.books import Business
from sandbox.core.query import project_sort, sorted_records
from sandbox.core.wire import dec, iso_naive, parse_iso

PROJECT_TYPES = ("fixed_price", "hourly_rate")
BILLING_METHODS = ("business_rate", "project_rate", "service_rate", "team_member_rate")
SORTS = {
    "created_at": lambda r: r.get("created_at"),
    "due_date": lambda r: r.get("due_date"),
    "title": lambda r: r.get("title"),
}
ABILITIES = [
    {"name": "can_edit", "value": True},
    {"name": "can_delete", "value": True},
    {"name": "can_view_budget", "value": True},
    {"name": "can_log_time", "value": True},
]


def project_defaults(business: Business, now: dt.datetime) -> dict[str, Any]:
    """A new project's fields."""
    stamp = iso_naive(now)
    return {
        "title": "",
        "description": "",
        "due_date": None,
        "client_id": None,
        "internal": False,
        "budget": None,
        "fixed_price": None,
        "rate": None,
        "billing_method": "business_rate",
        "project_type": "hourly_rate",
        "project_manager_id": None,
        "active": True,
        "complete": False,
        "sample": False,
        "created_at": stamp,
        "updated_at": stamp,
        "logged_duration": None,
        "services": [],
        "billed_amount": "0.00",
        "billed_status": "unbilled",
        "retainer_id": None,
        "expense_markup": "0",
        "group_id": None,
    }


def logged_by_project(business: Business) -> dict[Any, int]:
    """Seconds logged per project by active, completed time entries (cached per version)."""
    entries = business.col("time_entries")

    def build() -> dict[Any, int]:
        totals: dict[Any, int] = {}
        for e in entries.items.values():
            if e.get("active", True) and e.get("is_logged"):
                key = e.get("project_id")
                totals[key] = totals.get(key, 0) + int(e.get("duration") or 0)
        return totals

    return entries.cached("logged-by-project", build)


def logged_seconds(business: Business, project_id: int) -> int:
    """Seconds logged on a project by active, completed time entries."""
    return logged_by_project(business).get(project_id, 0)


def validate(business: Business, body: dict[str, Any], *, creating: bool) -> None:
    """422 2001 with a message per bad field."""
    errors: dict[str, str] = {}
    if creating and not str(body.get("title") or "").strip():
        errors["title"] = "field required"
    if "title" in body and not creating and not str(body.get("title") or "").strip():
        errors["title"] = "ensure this value has at least 1 characters"
    if body.get("client_id") not in (None, 0):
        client_id = as_int(body["client_id"])
        if client_id is None:
            errors["client_id"] = "value is not a valid integer"
        elif business.col("clients").get(client_id) is None:
            errors["client_id"] = "client not found"
    if "project_type" in body and body["project_type"] not in PROJECT_TYPES:
        errors["project_type"] = (
            f"value is not a valid enumeration member; permitted: {PROJECT_TYPES}"
        )
    if "billing_method" in body and body["billing_method"] not in (None, *BILLING_METHODS):
        errors["billing_method"] = "value is not a valid enumeration member"
    if body.get("due_date") not in (None, ""):
        try:
            dt.date.fromisoformat(str(body["due_date"]))
        except ValueError:
            errors["due_date"] = "invalid date format"
    if body.get("budget") not in (None, "") and as_int(body["budget"]) is None:
        errors["budget"] = "value is not a valid integer"
    for name in ("fixed_price", "rate", "expense_markup"):
        if body.get(name) not in (None, ""):
            try:
                dec(body[name])
            except ValueError:
                errors[name] = "value is not a valid decimal"
    for name in ("internal", "active", "complete"):
        if name in body and as_bool(body[name]) is None:
            errors[name] = "value could not be parsed to a boolean"
    if errors:
        raise invalid(errors)


def _clean(body: dict[str, Any]) -> dict[str, Any]:
    blocked = {
        "id",
        "created_at",
        "updated_at",
        "logged_duration",
        "billed_amount",
        "billed_status",
    }
    out = {k: v for k, v in body.items() if k not in blocked}
    for name in ("internal", "active", "complete"):
        if name in out:
            out[name] = as_bool(out[name])
    for name in ("fixed_price", "rate", "expense_markup"):
        if out.get(name) not in (None, ""):
            out[name] = str(out[name])
    if "client_id" in out:
        out["client_id"] = as_int(out["client_id"]) or None
    return out


def present(business: Business, record: dict[str, Any], *, single: bool, logged: bool) -> dict:
    """The wire copy of a project (with `group` on single reads)."""
    out = public(record)
    out["logged_duration"] = logged_seconds(business, record["id"]) if logged else None
    if single:
        out["group"] = record.get("group") or {
            "id": record.get("group_id"),
            "members": [],
            "pending_invitations": [],
        }
    else:
        out.pop("group", None)
    return out


async def list_projects(request: Request) -> Response:
    """GET the projects of a business with `meta` pagination."""
    require(request, "user:projects:read")
    business = business_for(request)
    query = request.query_params
    collection = business.col("projects")
    raw_sort = query.get("sort")
    chosen = project_sort(raw_sort, SORTS)
    if chosen:
        rows = sorted_records(collection, chosen[0], SORTS[chosen[0]], chosen[1])
    else:
        rows = sorted_records(collection, "id", lambda r: r.get("id"), False)
    active = bool_param(query, "active")
    complete = bool_param(query, "complete")
    client_id = int_param(query, "client_id")
    since = time_param(query, "updated_since")
    if active is not None:
        rows = [r for r in rows if bool(r.get("active")) is active]
    if complete is not None:
        rows = [r for r in rows if bool(r.get("complete")) is complete]
    if client_id is not None:
        rows = [r for r in rows if r.get("client_id") == client_id]
    if since is not None:
        rows = [r for r in rows if r.get("updated_at") and parse_iso(r["updated_at"]) >= since]
    logged = bool(bool_param(query, "include_logged_duration"))
    skip_group = bool(bool_param(query, "skip_group"))
    seconds = logged_by_project(business) if logged else None
    chunk, meta = paginate(rows, query, sort=[raw_sort] if chosen and raw_sort else [])

    def wire(record: dict[str, Any]) -> dict[str, Any]:
        project = present(business, record, single=False, logged=logged)
        if skip_group:
            project.pop("group_id", None)
        return project

    # Each project is built once per (logged seconds, skip_group) until it is replaced.
    projects = [
        collection.memo(r, (None if seconds is None else seconds.get(r["id"], 0), skip_group), wire)
        for r in chunk
    ]
    return JSONAnswer({"projects": projects, "meta": meta})


async def create_project(request: Request) -> Response:
    """POST a new project: `{"project": {...}}` in, `{"project": {...}}` out."""
    require(request, "user:projects:write")
    business = business_for(request)
    payload = await read_envelope(request, "project")
    validate(business, payload, creating=True)
    now = sandbox_of(request).now()
    record = {**project_defaults(business, now), **_clean(payload)}
    record["id"] = business.col("projects").next_id()
    business.save("projects", record["id"], record)
    return JSONAnswer({"project": present(business, record, single=True, logged=True)})


async def project_item(request: Request) -> Response:
    """GET (with abilities) / PUT (partial) / DELETE (204) one project."""
    require(request, scope_for(request, "projects"))
    business = business_for(request)
    key = int(request.path_params["key"])
    record = business.col("projects").get(key)
    if record is None:
        raise not_found()
    if request.method == "GET":
        return JSONAnswer(
            {
                "project": present(business, record, single=True, logged=True),
                "abilities": ABILITIES,
            }
        )
    if request.method == "DELETE":
        business.drop("projects", key)
        return Response(status_code=204)
    payload = await read_envelope(request, "project")
    validate(business, payload, creating=False)
    updated = {**record, **_clean(payload), "updated_at": iso_naive(sandbox_of(request).now())}
    business.save("projects", key, updated)
    return JSONAnswer({"project": present(business, updated, single=True, logged=True)})


ROUTES = [
    Route("/projects/business/{business_id:int}/projects", list_projects, methods=["GET"]),
    Route("/projects/business/{business_id:int}/project", create_project, methods=["POST"]),
    Route(
        "/projects/business/{business_id:int}/project/{key:int}",
        project_item,
        methods=["GET", "PUT", "DELETE"],
    ),
]
