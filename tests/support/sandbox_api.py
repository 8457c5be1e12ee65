"""Tests' way into a sandbox app without a server: a settable clock and a synchronous API facade.

Requests go in-process through `httpx2.ASGITransport`; the `Api` facade runs each call on its
own event loop so tests stay plain functions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx2
from starlette.applications import Starlette

from .sandbox import auth_headers

BASE_URL = "http://sandbox.test"
NOW = dt.datetime(2024, 6, 15, 16, 0, tzinfo=dt.UTC)


class FakeClock:
    """A settable clock for codes, tokens, overdue invoices and report defaults."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Api:
    """A synchronous client over the ASGI app (one event loop per facade)."""

    def __init__(self, app: Starlette, token: dict[str, Any] | None = None) -> None:
        self.app = app
        self.token = token
        self._runner = asyncio.Runner()
        headers = auth_headers(token) if token else {}
        self._client = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url=BASE_URL, headers=headers
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:
        return self._runner.run(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        self._runner.run(self._client.aclose())
        self._runner.close()
