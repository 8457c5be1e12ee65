"""Time entries: `/timetracking/business/{b}/time_entries[/{id}]`.

Durations are seconds, timestamps ISO with Z. A PUT replaces the whole record (fields left out
go back to their defaults), which is why clients must read, merge, then write. Without
`team=true` a list shows only the caller's own entries; without `include_unlogged=true` running
timers are left out; deleted entries appear only with `include_deleted=true`.
"""

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
from sandbox.core.books import Business, Collection
from sandbox.core.query import project_sort, sorted_records
from sandbox.core.wire import iso_z, parse_iso

SORTS = {
    "started_at": lambda r: r.get("started_at"),
    "duration": lambda r: r.get("duration"),
    "created_at": lambda r: r.get("created_at"),
}
REFERENCES = (("client_id", "clients"), ("project_id", "projects"), ("service_id", "services"))


def entry_defaults() -> dict[str, Any]:
    """Optional fields of a time entry, as a PUT resets them."""
    return {
        "client_id": None,
        "project_id": None,
        "service_id": None,
        "task_id": None,
        "pending_client": None,
        "pending_project": None,
        "pending_task": None,
        "note": None,
        "billable": True,
        "billed": False,
        "internal": False,
        "retainer_id": None,
    }


def build_entry(business: Business, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a full time entry body (create or replace) and return its fields."""
    errors: dict[str, str] = {}
    is_logged = as_bool(body.get("is_logged"))
    if "is_logged" not in body:
        errors["is_logged"] = "field required"
    elif is_logged is None:
        errors["is_logged"] = "value could not be parsed to a boolean"
    started: dt.datetime | None = None
    if body.get("started_at") in (None, ""):
        errors["started_at"] = "field required"
    else:
        try:
            started = parse_iso(str(body["started_at"]))
        except ValueError:
            errors["started_at"] = "invalid datetime format"
    duration = as_int(body.get("duration"))
    if body.get("duration") is None:
        if is_logged is not False:  # a running timer may start without a duration
            errors["duration"] = "field required"
    elif duration is None or duration < 0:
        errors["duration"] = "value is not a valid integer"
    fields = entry_defaults()
    for name in fields:
        if name in body:
            fields[name] = body[name]
    for name in ("billable", "billed", "internal"):
        if as_bool(fields[name]) is None:
            errors[name] = "value could not be parsed to a boolean"
        else:
            fields[name] = as_bool(fields[name])
    for name, collection in REFERENCES:
        value = fields.get(name)
        if value in (None, 0):
            fields[name] = None
            continue
        ref = as_int(value)
        if ref is None:
            errors[name] = "value is not a valid integer"
        elif business.col(collection).get(ref) is None:
            errors[name] = f"{name.removesuffix('_id')} not found"
        else:
            fields[name] = ref
    if errors:
        raise invalid(errors)
    assert started is not None
    assert is_logged is not None
    fields.update({"is_logged": is_logged, "started_at": iso_z(started), "duration": duration})
    return fields


def present(record: dict[str, Any]) -> dict[str, Any]:
    """The wire copy of a time entry (timer object for running entries)."""
    out = public(record)
    out["timer"] = None if record.get("is_logged") else {"id": record["id"], "is_running": True}
    return out


def present_all(collection: Collection, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wire copies for a list, each built once until its entry is replaced."""
    return [collection.memo(r, (), present) for r in records]


async def list_entries(request: Request) -> Response:
    """GET time entries with FreshBooks' bare time-entry filters (see the module docstring)."""
    grant = require(request, "user:time_entries:read")
    business = business_for(request)
    query = request.query_params
    collection = business.col("time_entries")
    chosen = project_sort(query.get("sort"), SORTS)
    name, descending = chosen if chosen else ("started_at", True)
    ordered = sorted_records(collection, name, SORTS[name], descending)
    deleted = bool(bool_param(query, "include_deleted"))
    unlogged = bool(bool_param(query, "include_unlogged"))
    owner = None if bool_param(query, "team") else grant.identity_id

    def visible() -> list[dict[str, Any]]:
        return [
            r
            for r in ordered
            if (deleted or r.get("active", True))
            and (unlogged or r.get("is_logged"))
            and (owner is None or r.get("identity_id") == owner)
        ]

    # The default views are cached until the collection changes: 50,000 entries stay cheap.
    rows = collection.cached(f"view:{name}:{descending}:{deleted}:{unlogged}:{owner}", visible)
    for flag in ("billable", "billed"):
        wanted = bool_param(query, flag)
        if wanted is not None:
            rows = [r for r in rows if bool(r.get(flag)) is wanted]
    for ref in ("client_id", "project_id", "service_id", "task_id", "identity_id"):
        value = int_param(query, ref)
        if value is not None:
            rows = [r for r in rows if r.get(ref) == value]
    started_from = time_param(query, "started_from")
    started_to = time_param(query, "started_to")
    since = time_param(query, "updated_since")
    # Stored timestamps are canonical "YYYY-MM-DDTHH:MM:SSZ", so strings compare as times.
    if started_from is not None:
        low = iso_z(started_from)
        rows = [r for r in rows if r["started_at"] >= low]
    if started_to is not None:
        high = iso_z(started_to)
        rows = [r for r in rows if r["started_at"] <= high]
    if since is not None:
        low = iso_z(since)
        rows = [r for r in rows if (r.get("_updated_at") or r["created_at"]) >= low]
    chunk, meta = paginate(rows, query)
    return JSONAnswer({"time_entries": present_all(collection, chunk), "meta": meta})


def _stored(
    key: int, identity: Any, fields: dict[str, Any], *, created_at: Any, now: str
) -> dict[str, Any]:
    # A create and a PUT both write the whole record: a PUT keeps only id, owner and created_at.
    return {
        "id": key,
        "identity_id": identity,
        **fields,
        "active": True,
        "created_at": created_at,
        "_updated_at": now,
    }


async def create_entry(request: Request) -> Response:
    """POST a time entry: `{"time_entry": {...}}`."""
    grant = require(request, "user:time_entries:write")
    business = business_for(request)
    payload = await read_envelope(request, "time_entry")
    fields = build_entry(business, payload)
    now = iso_z(sandbox_of(request).now())
    key = business.col("time_entries").next_id()
    identity = as_int(payload.get("identity_id")) or grant.identity_id
    record = _stored(key, identity, fields, created_at=now, now=now)
    business.save("time_entries", key, record)
    return JSONAnswer({"time_entry": present(record)})


async def entry_item(request: Request) -> Response:
    """GET / PUT (full replace) / DELETE (204) one time entry."""
    require(request, scope_for(request, "time_entries"))
    business = business_for(request)
    key = int(request.path_params["key"])
    record = business.col("time_entries").get(key)
    if record is None or not record.get("active", True):
        raise not_found()
    now = iso_z(sandbox_of(request).now())
    if request.method == "GET":
        return JSONAnswer({"time_entry": present(record)})
    if request.method == "DELETE":
        business.save("time_entries", key, {**record, "active": False, "_updated_at": now})
        return Response(status_code=204)
    payload = await read_envelope(request, "time_entry")
    fields = build_entry(business, payload)
    identity = as_int(payload.get("identity_id")) or record.get("identity_id")
    replaced = _stored(key, identity, fields, created_at=record.get("created_at"), now=now)
    business.save("time_entries", key, replaced)
    return JSONAnswer({"time_entry": present(replaced)})


ROUTES = [
    Route(
        "/timetracking/business/{business_id:int}/time_entries",
        list_entries,
        methods=["GET"],
    ),
    Route(
        "/timetracking/business/{business_id:int}/time_entries",
        create_entry,
        methods=["POST"],
    ),
    Route(
        "/timetracking/business/{business_id:int}/time_entries/{key:int}",
        entry_item,
        methods=["GET", "PUT", "DELETE"],
    ),
]
