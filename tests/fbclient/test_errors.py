"""Every FreshBooks error shape (freshbooks-api.md §4) becomes the right typed error."""

from __future__ import annotations

import json

import pytest

from fbclient.errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    body_error,
    error_from_response,
)

CLASSIC_404 = {
    "response": {
        "errors": [
            {
                "errno": 1012,
                "field": "userid",
                "message": "Client not found.",
                "object": "client",
                "value": "12345",
            }
        ]
    }
}
GRPC_404 = {
    "code": 5,
    "message": "Request failed with status_code: 404",
    "details": [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "1012",
            "domain": "accounting.api.freshbooks.com",
            "metadata": {
                "object": "client",
                "message": "Client not found.",
                "value": "12345",
                "field": "userid",
            },
        }
    ],
}
SCOPE_403 = {
    "message": "insufficient_scope: The request requires higher privileges than provided by "
    "the access token. Provided: ['user:profile:read user:clients:read']. "
    "Required: ['user:retainers:read']."
}


@pytest.mark.parametrize(
    ("status", "body", "cls", "message", "errno", "field"),
    [
        (404, CLASSIC_404, NotFoundError, "Client not found.", 1012, "userid"),
        (404, GRPC_404, NotFoundError, "Client not found.", 1012, "userid"),
        (
            401,
            {"response": {"errors": [{"errno": 1003, "message": "The server could not verify."}]}},
            AuthenticationError,
            "The server could not verify.",
            1003,
            None,
        ),
        (
            401,
            {
                "code": 16,
                "message": "x",
                "details": [{"reason": "1003", "metadata": {"message": "Unauthenticated"}}],
            },
            AuthenticationError,
            "Unauthenticated",
            1003,
            None,
        ),
        (
            422,
            {"errno": 2001, "error": {"title": "field required"}},
            InvalidRequestError,
            "field required",
            2001,
            "title",
        ),
        (
            404,
            {"error": "Requested resource could not be found."},
            NotFoundError,
            "Requested resource could not be found.",
            None,
            None,
        ),
        (
            401,
            {"message": "invalid_token: The request token failed to authenticate or validate."},
            AuthenticationError,
            "invalid_token: The request token failed to authenticate or validate.",
            None,
            None,
        ),
        (
            401,
            {"error": "unauthenticated", "error_description": "Token expired"},
            AuthenticationError,
            "Token expired",
            None,
            None,
        ),
        (
            422,
            {"error": "invalid_resource", "error_description": "Validation failed: Email taken"},
            InvalidRequestError,
            "Validation failed: Email taken",
            None,
            None,
        ),
        (
            422,
            {
                "errno": 422,
                "message": "The request has semantic errors.",
                "details": ["event: Unrecognized event."],
            },
            InvalidRequestError,
            "The request has semantic errors.",
            422,
            None,
        ),
        (
            404,
            {"error_type": "not_found", "message": "Payment options not found"},
            NotFoundError,
            "Payment options not found",
            None,
            None,
        ),
        (
            400,
            {"errors": [{"field": "amount", "message": "must be positive"}]},
            InvalidRequestError,
            "must be positive",
            None,
            "amount",
        ),
        (
            404,
            {
                "errors": {
                    "message": "Not Found",
                    "status": 404,
                    "details": [
                        {
                            "reason": "1012",
                            "metadata": {"message": "Ledger account missing", "field": "id"},
                        }
                    ],
                }
            },
            NotFoundError,
            "Not Found",
            1012,
            "id",
        ),
        (
            409,
            {"response": {"errors": [{"errno": 409, "message": "Invoice number already exists"}]}},
            ConflictError,
            "Invoice number already exists",
            409,
            None,
        ),
        (
            403,
            {
                "response": {
                    "errors": [
                        {"errno": 1038, "field": "due_date", "message": "write access denied"}
                    ]
                }
            },
            PermissionDeniedError,
            "write access denied",
            1038,
            "due_date",
        ),
        (
            422,
            {
                "response": {
                    "errors": {
                        "errno": 1015,
                        "field": "status",
                        "message": "field 'status' must be a number",
                    }
                }
            },
            InvalidRequestError,
            "field 'status' must be a number",
            1015,
            "status",
        ),
    ],
)
def test_error_shapes(status, body, cls, message, errno, field):
    error = error_from_response(status, json.dumps(body).encode())
    assert type(error) is cls
    assert error.status == status
    assert error.message == message
    assert error.errno == errno
    assert error.field == field
    assert error.user_message


def test_validation_field_errors_map():
    body = {"errno": 2001, "error": {"started_at": "field required", "__root__": "bad entry"}}
    error = error_from_response(422, json.dumps(body))
    assert isinstance(error, InvalidRequestError)
    assert error.field_errors == {"started_at": "field required"}
    assert "started_at: field required" in error.user_message


def test_missing_scope_is_named():
    error = error_from_response(403, json.dumps(SCOPE_403))
    assert isinstance(error, PermissionDeniedError)
    assert error.required_scopes == ("user:retainers:read",)
    assert error.provided_scopes == ("user:profile:read", "user:clients:read")
    assert error.missing_scopes == ("user:retainers:read",)
    assert "user:retainers:read" in error.user_message


@pytest.mark.parametrize(
    "content",
    [b"<html><body><h1>502 Bad Gateway</h1></body></html>", b"", b"upstream connect error"],
)
def test_non_json_5xx(content):
    error = error_from_response(502, content)
    assert isinstance(error, ServerError)
    assert error.message.startswith("HTTP 502")
    assert "<" not in error.message  # no markup leaks into messages shown to people


def test_rate_limit_keeps_retry_after():
    error = error_from_response(429, b"", retry_after=3.0)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3.0


def test_unknown_status_is_plain_api_error():
    assert type(error_from_response(418, b"{}")) is APIError


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        (CLASSIC_404, NotFoundError),
        (
            {
                "response": {
                    "errors": [{"errno": 1001, "field": "customerid", "message": "required"}]
                }
            },
            InvalidRequestError,
        ),
        ({"response": {"errors": [{"errno": 500, "message": "FreshAlchemyUnexpected"}]}}, APIError),
    ],
)
def test_error_inside_200(body, cls):
    error = body_error(body)
    assert type(error) is cls
    assert error.status == 200


@pytest.mark.parametrize(
    "body",
    [
        {"response": {"result": {"client": {"id": 1}}}},
        {"response": {"result": {}, "errors": []}},
        {"project": {"id": 1}},
        [],
        None,
    ],
)
def test_success_bodies_are_not_errors(body):
    assert body_error(body) is None
