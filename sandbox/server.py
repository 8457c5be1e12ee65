"""Serve the sandbox with uvicorn and announce the address once connections are accepted."""

from __future__ import annotations

import asyncio
import gc
import socket
import sys

import uvicorn
from starlette.applications import Starlette

from sandbox.app import create_app
from sandbox.config import SandboxConfig

ANNOUNCEMENT = "sandbox listening on http://{host}:{port}"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every answer waits about 40 ms for the client's delayed acknowledgement.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


async def serve(app: Starlette, config: SandboxConfig) -> None:
    """Run uvicorn on a pre-bound socket; print the one announcement line after startup."""
    sock = bind(config.host, config.port)
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    )

    async def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.01)
        host = f"[{config.host}]" if ":" in config.host else config.host
        print(ANNOUNCEMENT.format(host=host, port=port), flush=True)

    announcer = asyncio.create_task(announce())
    try:
        await server.serve(sockets=[sock])
    finally:
        announcer.cancel()
        sock.close()


def _settle_heap() -> None:
    """Keep the garbage collector off the books once they are loaded.

    The books are hundreds of thousands of long-lived dicts; every full collection would walk
    them all again, and memoizing presented records (new long-lived objects) triggers such
    collections while lists are being served. Frozen objects are never scanned (they are
    still freed by reference counting when a write replaces them).
    """
    gc.collect()
    gc.freeze()


def main(config: SandboxConfig) -> int:
    """Build the app (seeding or reusing the database) and serve until interrupted."""
    try:
        app = create_app(config)
    except ImportError as exc:
        print(f"sandbox: cannot build demo data: {exc}", file=sys.stderr)
        return 2
    _settle_heap()
    try:
        asyncio.run(serve(app, config))
    except KeyboardInterrupt:
        pass
    finally:
        app.state.sandbox.close()
    return 0
