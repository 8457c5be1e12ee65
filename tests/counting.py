"""A transport that counts the requests passing through it (to prove a path asks nothing)."""

from __future__ import annotations

import threading

import httpx2


class Counting(httpx2.BaseTransport):
    """Counts the requests that reach ``inner``; thread-safe."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.count = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Count, then pass the request on."""
        with self._lock:
            self.count += 1
        return self.inner.handle_request(request)
