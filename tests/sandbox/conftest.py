"""Fixtures for sandbox tests: a fake clock, apps on the tiny demo data, and a sync API facade.

Requests go in-process through `httpx2.ASGITransport`; the `Api` facade runs each call on its
own event loop so tests stay plain functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.applications import Starlette

from sandbox import SandboxConfig, create_app
from sandbox.demo_token import issue_token

from ..support.sandbox import tiny_demo
from ..support.sandbox_api import NOW, Api, FakeClock


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
