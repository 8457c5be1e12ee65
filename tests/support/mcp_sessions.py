"""MCP servers for the tests and the SDK's own client sessions on them.

- :func:`stdio_params`: ``python -m mcp_server`` as a child at the suite's instant (demo mode,
  its own data folder), for ``stdio_client``.
- :class:`HttpServer`: the HTTP transport served in this process on a free loopback port,
  with an injectable clock for the confirmation tokens.
- :func:`session`: a ``ClientSession`` over either, optionally answering elicitations.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import mcp_types as types
import uvicorn
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from copilot.runtime import Runtime, build_runtime
from mcp_server.confirmations import Confirmations
from mcp_server.http import http_app
from mcp_server.server import McpApp
from settings import load_settings

from . import clock

__all__ = [
    "CLIENT_NAME",
    "Elicitor",
    "HttpServer",
    "ManualClock",
    "data",
    "server_env",
    "session",
    "stdio_params",
]

ROOT = Path(__file__).resolve().parents[2]
CLIENT_NAME = "copilot-tests"


def server_env(data_dir: Path) -> dict[str, str]:
    """The environment of a demo-mode server with its own data folder and no secrets file."""
    env = {"COPILOT_DATA_DIR": str(data_dir), "COPILOT_SECRETS_FILE": str(data_dir / "none")}
    for name in (clock.ENV, clock.OFFSET_ENV):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def stdio_params(data_dir: Path, *extra: str) -> StdioServerParameters:
    """``python -m mcp_server`` (with ``extra`` options), living at the suite's instant."""
    command = clock.python_command("-m", "mcp_server", *extra)
    return StdioServerParameters(
        command=command[0], args=command[1:], env=server_env(data_dir), cwd=ROOT
    )


@dataclass
class Elicitor:
    """The person behind a client that supports elicitation: answers ``action`` and keeps
    every message it was shown."""

    action: str = "accept"
    asked: list[str] = field(default_factory=list)

    async def __call__(
        self, _context: Any, params: types.ElicitRequestParams
    ) -> types.ElicitResult:
        self.asked.append(str(getattr(params, "message", "")))
        content: dict[str, Any] | None = {} if self.action == "accept" else None
        return types.ElicitResult(action=self.action, content=content)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def session(
    server: StdioServerParameters | str,
    *,
    elicitor: Elicitor | None = None,
    token: str | None = None,
) -> AsyncIterator[ClientSession]:
    """An initialized session on a stdio server or an HTTP URL (with ``token`` as bearer)."""
    info = types.Implementation(name=CLIENT_NAME, version="1")
    async with contextlib.AsyncExitStack() as stack:
        if isinstance(server, str):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            client = await stack.enter_async_context(
                httpx2.AsyncClient(headers=headers, timeout=60)
            )
            read, write = await stack.enter_async_context(
                streamable_http_client(server, http_client=client)
            )
        else:
            read, write = await stack.enter_async_context(stdio_client(server))
        opened = await stack.enter_async_context(
            ClientSession(read, write, elicitation_callback=elicitor, client_info=info)
        )
        await opened.initialize()
        yield opened


def data(result: types.CallToolResult) -> dict[str, Any]:
    """A call's structured result (what the text content carries after its data note)."""
    assert isinstance(result.structured_content, dict), result
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    assert json.loads(text.text.split("\n", 2 if result.is_error else 1)[-1]) == (
        result.structured_content
    )
    return result.structured_content


class ManualClock:
    """A clock the test moves (the real time plus what was added)."""

    def __init__(self) -> None:
        self.added = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.added


class HttpServer:
    """``McpApp`` over Streamable HTTP in a thread of this process, on 127.0.0.1."""

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.clock = ManualClock()
        self.runtime: Runtime = build_runtime(load_settings(server_env(data_dir)))
        self.app = McpApp(
            self.runtime, read_only=read_only, http=True, confirmations=Confirmations(self.clock)
        )
        config = uvicorn.Config(
            http_app(self.app, "127.0.0.1"), host="127.0.0.1", port=0, log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> HttpServer:
        self._thread.start()
        started = threading.Event()
        while not started.wait(0.05):
            if self._server.started:
                started.set()
            elif not self._thread.is_alive():
                raise RuntimeError("the MCP HTTP server did not start")
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.origin = f"http://127.0.0.1:{port}"
        self.url = f"{self.origin}/mcp"
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self.runtime.close()
