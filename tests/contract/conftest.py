"""The client against the sandbox, two ways: in-process (ASGI) and a real server on loopback.

Both connect through the real OAuth flow: authorize URL from :class:`OAuthFlow`, the Approve
button of the sandbox's consent page, then the code exchange. Every contract test runs once
per way (the ``books`` fixture is parametrized).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import pytest

from fbclient import (
    BusinessClient,
    FreshBooksClient,
    MemoryTokenStore,
    OAuthFlow,
    OAuthSettings,
    RetryPolicy,
    TokenManager,
)
from fbclient.asgi import InProcessTransport
from fbclient.identity import Identity

from ..support.sandbox_oauth import CLIENT_ID, CLIENT_SECRET, REDIRECT, approve


@dataclass
class Connection:
    """A connected client and what it knows about the user."""

    fb: FreshBooksClient
    identity: Identity
    store: MemoryTokenStore
    flow: OAuthFlow

    def books(self, index: int = 0) -> BusinessClient:
        """The resources of the user's ``index``-th business."""
        return self.fb.business(self.identity.businesses[index])


def connect(base_url: str, transport: httpx2.BaseTransport | None) -> Connection:
    """Go through the whole OAuth flow and return a connected client."""
    settings = OAuthSettings(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT,
        api_url=base_url,
        auth_url=base_url,
    )
    flow = OAuthFlow(settings, transport=transport)
    code = approve(flow.authorization_url("contract-state"), transport)
    store = MemoryTokenStore(flow.exchange_code(code))
    fb = FreshBooksClient(
        TokenManager(store, refresh=flow.refresh),
        api_url=base_url,
        transport=transport,
        retry=RetryPolicy(base_delay=0.01, max_delay=0.05),
    )
    return Connection(fb=fb, identity=fb.identity(), store=store, flow=flow)


@pytest.fixture(scope="session")
def sandbox_app():
    """One in-process sandbox (size small, seed 7) for the whole session."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig

    app = create_app(SandboxConfig(size="small", seed=7))
    yield app
    app.state.sandbox.close()


@pytest.fixture(scope="session", params=["in-process", "loopback"])
def conn(request) -> Iterator[Connection]:
    """A client connected through OAuth, once in-process and once over loopback HTTP."""
    if request.param == "in-process":
        transport = InProcessTransport(request.getfixturevalue("sandbox_app"))
        connection = connect("http://sandbox.test", transport)
    else:
        transport = None
        connection = connect(request.getfixturevalue("sandbox_server"), None)
    yield connection
    connection.fb.close()
    if transport is not None:
        transport.shutdown()


@pytest.fixture
def books(conn) -> BusinessClient:
    """The main demo business."""
    return conn.books(0)
