"""Fixtures for fault tests: a sandbox behind a fault-injecting transport, for the client and
the agent's tools, and the app's demo mode wired the same way for ``AppTest``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

import copilot.demo
from agent.tool import ToolContext
from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from store.db import make_engine, make_sessions
from store.timers import Timer, TimerStore

from ..support.constants import APP, CONFIG_NAMES
from ..support.faulty_transport import Faults, FaultyTransport


@pytest.fixture(scope="module")
def sandbox_app() -> Iterator[tuple[Any, InProcessTransport]]:
    """One seeded sandbox per module and its in-process transport (tests use unique values)."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig

    app = create_app(SandboxConfig(size="small", seed=7))
    transport = InProcessTransport(app)
    yield app, transport
    transport.shutdown()
    app.state.sandbox.close()


@pytest.fixture
def faults(sandbox_app) -> Iterator[Faults]:
    """This test's faults, attached to the module's sandbox; calm again afterwards."""
    state = Faults()
    state.attach(sandbox_app[0])
    yield state
    state.calm()


@pytest.fixture
def client(sandbox_app, faults) -> Iterator[FreshBooksClient]:
    """A client on the sandbox through the faulty transport; retries wait on ``faults.sleep``."""
    from sandbox.demo_token import issue_token

    app, inner = sandbox_app
    token = issue_token(app)
    fb = FreshBooksClient.with_access_token(
        token["access_token"],
        api_url="http://sandbox.test",
        transport=FaultyTransport(inner, faults),
    )
    fb.http._sleep = faults.sleep
    yield fb
    fb.close()


@pytest.fixture
def tool_ctx(client, faults, tmp_path) -> ToolContext:
    """The agent's tool context on the sandbox's first business, through the faulty client."""
    business = client.identity().businesses[0]
    books = client.business(business)
    faults.forget()  # the identity read above is set-up, not part of any test
    return ToolContext(
        books=books,
        business=business,
        now=datetime.now(ZoneInfo(business.timezone or "UTC")),
        # No local mirror: every tool asks FreshBooks (the app's mirror syncs through the same
        # client, retries and errors: tests/faults/test_pages.py drives that path).
        snapshot=None,
        held=lambda: None,  # as the chat page: the prompt reads only what the app holds
        timers=_one_running_timer(business.business_id, tmp_path / "store.db"),
    )


def _one_running_timer(business_id: int, db: Path) -> TimerStore:
    """The app's timers, holding one running timer: listing it reads names from FreshBooks."""
    store = TimerStore(make_sessions(make_engine(f"sqlite:///{db}")), "faults", business_id)
    started = datetime.now(UTC) - timedelta(minutes=20)
    store.add(Timer(1, None, None, None, "writing", started, started, 0))
    return store


@dataclass
class DemoApp:
    """The app in demo mode with its sandbox behind :class:`FaultyTransport`."""

    faults: Faults
    data_dir: Path

    def session(self) -> AppTest:
        """A new browser session (call ``.run()``)."""
        return AppTest.from_file(APP, default_timeout=60)


def install_demo_faults(monkeypatch: pytest.MonkeyPatch, faults: Faults) -> None:
    """Route the demo sandbox through a faulty transport, and its client's waits to ``faults``."""

    def transport_for(app: Any) -> FaultyTransport:
        faults.attach(app)
        return FaultyTransport(InProcessTransport(app), faults)

    real_client: Callable[[copilot.demo.DemoSandbox], FreshBooksClient] = (
        copilot.demo.DemoSandbox.client
    )

    def client(self: copilot.demo.DemoSandbox) -> FreshBooksClient:
        fb = real_client(self)
        fb.http._sleep = faults.sleep  # retries are recorded, never slept
        return fb

    monkeypatch.setattr(copilot.demo, "InProcessTransport", transport_for)
    monkeypatch.setattr(copilot.demo.DemoSandbox, "client", client)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory) -> Iterator[DemoApp]:
    """One app runtime per module (sessions share it, as in a server); faults calm per test."""
    from ui.context import close_runtimes

    faults = Faults()
    data_dir = tmp_path_factory.mktemp("faults-app")
    with pytest.MonkeyPatch.context() as mp:
        for name in CONFIG_NAMES:
            mp.delenv(name, raising=False)
        mp.setenv("COPILOT_DATA_DIR", str(data_dir))
        mp.setenv("COPILOT_SECRETS_FILE", str(data_dir / "no-secrets.toml"))
        install_demo_faults(mp, faults)
        yield DemoApp(faults, data_dir)
        close_runtimes()


@pytest.fixture
def demo(demo_app) -> Iterator[DemoApp]:
    """The module's demo app, with no faults at the start and the end of the test."""
    demo_app.faults.calm()
    demo_app.faults.forget()
    yield demo_app
    demo_app.faults.calm()
