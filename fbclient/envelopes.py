"""Reading the accounting answer envelope, ``{"response": {"result": {...}}}``.

Shared by the model-building resources and the raw lists, so both refuse a missing result
with the same error.
"""

from __future__ import annotations

from typing import Any

from .errors import ResponseFormatError

__all__ = ["response_result", "result_of"]


def response_result(body: Any, what: str) -> Any:
    """``body["response"]["result"]`` of an accounting answer, whatever its type."""
    try:
        return body["response"]["result"]
    except (KeyError, TypeError) as exc:
        raise ResponseFormatError(
            f"FreshBooks answered the {what} request without a result"
        ) from exc


def result_of(body: Any, what: str) -> dict[str, Any]:
    """``body["response"]["result"]`` of an accounting answer, checked to be an object."""
    result = response_result(body, what)
    if not isinstance(result, dict):
        raise ResponseFormatError(f"FreshBooks answered the {what} request with a malformed result")
    return result
