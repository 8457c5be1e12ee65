"""Services and service rates under `/comments/business/{b}/...`, mirrored into tasks."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.api.catalog import next_shared_id, sync_task_from_service
from sandbox.api.plumbing import require, sandbox_of, scope_for
from sandbox.api.projectstyle import (
    as_bool,
    bool_param,
    business_for,
    invalid,
    not_found,
    paginate,
    read_envelope,
)
from sandbox.core.answers import JSONAnswer, public
from sandbox.core.books import Business
from sandbox.core.kinds import Ctx
from sandbox.core.wire import dec, money_str


def _ctx(request: Request, business: Business) -> Ctx:
    box = sandbox_of(request)
    return Ctx(box.books, business, box.now())


def _save(ctx: Ctx, service: dict[str, Any]) -> None:
    # Tasks are the accounting view of the same records: every service write mirrors into one.
    ctx.biz.save("services", service["id"], service)
    sync_task_from_service(ctx, service)


def present(record: dict[str, Any], include_task_id: bool) -> dict[str, Any]:
    """The wire copy of a service."""
    out = public(record)
    if include_task_id:
        out["task_id"] = record["id"]
    return out


def _one_service(request: Request) -> tuple[Business, dict[str, Any]]:
    # The per-service endpoints (item and rate) share their scope, and a deleted service is gone.
    require(request, scope_for(request, "billable_items"))
    business = business_for(request)
    record = business.col("services").get(int(request.path_params["key"]))
    if record is None or record.get("vis_state") == 1:
        raise not_found()
    return business, record


def _apply(record: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = dict(record)
    if "name" in payload:
        if not str(payload["name"] or "").strip():
            errors["name"] = "field required"
        out["name"] = payload["name"]
    for name in ("billable", "project_default"):
        if name in payload:
            value = as_bool(payload[name])
            if value is None:
                errors[name] = "value could not be parsed to a boolean"
            out[name] = value
    if "vis_state" in payload:
        if payload["vis_state"] not in (0, 1, 2):
            errors["vis_state"] = "value is not a valid enumeration member"
        out["vis_state"] = payload["vis_state"]
    if errors:
        raise invalid(errors)
    return out


async def list_services(request: Request) -> Response:
    """GET services (deleted ones left out) with `meta` pagination."""
    require(request, "user:billable_items:read")
    business = business_for(request)
    rows = sorted(
        (s for s in business.col("services").items.values() if s.get("vis_state") != 1),
        key=lambda s: s["id"],
    )
    chunk, meta = paginate(rows, request.query_params)
    with_task = bool(bool_param(request.query_params, "include_task_id"))
    return JSONAnswer({"services": [present(s, with_task) for s in chunk], "meta": meta})


async def create_service(request: Request) -> Response:
    """POST `{"service": {"name": ...}}`; the matching task is created too."""
    require(request, "user:billable_items:write")
    business = business_for(request)
    payload = await read_envelope(request, "service")
    if not str(payload.get("name") or "").strip():
        raise invalid({"name": "field required"})
    ctx = _ctx(request, business)
    base = {
        "business_id": business.business_id,
        "id": next_shared_id(ctx),
        "name": "",
        "billable": True,
        "project_default": False,
        "vis_state": 0,
    }
    record = _apply(base, payload)
    _save(ctx, record)
    return JSONAnswer({"service": present(record, True)})


async def service_item(request: Request) -> Response:
    """GET / PUT / DELETE (204, soft) one service."""
    business, record = _one_service(request)
    with_task = bool(bool_param(request.query_params, "include_task_id"))
    if request.method == "GET":
        return JSONAnswer({"service": present(record, with_task)})
    ctx = _ctx(request, business)
    if request.method == "DELETE":
        _save(ctx, {**record, "vis_state": 1})
        return Response(status_code=204)
    updated = _apply(record, await read_envelope(request, "service"))
    _save(ctx, updated)
    return JSONAnswer({"service": present(updated, with_task)})


async def service_rate(request: Request) -> Response:
    """GET / POST / PUT `{"service_rate": {"rate": "10.00"}}` of one service."""
    business, service = _one_service(request)
    rates = business.col("service_rates")
    current = rates.get(service["id"])
    if request.method == "GET":
        if current is None:
            raise not_found()
        return JSONAnswer({"service_rate": current})
    payload = await read_envelope(request, "service_rate")
    try:
        rate = money_str(dec(payload.get("rate")))
    except ValueError:
        raise invalid({"rate": "value is not a valid decimal"}) from None
    record = {"rate": rate, "business_id": business.business_id, "service_id": service["id"]}
    business.save("service_rates", service["id"], record)
    sync_task_from_service(_ctx(request, business), service)
    return JSONAnswer({"service_rate": record})


async def list_rates(request: Request) -> Response:
    """GET every service rate: `{"service_rates": [...]}` (plus `meta`)."""
    require(request, "user:billable_items:read")
    business = business_for(request)
    live = {k for k, s in business.col("services").items.items() if s.get("vis_state") != 1}
    rows = sorted(
        (r for k, r in business.col("service_rates").items.items() if k in live),
        key=lambda r: r["service_id"],
    )
    chunk, meta = paginate(rows, request.query_params)
    return JSONAnswer({"service_rates": chunk, "meta": meta})


ROUTES = [
    Route("/comments/business/{business_id:int}/services", list_services, methods=["GET"]),
    Route("/comments/business/{business_id:int}/service", create_service, methods=["POST"]),
    Route(
        "/comments/business/{business_id:int}/service/{key:int}",
        service_item,
        methods=["GET", "PUT", "DELETE"],
    ),
    Route(
        "/comments/business/{business_id:int}/service/{key:int}/rate",
        service_rate,
        methods=["GET", "POST", "PUT"],
    ),
    Route("/comments/business/{business_id:int}/service_rates", list_rates, methods=["GET"]),
]
