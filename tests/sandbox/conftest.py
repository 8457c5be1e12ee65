"""Fixtures for sandbox tests: a fake clock, apps on the tiny demo data, and a sync API facade.

Requests go in-process through `httpx2.ASGITransport`; the `Api` facade runs each call on its
own event loop so tests stay plain functions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest
from starlette.applications import Starlette

from sandbox import SandboxConfig, create_app
from sandbox.demo_token import issue_token
from tests.support.sandbox import auth_headers, tiny_demo

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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def make_app(clock: FakeClock) -> Iterator[Callable[..., Starlette]]:
    """Build apps on the tiny demo data; every app is closed at teardown."""
    apps: list[Starlette] = []

    def build(data: Any = None, **overrides: Any) -> Starlette:
        config = SandboxConfig(clock=clock, **overrides)
        app = create_app(config, data if data is not None else tiny_demo())
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.state.sandbox.close()


@pytest.fixture
def make_api() -> Iterator[Callable[..., Api]]:
    """Build API facades; all are closed at teardown."""
    made: list[Api] = []

    def build(app: Starlette, token: dict[str, Any] | None = None) -> Api:
        api = Api(app, token)
        made.append(api)
        return api

    yield build
    for api in made:
        api.close()


@pytest.fixture
def app(make_app: Callable[..., Starlette]) -> Starlette:
    return make_app()


@pytest.fixture
def api(app: Starlette, make_api: Callable[..., Api]) -> Api:
    """A client holding a token with every scope."""
    return make_api(app, issue_token(app))


@pytest.fixture
def anon(app: Starlette, make_api: Callable[..., Api]) -> Api:
    """A client without a token."""
    return make_api(app)
