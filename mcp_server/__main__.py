"""``python -m mcp_server [--transport stdio|http] [--host 127.0.0.1] [--port 8765] [--read-only]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import anyio
from mcp.server.stdio import stdio_server

from copilot.runtime import build_runtime
from settings import load_settings

from .http import serve_http
from .server import McpApp

__all__ = ["main", "parse_args"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (see the design's MCP server contract)."""
    parser = argparse.ArgumentParser(
        prog="python -m mcp_server",
        description="Serve FreshBooks Copilot's tools over the Model Context Protocol.",
    )
    parser.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP only (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="HTTP only; 0 picks a free port")
    parser.add_argument(
        "--read-only", action="store_true", help="offer reads only: nothing can be changed"
    )
    return parser.parse_args(argv)


async def _serve_stdio(app: McpApp) -> None:
    async with stdio_server() as (read, write):
        await app.server.run(read, write, app.server.create_initialization_options())


def main(argv: Sequence[str] | None = None) -> None:
    """Build the app's runtime from its configuration and serve until the client leaves."""
    args = parse_args(argv)
    # Assistants start the server from anywhere: relative settings (./data, the secrets file)
    # mean what they mean for `make run`, the checkout's folder.
    os.chdir(Path(__file__).resolve().parents[1])
    # stdout carries the protocol on stdio: every log line goes to stderr.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    runtime = build_runtime(load_settings())
    try:
        if args.transport == "http":
            serve_http(McpApp(runtime, read_only=args.read_only, http=True), args.host, args.port)
        else:
            anyio.run(_serve_stdio, McpApp(runtime, read_only=args.read_only))
    finally:
        runtime.close()


if __name__ == "__main__":
    main()
