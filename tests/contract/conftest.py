"""The client against the sandbox, two ways: in-process (ASGI) and a real server on loopback.

Both connect through the real OAuth flow: authorize URL from :class:`OAuthFlow`, the Approve
button of the sandbox's consent page, then the code exchange. Every contract test runs once
per way (the ``books`` fixture is parametrized).
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

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

ROOT = Path(__file__).resolve().parents[2]
REDIRECT = "http://127.0.0.1:8501/"
CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"


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


def approve(authorize_url: str, transport: httpx2.BaseTransport | None = None) -> str:
    """Click Approve on the sandbox's consent page; return the code it redirects with."""
    parsed = urlparse(authorize_url)
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    page = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    with httpx2.Client(transport=transport, follow_redirects=False) as browser:
        assert browser.get(authorize_url).status_code == 200  # the consent page renders
        answer = browser.post(page, data={**params, "decision": "approve"})
    assert answer.status_code in (302, 303), answer.text
    location = urlparse(answer.headers["location"])
    assert location.geturl().startswith(REDIRECT)
    back = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert back["state"] == params["state"]
    return back["code"]


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


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[str]:
    """``python -m sandbox`` on a free loopback port; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--size", "small", "--seed", "7"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        url = None
        while url is None:
            line = lines.get(timeout=60)
            if line.startswith("sandbox listening on "):
                url = line.split("sandbox listening on ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


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
