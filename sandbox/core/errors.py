"""Errors raised by handlers and rendered in the body shape of each FreshBooks API family.

One exception, `ApiError`, carries an HTTP status and a list of `Problem`s; `render_error`
turns it into the family's envelope, decided by the request path:

- accounting (`/accounting/...`): `{"response": {"errors": [{errno, field, message, object,
  value}]}}`, or the gRPC-like new-style body when the request sends `X-API-VERSION`;
- project family (`/projects`, `/timetracking`, `/comments`): 422 `{"errno": 2001, "error":
  {field: message}}`, 404 `{"error": "Requested resource could not be found."}`, 401
  `{"message": "invalid_token: ..."}`;
- identity (`/auth/api/v1`): `{"error": "...", "error_description": "..."}`;
- any family, missing scope: 403 `{"message": "insufficient_scope: ..."}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import JSONResponse

Family = Literal["accounting", "project", "identity", "oauth", "other"]

NOT_FOUND_TEXT = "Requested resource could not be found."
INVALID_TOKEN_TEXT = "invalid_token: The request token failed to authenticate or validate."
ACCOUNTING_401_TEXT = (
    "The server could not verify that you are authorized to access the URL requested. "
    "You either supplied the wrong credentials (e.g. a bad password), or your browser "
    "doesn't understand how to supply the credentials required."
)

# gRPC status codes used by the new-style accounting body, by HTTP status.
_GRPC_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 409: 6, 422: 3, 429: 8, 500: 13}


@dataclass(frozen=True)
class Problem:
    """One error entry: FreshBooks errno, message and the offending field/object/value."""

    errno: int
    message: str
    field: str | None = None
    object: str | None = None
    value: Any = None


@dataclass
class ApiError(Exception):
    """An error answer. `kind` lets families that don't use errnos choose their wording."""

    status: int
    problems: list[Problem] = field(default_factory=list)
    kind: str = "error"

    def __post_init__(self) -> None:
        super().__init__(self.status, self.problems)


def family_of(path: str) -> Family:
    """Which FreshBooks API family a request path belongs to (decides the error envelope)."""
    if path.startswith("/accounting/"):
        return "accounting"
    if path.startswith(("/projects/", "/timetracking/", "/comments/")):
        return "project"
    if path.startswith("/auth/api/"):
        return "identity"
    if path.startswith(("/auth/oauth", "/oauth", "/service/auth/oauth")):
        return "oauth"
    return "other"


def not_found(obj: str, field_name: str, value: Any, label: str | None = None) -> ApiError:
    """404, errno 1012 UnknownResource ("Client not found.")."""
    text = f"{label or obj.replace('_', ' ').capitalize()} not found."
    return ApiError(404, [Problem(1012, text, field_name, obj, str(value))], kind="not_found")


def validation(problems: list[Problem], status: int = 422) -> ApiError:
    """A validation failure (422 unless told otherwise)."""
    return ApiError(status, problems, kind="validation")


def required(obj: str, *names: str) -> ApiError:
    """422 errno 1001 RequiredField for each missing field."""
    return validation([Problem(1001, f"{n} is required.", n, obj, None) for n in names])


def unauthorized() -> ApiError:
    """401 for a missing, unknown, revoked or expired bearer token."""
    return ApiError(401, [Problem(1003, ACCOUNTING_401_TEXT)], kind="unauthorized")


def insufficient_scope(granted: list[str], needed: str) -> ApiError:
    """403 naming the provided and the required scopes, as FreshBooks words it."""
    text = (
        "insufficient_scope: The request requires higher privileges than provided by the "
        f"access token. Provided: ['{' '.join(granted)}']. Required: ['{needed}']."
    )
    return ApiError(403, [Problem(1003, text)], kind="scope")


def method_not_allowed(obj: str) -> ApiError:
    """405 for verbs FreshBooks does not offer on a resource (e.g. creating staff)."""
    return ApiError(
        405, [Problem(1003, f"This operation is not allowed on {obj}.", None, obj)], kind="method"
    )


def render_error(request: Request, exc: ApiError) -> JSONResponse:
    """Render `exc` in the envelope of the request's API family."""
    family = family_of(request.url.path)
    status = exc.status
    first = exc.problems[0] if exc.problems else Problem(500, "Unexpected error.")
    if exc.kind == "scope":
        return JSONResponse({"message": first.message}, status_code=status)
    if family == "project":
        return JSONResponse(_project_body(exc, first), status_code=status)
    if family == "identity":
        return JSONResponse(_identity_body(exc, first), status_code=status)
    if family == "accounting" and request.headers.get("x-api-version"):
        return JSONResponse(_grpc_body(status, first), status_code=status)
    return JSONResponse({"response": {"errors": [_classic(p) for p in exc.problems]}}, status)


def classic_body(problems: list[Problem]) -> dict[str, Any]:
    """The classic accounting error envelope (also used for errors inside HTTP 200)."""
    return {"response": {"errors": [_classic(p) for p in problems]}}


def _classic(problem: Problem) -> dict[str, Any]:
    return {
        "errno": problem.errno,
        "field": problem.field,
        "message": problem.message,
        "object": problem.object,
        "value": problem.value,
    }


def _project_body(exc: ApiError, first: Problem) -> dict[str, Any]:
    if exc.kind == "unauthorized":
        return {"message": INVALID_TOKEN_TEXT}
    if exc.kind == "not_found":
        return {"error": NOT_FOUND_TEXT}
    errors = {(p.field or "__root__"): p.message for p in exc.problems}
    errno = 2001 if exc.kind == "validation" else first.errno
    return {"errno": errno, "error": errors}


def _identity_body(exc: ApiError, first: Problem) -> dict[str, Any]:
    if exc.kind == "unauthorized":
        return {
            "error": "unauthenticated",
            "error_description": "This action requires authentication to continue.",
        }
    if exc.kind == "not_found":
        return {"error": "not_found", "error_description": first.message}
    return {"error": "invalid_resource", "error_description": f"Validation failed: {first.message}"}


def _grpc_body(status: int, first: Problem) -> dict[str, Any]:
    metadata = {"message": first.message}
    for key in ("object", "field"):
        if getattr(first, key) is not None:
            metadata[key] = getattr(first, key)
    if first.value is not None:
        metadata["value"] = str(first.value)
    return {
        "code": _GRPC_CODES.get(status, 2),
        "message": f"Request failed with status_code: {status}",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": str(first.errno),
                "domain": "accounting.api.freshbooks.com",
                "metadata": metadata,
            }
        ],
    }
