"""A synchronous transport into an ASGI app, for the in-process sandbox (demo mode, tests).

httpx2's own ``ASGITransport`` is async-only while this client is synchronous (Streamlit
scripts and worker threads are), so the app runs on a private event loop in a daemon thread
and each request is handed to it. Requests from many threads run concurrently on that loop.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx2

__all__ = ["InProcessTransport"]


class InProcessTransport(httpx2.BaseTransport):
    """Serve requests from an ASGI application in this process, without a socket."""

    def __init__(self, app: Any, *, client: tuple[str, int] = ("127.0.0.1", 50000)) -> None:
        self._inner = httpx2.ASGITransport(app=app, client=client)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="asgi-in-process", daemon=True
        )
        self._thread.start()
        self._closed = False

    async def _send(
        self, method: str, url: httpx2.URL, headers: httpx2.Headers, body: bytes
    ) -> tuple[int, httpx2.Headers, bytes]:
        inner_request = httpx2.Request(method, url, headers=headers, content=body)
        response = await self._inner.handle_async_request(inner_request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return response.status_code, response.headers, content

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Run the request through the app on the private loop and wait for its answer."""
        if self._closed:
            raise httpx2.ConnectError("the in-process transport is closed", request=request)
        body = request.read()
        future = asyncio.run_coroutine_threadsafe(
            self._send(request.method, request.url, request.headers, body), self._loop
        )
        status, headers, content = future.result()
        # The body is already decoded bytes: drop length/encoding headers that described the wire.
        clean = [(k, v) for k, v in headers.multi_items() if k.lower() != "content-encoding"]
        return httpx2.Response(status, headers=clean, content=content, request=request)

    def close(self) -> None:
        """Called by every client that closes; the transport is shared, so it stays open.

        Use :meth:`shutdown` to stop it for good.
        """

    def shutdown(self) -> None:
        """Stop the private loop. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()
