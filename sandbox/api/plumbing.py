"""Request plumbing shared by the API families: the sandbox, bearer tokens, JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from sandbox.core.errors import ApiError, Problem, insufficient_scope, unauthorized, validation
from sandbox.core.state import Sandbox
from sandbox.core.tokens import AccessGrant

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def sandbox_of(request: Request) -> Sandbox:
    """The sandbox serving this request."""
    return request.app.state.sandbox  # type: ignore[no-any-return]  # Starlette types app.state attributes Any


def scope_for(request: Request, name: str) -> str:
    """`user:<name>:read` for reads, `user:<name>:write` for writes."""
    return f"user:{name}:{'write' if request.method in WRITE_METHODS else 'read'}"


def require(request: Request, scope: str) -> AccessGrant:
    """Check the bearer token and that it carries `scope` (401 / 403 otherwise)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized()
    grant = sandbox_of(request).tokens.check_access(token.strip())
    if grant is None:
        raise unauthorized()
    if scope not in grant.scopes:
        raise insufficient_scope(list(grant.scopes), scope)
    return grant


async def read_json(request: Request) -> dict[str, Any]:
    """The JSON object body of a request; malformed JSON is a 400 ParseError (errno 1005)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, [Problem(1005, "Could not parse the request body as JSON.")]) from None
    if not isinstance(body, dict):
        raise ApiError(400, [Problem(1005, "The request body must be a JSON object.")])
    return body


def envelope(body: dict[str, Any], key: str) -> dict[str, Any]:
    """The `{"<key>": {...}}` request envelope's content (422 when it is missing)."""
    inner = body.get(key)
    if not isinstance(inner, dict):
        raise validation([Problem(1001, f"{key} is required.", key, key, None)])
    return inner
