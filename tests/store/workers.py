"""Code the store tests run in separate OS processes (``multiprocessing`` spawn).

Kept apart from the test modules so that a spawned process imports only what it runs.
"""

from __future__ import annotations

import hashlib
import os
import time
from multiprocessing.synchronize import Barrier, Event

import httpx2

from copilot.connection import ConnectionService
from settings import Settings
from store.crypto import Cipher
from store.db import make_engine, make_sessions
from store.tokens import DatabaseTokenStore

from ..support import clock

clock.start()  # a spawned process lives at the suite's instant too

TOKEN_PATH = "/auth/oauth/token"


def hold_lock(url: str, owner: str, marker: str, ready: Event) -> None:
    """Take the store's token lock, signal ``ready``, and write ``marker`` just before release."""
    engine = make_engine(url)
    store = DatabaseTokenStore(engine, make_sessions(engine), Cipher("k"), owner)
    with store.lock():
        ready.set()
        time.sleep(0.3)  # gives the other process time to queue up on the lock
        with open(marker, "w") as handle:
            handle.write("released")
    engine.dispose()


class CountingTransport(httpx2.HTTPTransport):
    """A real HTTP transport that appends one line to a file per token endpoint request."""

    def __init__(self, tally: str) -> None:
        super().__init__()
        self._tally = tally

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Count token endpoint requests (one ``write`` with O_APPEND: safe across processes)."""
        if request.url.path == TOKEN_PATH:
            fd = os.open(self._tally, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, f"{os.getpid()} {request.method}\n".encode())
            finally:
                os.close(fd)
        return super().handle_request(request)


def digest(secret: str) -> str:
    """A short fingerprint to compare tokens across processes without handing them around."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def use_connection(
    url: str,
    settings: Settings,
    secret_key: str,
    owner: str,
    tally: str,
    start: Barrier,
    results: str,
) -> None:
    """An app replica: open the owner's connection, wait for the other one, then call the API.

    Writes ``<businesses> <fingerprint of the access token used>`` to ``results``.
    """
    engine = make_engine(url)
    service = ConnectionService(
        settings,
        engine,
        make_sessions(engine),
        Cipher(secret_key),
        transport=CountingTransport(tally),
    )
    with service.client_for(owner) as client:
        start.wait(60)  # both replicas find the expired token at the same moment
        businesses = len(client.identity().businesses)
        used = client.tokens.access_token()
    engine.dispose()
    with open(results, "w") as handle:
        handle.write(f"{businesses} {digest(used)}")
