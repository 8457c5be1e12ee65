"""The in-process seed-7 sandbox with its accounting business synced into a local mirror.

For tests that compare the mirror with FreshBooks: every request goes through a
:class:`~tests.support.transports.CountingTransport`, so a test can check the mirror asked
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from copilot.mirror import Mirror
from fbclient import BusinessClient, FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.identity import Business
from fbclient.snapshot import Snapshot
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token
from store.db import make_engine, make_sessions
from store.mirror import MirrorStore

from .transports import CountingTransport

OWNER = "owner-1"


@dataclass
class Synced:
    """The business, its client, the request counter and the synced mirror's snapshot."""

    business: Business
    books: BusinessClient
    counting: CountingTransport
    snap: Snapshot


@contextmanager
def synced_sandbox(folder: Path) -> Iterator[Synced]:
    """A small seed-7 sandbox, its first accounting business synced into a store in ``folder``."""
    app = create_app(SandboxConfig(size="small", seed=7))
    transport = InProcessTransport(app)
    counting = CountingTransport(transport)
    token = issue_token(app)["access_token"]
    fb = FreshBooksClient.with_access_token(
        token, api_url="http://sandbox.test", transport=counting
    )
    engine = make_engine(f"sqlite:///{folder / 'store.db'}")
    try:
        business = next(b for b in fb.identity().businesses if b.has_accounting)
        books = fb.business(business)
        mirror = Mirror(MirrorStore(engine, make_sessions(engine)))
        mirror.sync(OWNER, books, business)
        yield Synced(business, books, counting, mirror.snapshot(OWNER, books, business))
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()
        engine.dispose()
