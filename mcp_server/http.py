"""Streamable HTTP at ``/mcp``: a bearer token from the app's Settings page, and Origin checks.

The SDK does both: its bearer middleware asks :class:`OwnerTokens` whose token it is (401
when nobody's: missing, wrong or revoked), and its transport security refuses a foreign
``Origin`` (403) or ``Host`` (421), which is what keeps a web page from reaching a local
server through DNS rebinding. Bound to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import ipaddress
import sys

import anyio.to_thread
import uvicorn
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import AnyHttpUrl
from starlette.applications import Starlette

from store.mcp_tokens import McpTokenStore

from .server import McpApp

__all__ = ["OwnerTokens", "http_app", "security_for", "serve_http"]

PATH = "/mcp"


class OwnerTokens:
    """The SDK's token verifier over the tokens owners make on the Settings page."""

    def __init__(self, tokens: McpTokenStore) -> None:
        self._tokens = tokens

    async def verify_token(self, token: str) -> AccessToken | None:
        """The owner of a live token as the request's subject, or None (the SDK answers 401)."""
        owner = await anyio.to_thread.run_sync(self._tokens.owner_of, token)
        if owner is None:
            return None
        return AccessToken(token=token, client_id=owner, scopes=[], subject=owner)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def security_for(host: str) -> TransportSecuritySettings:
    """Which Host and Origin headers to accept: this machine's loopback names always, and the
    name the server was bound to when it is not a loopback address."""
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]
    if not _loopback(host):
        hosts.append(f"{host}:*")
        origins += [f"http://{host}:*", f"https://{host}:*", f"https://{host}"]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


def http_app(app: McpApp, host: str) -> Starlette:
    """The ASGI app: ``/mcp`` behind the bearer check and the Host/Origin checks."""
    settings = app.runtime.settings
    return app.server.streamable_http_app(
        streamable_http_path=PATH,
        transport_security=security_for(host),
        host=host,
        # The app issues the tokens (Settings page); no OAuth endpoints are served here.
        auth=AuthSettings(
            issuer_url=AnyHttpUrl(settings.freshbooks_redirect_uri), resource_server_url=None
        ),
        token_verifier=OwnerTokens(app.runtime.mcp_tokens),
    )


def serve_http(app: McpApp, host: str, port: int) -> None:
    """Serve until interrupted; prints one line with the address once it accepts connections."""
    config = uvicorn.Config(
        http_app(app, host), host=host, port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:
            await anyio.sleep(0.05)
        bound = server.servers[0].sockets[0].getsockname()[1]
        print(f"mcp server listening on http://{host}:{bound}{PATH}", file=sys.stderr, flush=True)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(announce)
            await server.serve()
            group.cancel_scope.cancel()

    anyio.run(main)
