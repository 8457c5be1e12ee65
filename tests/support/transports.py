"""A transport that remembers the requests passing through it (to prove a path asks nothing,
or writes nothing)."""

from __future__ import annotations

import threading

import httpx2

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CountingTransport(httpx2.BaseTransport):
    """Passes requests to ``inner`` and remembers (method, path) of each; thread-safe."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    @property
    def count(self) -> int:
        """How many requests reached ``inner``."""
        return len(self.requests)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Remember, then pass the request on."""
        with self._lock:
            self.requests.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def writes(self) -> list[tuple[str, str]]:
        """The requests that could change FreshBooks data."""
        return [r for r in self.requests if r[0] in WRITES]
