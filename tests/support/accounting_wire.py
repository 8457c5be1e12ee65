"""Helpers for accounting-resource tests: envelopes, error bodies and a paging fake."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import respx

from .constants import ACCOUNT_ID, API

ACCOUNTING = f"{API}/accounting/account/{ACCOUNT_ID}"


def result(**payload: Any) -> dict[str, Any]:
    """``{"response": {"result": payload}}``."""
    return {"response": {"result": payload}}


def classic_error(errno: int, message: str, **extra: Any) -> dict[str, Any]:
    """The accounting classic error body (freshbooks-api.md §4.1)."""
    return {"response": {"errors": [{"errno": errno, "message": message, **extra}]}}


def sent_json(route: respx.Route, index: int = -1) -> Any:
    """The JSON body of one call made to ``route``."""
    return json.loads(route.calls[index].request.content)


def paged(
    plural: str, pages: Sequence[Sequence[dict[str, Any]]], per_page: int = 100
) -> Callable[[Any], respx.MockResponse]:
    """A side effect answering ``?page=n`` with ``pages[n-1]`` and honest metadata."""
    total = sum(len(p) for p in pages)

    # respx hands side effects its own (httpx) request object, hence no httpx2 type here.
    def answer(request: Any) -> respx.MockResponse:
        page = int(request.url.params["page"])
        rows = list(pages[page - 1]) if page <= len(pages) else []
        meta = {"page": page, "pages": len(pages), "per_page": per_page, "total": total}
        return respx.MockResponse(200, json=result(**{plural: rows}, **meta))

    return answer


def empty(plural: str) -> dict[str, Any]:
    """An empty list answer: FreshBooks says ``pages: 0, total: 0``."""
    return result(**{plural: []}, page=1, pages=0, per_page=100, total=0)
