"""Helpers shared by the project-style families (`/projects`, `/timetracking`, `/comments`).

They use bare query parameters (booleans as true/True/1), `meta` pagination, bare
`{"<singular>": ...}` envelopes, 422 `{"errno": 2001, "error": {...}}` and 404 `{"error": ...}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.datastructures import QueryParams
from starlette.requests import Request

from sandbox.api.plumbing import read_json, sandbox_of
from sandbox.core.books import Business
from sandbox.core.errors import ApiError, Problem, validation
from sandbox.core.query import FALSE_WORDS, TRUE_WORDS, parse_page
from sandbox.core.wire import parse_iso

DEFAULT_PER_PAGE = 30

T = TypeVar("T")


def business_for(request: Request) -> Business:
    """The business of the path's `business_id` (404 when unknown)."""
    business = sandbox_of(request).books.by_business_id(request.path_params["business_id"])
    if business is None:
        raise not_found()
    return business


def not_found() -> ApiError:
    """404 `{"error": "Requested resource could not be found."}`."""
    return ApiError(404, [Problem(404, "Requested resource could not be found.")], kind="not_found")


def invalid(errors: dict[str, str]) -> ApiError:
    """422 `{"errno": 2001, "error": {field: message}}`."""
    return validation([Problem(2001, message, name) for name, message in errors.items()])


async def read_envelope(request: Request, key: str) -> dict[str, Any]:
    """The object under `key` of the JSON body (`{"project": {...}}`); 422 when it is missing."""
    payload = (await read_json(request)).get(key)
    if not isinstance(payload, dict):
        raise invalid({key: "field required"})
    return payload


def bool_param(query: QueryParams, name: str) -> bool | None:
    """A bare boolean parameter (true/True/1/false/False/0), None when absent or junk."""
    raw = query.get(name)
    return None if raw is None else _bool_word(raw)


def int_param(query: QueryParams, name: str) -> int | None:
    """A bare integer parameter; junk is a 422."""
    return _parsed_param(query, name, int, "value is not a valid integer")


def time_param(query: QueryParams, name: str) -> dt.datetime | None:
    """A bare ISO datetime parameter (UTC when no zone); junk is a 422."""
    return _parsed_param(query, name, parse_iso, "invalid datetime format")


def _parsed_param(
    query: QueryParams, name: str, parse: Callable[[str], T], message: str
) -> T | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    try:
        return parse(raw)
    except ValueError:
        raise invalid({name: message}) from None


def paginate(
    rows: list[dict[str, Any]], query: QueryParams, sort: list[str] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A page of rows and its `meta` (`sort` included when given, as projects do)."""
    page = parse_page(query, DEFAULT_PER_PAGE, project_style=True)
    chunk, numbers = page.slice(rows)
    meta: dict[str, Any] = {}
    if sort is not None:
        meta["sort"] = sort
    meta.update(
        {
            "total": numbers["total"],
            "per_page": numbers["per_page"],
            "page": numbers["page"],
            "pages": numbers["pages"],
        }
    )
    return chunk, meta


def as_bool(value: Any) -> bool | None:
    """A JSON boolean, also accepting "true"/"false"/1/0; None when not a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return _bool_word(value)
    return None


def _bool_word(text: str) -> bool | None:
    # Query parameters and JSON bodies accept the same words (true/True/1, false/False/0).
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def as_int(value: Any) -> int | None:
    """A JSON integer (or digit string); None when not an integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
