"""Routes of the accounting family: `/accounting/account/{account_id}/<group>/<plural>[/{id}]`.

Every resource follows the same verbs, envelopes and list rules (see `sandbox.core.kinds`); this
module resolves the account and the kind, checks the scope and runs the operation.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.api.catalog import Items, Staff, Tasks, Taxes
from sandbox.api.clients import Clients
from sandbox.api.expenses import Categories, Expenses
from sandbox.api.invoices import Estimates, Invoices
from sandbox.api.payments import Payments
from sandbox.api.plumbing import envelope, read_json, require, sandbox_of, scope_for
from sandbox.api.profiles import InvoiceProfiles
from sandbox.api.recurring import catch_up
from sandbox.core.answers import JSONAnswer
from sandbox.core.books import Business
from sandbox.core.errors import ApiError, Problem, method_not_allowed
from sandbox.core.kinds import Ctx, Kind, Record
from sandbox.core.query import (
    accounting_sort,
    apply_filters,
    parse_page,
    search_params,
    sorted_records,
)

KINDS: tuple[Kind, ...] = (
    Clients(),
    Invoices(),
    InvoiceProfiles(),
    Estimates(),
    Expenses(),
    Categories(),
    Payments(),
    Items(),
    Taxes(),
    Staff(),
    Tasks(),
)
BY_PATH: dict[str, Kind] = {k.path: k for k in KINDS}
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
DEFAULT_PER_PAGE = 15


def result(payload: dict[str, Any]) -> JSONAnswer:
    """The accounting success envelope `{"response": {"result": ...}}`."""
    return JSONAnswer({"response": {"result": payload}})


def account(request: Request) -> Business:
    """The business of the path's account id (403 when the token's user has no such account)."""
    business = sandbox_of(request).books.by_account(request.path_params["account_id"])
    if business is None:
        raise ApiError(
            403,
            [Problem(1003, "You do not have access to this account.", "account_id", "account")],
            kind="forbidden",
        )
    return business


def context(request: Request, business: Business) -> Ctx:
    """The handler context for a request on a business."""
    box = sandbox_of(request)
    includes = frozenset(request.query_params.getlist("include[]"))
    base = str(request.base_url).rstrip("/")
    return Ctx(box.books, business, box.now(), includes, base)


def _resolve(request: Request) -> tuple[Kind, Ctx]:
    path = f"{request.path_params['group']}/{request.path_params['plural']}"
    kind = BY_PATH.get(path)
    scope = scope_for(request, kind.scope if kind else "profile")
    require(request, scope)
    if kind is None:
        raise ApiError(404, [Problem(1012, f"Unknown resource '{path}'.")], kind="not_found")
    ctx = context(request, account(request))
    catch_up(ctx)  # recurring invoices due by now exist before anything is read or written
    return kind, ctx


def list_page(kind: Kind, ctx: Ctx, request: Request) -> dict[str, Any]:
    """One page of a filtered, sorted accounting list with its pagination numbers."""
    query = request.query_params
    params = search_params(query)
    page = parse_page(query, DEFAULT_PER_PAGE)
    collection = ctx.biz.col(kind.name)
    chosen = accounting_sort(query.get("sort"), kind.sorts)
    if chosen:
        name, descending = chosen
        getter = kind.sorts[name]
    else:
        name, getter, descending = kind.default_getter()
    ordered = sorted_records(collection, name, getter, descending)
    if "vis_state" not in params:
        # Default view: active and archived, never deleted.
        ordered = collection.cached(
            f"visible:{name}:{descending}",
            lambda: [r for r in ordered if r.get("vis_state") != 1],
        )
    table = {**kind.all_filters(), **kind.context_filters(ctx)}
    rows = list(apply_filters(ordered, table, params))
    chunk, numbers = page.slice(rows)
    return {kind.plural: kind.present_all(ctx, chunk), **numbers}


async def collection_endpoint(request: Request) -> Response:
    """GET list / POST create."""
    kind, ctx = _resolve(request)
    if request.method == "GET":
        return result(list_page(kind, ctx, request))
    if not kind.creatable:
        raise method_not_allowed(kind.singular)
    payload = envelope(await read_json(request), kind.singular)
    record = kind.create(ctx, payload)
    save(kind, ctx, record, None)
    return result(
        {kind.singular: kind.present(ctx, ctx.biz.col(kind.name).get(record["id"]) or record)}
    )


async def item_endpoint(request: Request) -> Response:
    """GET one / PUT update / DELETE."""
    kind, ctx = _resolve(request)
    key = int(request.path_params["key"])
    record = ctx.biz.col(kind.name).get(key)
    if record is None:
        raise kind.not_found(key)
    if request.method == "GET":
        return result({kind.singular: kind.present(ctx, record)})
    if not kind.writable:
        raise method_not_allowed(kind.singular)
    if request.method == "PUT":
        payload = envelope(await read_json(request), kind.singular)
        updated = kind.update(ctx, record, payload)
        save(kind, ctx, updated, record)
        return result(
            {kind.singular: kind.present(ctx, ctx.biz.col(kind.name).get(key) or updated)}
        )
    if not kind.http_delete:
        raise method_not_allowed(kind.singular)
    deleted = {**record, "vis_state": 1, kind.updated_field: ctx.stamp}
    save(kind, ctx, deleted, record)
    return JSONAnswer({"response": {}})


def save(kind: Kind, ctx: Ctx, record: Record, before: Record | None) -> None:
    """Store a record and let its kind propagate the change."""
    ctx.biz.save(kind.name, int(record["id"]), record)
    kind.after_save(ctx, record, before)


async def share_link(request: Request) -> Response:
    """GET an invoice's public share link."""
    require(request, "user:invoices:read")
    ctx = context(request, account(request))
    key = int(request.path_params["key"])
    invoice = ctx.biz.col("invoices").get(key)
    if invoice is None:
        raise Invoices().not_found(key)
    link = f"{ctx.base_url}/invoice/{invoice.get('uuid') or key}"
    return result({"share_link": {"share_link": link, "invoiceid": key}})


ROUTES = [
    Route(
        "/accounting/account/{account_id}/invoices/invoices/{key:int}/share_link",
        share_link,
        methods=["GET"],
    ),
    Route(
        "/accounting/account/{account_id}/{group}/{plural}",
        collection_endpoint,
        methods=["GET", "POST"],
    ),
    Route(
        "/accounting/account/{account_id}/{group}/{plural}/{key:int}",
        item_endpoint,
        methods=["GET", "PUT", "DELETE"],
    ),
]
