"""The one exception tree of the FreshBooks client, and the one place that builds it.

::

    FreshBooksError                 every error the client raises
    ├── NetworkError                no answer: connection refused, DNS, reset
    │   └── RequestTimeout          the answer did not come in time
    └── APIError                    FreshBooks answered with an error
        ├── AuthenticationError     401: token missing, expired or revoked
        │   └── ReauthorizationRequired   the refresh token is gone: reconnect
        ├── PermissionDeniedError   403: missing scope, read-only field, role
        ├── NotFoundError           404 / errno 1012
        ├── InvalidRequestError     400 / 422: validation, with field messages
        ├── ConflictError           409: duplicate number, concurrent change
        ├── RateLimitError          429, with ``retry_after`` when given
        ├── ServerError             5xx, JSON or not
        └── ResponseFormatError     a success answer we cannot read

FreshBooks has several error envelopes (accounting classic and gRPC style, the project family,
identity, payments, uuid resources, OAuth) and sometimes reports an error inside an HTTP 200
body; :func:`error_from_response` reads all of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConflictError",
    "FieldError",
    "FreshBooksError",
    "InvalidRequestError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReauthorizationRequired",
    "RequestTimeout",
    "ResponseFormatError",
    "ServerError",
    "body_error",
    "error_from_response",
]


@dataclass(frozen=True)
class FieldError:
    """One problem FreshBooks reported, tied to a field when it named one."""

    message: str
    field: str | None = None
    errno: int | None = None
    object: str | None = None
    value: str | None = None


class FreshBooksError(Exception):
    """Base class of every error raised by :mod:`fbclient`."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        errno: int | None = None,
        errors: tuple[FieldError, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errno = errno
        self.errors = errors

    @property
    def field(self) -> str | None:
        """The first field FreshBooks blamed, if any."""
        return next((e.field for e in self.errors if e.field), None)

    # The sentence ``user_message`` gives; ``{message}`` stands for the error's own message.
    user_text: ClassVar[str] = "{message}"

    @property
    def user_message(self) -> str:
        """A sentence for a person, without codes or secrets."""
        return self.user_text.format(message=self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, errno={self.errno}, {self.message!r})"


class NetworkError(FreshBooksError):
    """FreshBooks could not be reached (connection refused, DNS failure, reset)."""

    user_text: ClassVar[str] = (
        "FreshBooks could not be reached. Check your connection and try again."
    )


class RequestTimeout(NetworkError):
    """FreshBooks did not answer in time. For a write, the change may or may not have happened."""

    user_text: ClassVar[str] = "FreshBooks did not answer in time. Try again in a moment."


class APIError(FreshBooksError):
    """FreshBooks answered, with an error."""

    user_text: ClassVar[str] = "FreshBooks reported a problem: {message}"


class AuthenticationError(APIError):
    """The access token was missing, expired or rejected (HTTP 401)."""

    user_text: ClassVar[str] = (
        "Your FreshBooks connection is no longer valid. Please reconnect FreshBooks."
    )


class ReauthorizationRequired(AuthenticationError):
    """The refresh token was rejected or is missing: only a new authorization helps."""


class PermissionDeniedError(APIError):
    """HTTP 403: a missing scope, a read-only field, or a role without that right."""

    user_text: ClassVar[str] = "FreshBooks refused this action: {message}"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        errno: int | None = None,
        errors: tuple[FieldError, ...] = (),
        provided_scopes: tuple[str, ...] = (),
        required_scopes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, status=status, errno=errno, errors=errors)
        self.provided_scopes = provided_scopes
        self.required_scopes = required_scopes

    @property
    def missing_scopes(self) -> tuple[str, ...]:
        """Required scopes the token does not carry."""
        return tuple(s for s in self.required_scopes if s not in self.provided_scopes)

    @property
    def user_message(self) -> str:
        if self.missing_scopes:
            from .scopes import explain_missing  # local: scopes is a leaf the errors need late

            return explain_missing(self.missing_scopes)
        return super().user_message


class NotFoundError(APIError):
    """HTTP 404 or errno 1012: the record does not exist (or was deleted)."""

    user_text: ClassVar[str] = "FreshBooks could not find that record: {message}"


class InvalidRequestError(APIError):
    """HTTP 400/422: FreshBooks rejected the values sent; ``field_errors`` says which."""

    user_text: ClassVar[str] = "FreshBooks did not accept the request: {message}"

    @property
    def field_errors(self) -> dict[str, str]:
        """Field name to message, for the errors that name a field."""
        return {e.field: e.message for e in self.errors if e.field}

    @property
    def user_message(self) -> str:
        if self.field_errors:
            parts = "; ".join(f"{k}: {v}" for k, v in self.field_errors.items())
            return f"FreshBooks did not accept the values: {parts}"
        return super().user_message


class ConflictError(APIError):
    """HTTP 409: a duplicate (e.g. invoice number) or a concurrent change."""

    user_text: ClassVar[str] = "FreshBooks reported a conflict: {message}"


class RateLimitError(APIError):
    """HTTP 429. ``retry_after`` is the server's wait in seconds, when it said."""

    user_text: ClassVar[str] = (
        "FreshBooks is limiting requests right now. Wait a minute and try again."
    )

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        errno: int | None = None,
        errors: tuple[FieldError, ...] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, errno=errno, errors=errors)
        self.retry_after = retry_after


class ServerError(APIError):
    """HTTP 5xx (the body may not even be JSON)."""

    user_text: ClassVar[str] = "FreshBooks is having trouble right now. Try again in a few minutes."


class ResponseFormatError(APIError):
    """A success answer whose body we could not read (not JSON, or not the expected shape)."""

    user_text: ClassVar[str] = "FreshBooks sent an answer the app could not read. Try again later."


# errnos as FreshBooks' error reference lists them; used to classify errors inside an HTTP 200.
_ERRNO_CLASSES: dict[int, type[APIError]] = {
    409: ConflictError,
    1003: PermissionDeniedError,
    1012: NotFoundError,
    1011: NotFoundError,
    1038: PermissionDeniedError,
}
_VALIDATION_ERRNOS = {1001, 1004, 1005, 1006, 1007, 1008, 1013, 1014, 1015, 1016, 1017, 1018}
_VALIDATION_ERRNOS |= {1019, 1031, 1033, 1039, 2001, 7012}
_SCOPES = re.compile(r"Provided:\s*\[([^\]]*)\].*?Required:\s*\[([^\]]*)\]", re.S)
_MAX_TEXT = 200


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _scope_list(raw: str) -> tuple[str, ...]:
    # The body quotes one space-separated string or several quoted items: accept both.
    items = re.findall(r"'([^']*)'|\"([^\"]*)\"", raw)
    words: list[str] = []
    for single, double in items:
        words.extend((single or double).split())
    return tuple(words)


def _classic(errors: Any) -> tuple[FieldError, ...]:
    """Accounting classic errors: a list (or, tolerated, a single object) of dicts."""
    if isinstance(errors, Mapping):
        errors = [errors]
    if not isinstance(errors, list):
        return ()
    out = []
    for e in errors:
        if isinstance(e, Mapping):
            out.append(
                FieldError(
                    message=_text(e.get("message")) or "Unknown error",
                    field=_text(e.get("field")),
                    errno=_as_int(e.get("errno")),
                    object=_text(e.get("object")),
                    value=_text(e.get("value")),
                )
            )
        elif isinstance(e, str):
            out.append(FieldError(message=e))
    return tuple(out)


def _grpc(details: Any) -> tuple[FieldError, ...]:
    """New-style ``details[]`` entries: ErrorInfo with reason=errno and metadata."""
    out = []
    for d in details if isinstance(details, list) else []:
        if not isinstance(d, Mapping):
            continue
        meta = d["metadata"] if isinstance(d.get("metadata"), Mapping) else {}
        violations = d.get("fieldViolations")
        for violation in violations if isinstance(violations, list) else []:
            if isinstance(violation, Mapping):
                out.append(
                    FieldError(
                        message=_text(violation.get("description")) or "invalid value",
                        field=_text(violation.get("field")),
                    )
                )
        if meta or d.get("reason"):
            out.append(
                FieldError(
                    message=_text(meta.get("message")) or _text(d.get("reason")) or "error",
                    field=_text(meta.get("field")),
                    errno=_as_int(d.get("reason")),
                    object=_text(meta.get("object")),
                    value=_text(meta.get("value")),
                )
            )
    return tuple(out)


def _parse_body(body: Any) -> tuple[str | None, tuple[FieldError, ...], int | None]:
    """Read any known error envelope: (message, field errors, errno). Nones when not an error."""
    if not isinstance(body, Mapping):
        return None, (), None
    response = body.get("response")
    if isinstance(response, Mapping) and response.get("errors"):
        errors = _classic(response["errors"])
        first = errors[0] if errors else None
        return (first.message if first else "Unknown error"), errors, first.errno if first else None
    errors_value = body.get("errors")
    if isinstance(errors_value, Mapping) and "details" in errors_value:
        # uuid-style resources: {"errors": {"message", "status", "details": [...]}}
        errors = _grpc(errors_value.get("details"))
        message = _text(errors_value.get("message")) or (errors[0].message if errors else None)
        return message or "Unknown error", errors, errors[0].errno if errors else None
    if isinstance(errors_value, list | Mapping) and errors_value:
        # online payments: {"errors": [{"field", "message"}]}
        errors = _classic(errors_value)
        return (errors[0].message if errors else "Unknown error"), errors, None
    if "code" in body and "details" in body:
        errors = _grpc(body.get("details"))
        message = errors[0].message if errors else _text(body.get("message"))
        return message or "Unknown error", errors, errors[0].errno if errors else None
    error = body.get("error")
    if isinstance(error, Mapping):
        # projects family validation: {"errno": 2001, "error": {"field": "message"}}
        errors = tuple(
            FieldError(
                message=_text(m) or "invalid value",
                field=None if k == "__root__" else str(k),
                errno=_as_int(body.get("errno")),
            )
            for k, m in error.items()
        )
        message = "; ".join(e.message for e in errors) or "Invalid request"
        return message, errors, _as_int(body.get("errno"))
    if isinstance(error, str):
        # identity / OAuth {"error", "error_description"}; projects 404 {"error": "..."}
        message = _text(body.get("error_description")) or error
        return message, (FieldError(message=message, errno=_as_int(body.get("errno"))),), None
    if "error_type" in body:
        message = _text(body.get("message")) or _text(body.get("error_type")) or "error"
        return message, (), None
    if "errno" in body and "message" in body:
        details = body.get("details")
        extra = (
            tuple(FieldError(message=str(d)) for d in details) if isinstance(details, list) else ()
        )
        return _text(body["message"]), extra, _as_int(body.get("errno"))
    return None, (), None


def body_error(body: Any) -> APIError | None:
    """The error carried by a *successful* (HTTP 200) body, if any.

    FreshBooks sometimes answers 200 with ``response.errors`` (the Node SDK treats that as an
    error); a body with a ``result`` or a resource key is never mistaken for one.
    """
    if not isinstance(body, Mapping):
        return None
    response = body.get("response")
    if isinstance(response, Mapping) and response.get("errors") and "result" not in response:
        message, errors, errno = _parse_body(body)
        cls: type[APIError] = APIError
        if errno in _ERRNO_CLASSES:
            cls = _ERRNO_CLASSES[errno]
        elif errno in _VALIDATION_ERRNOS:
            cls = InvalidRequestError
        return cls(message or "Unknown error", status=200, errno=errno, errors=errors)
    return None


def _status_class(status: int) -> type[APIError]:
    if status == 401:
        return AuthenticationError
    if status == 403:
        return PermissionDeniedError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 429:
        return RateLimitError
    if status in (400, 422):
        return InvalidRequestError
    if status >= 500:
        return ServerError
    return APIError


def error_from_response(
    status: int, content: bytes | str, retry_after: float | None = None
) -> APIError:
    """Build the typed error for an HTTP error answer, whatever its body shape."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    try:
        body: Any = json.loads(text) if text.strip() else None
    except ValueError:
        body = None
    message, errors, errno = _parse_body(body)
    if not (message or "").strip() and isinstance(body, Mapping):
        top = body.get("message")
        message = top if isinstance(top, str) else message
    if message is None or not message.strip():
        # No body, or one whose messages are all blank ({"errors": [""]}): say the status.
        snippet = " ".join(text.split())[:_MAX_TEXT] if body is None and text else ""
        message = f"HTTP {status}" + (f": {snippet}" if snippet and "<" not in snippet else "")
    cls = _status_class(status)
    if cls is RateLimitError:
        return RateLimitError(
            message, status=status, errno=errno, errors=errors, retry_after=retry_after
        )
    if cls is PermissionDeniedError:
        match = _SCOPES.search(message)
        provided = _scope_list(match.group(1)) if match else ()
        required = _scope_list(match.group(2)) if match else ()
        return PermissionDeniedError(
            message,
            status=status,
            errno=errno,
            errors=errors,
            provided_scopes=provided,
            required_scopes=required,
        )
    return cls(message, status=status, errno=errno, errors=errors)
