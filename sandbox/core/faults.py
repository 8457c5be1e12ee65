"""Fault injection as plain ASGI middleware (works under uvicorn and httpx2's ASGI transport).

- `latency_ms`: added to every answer.
- `rate_limit`: requests per rolling second; beyond it a 429 with an integer `Retry-After`.
- `fail_rate`: share of API answers replaced by a 5xx: a JSON 500, an HTML 502, a plain-text
  503, or an HTML 504 sent *after* the request was processed (a write that happened although
  the client saw a failure: the reason never to retry a create blindly).
- `error_in_200_rate`: share of API answers that are a classic FreshBooks error inside HTTP 200.

OAuth endpoints are exempt from the failure and error-in-200 injections, and the authorize page
(a browser) from rate limiting. A seeded RNG makes the choices reproducible.
"""

from __future__ import annotations

import asyncio
import collections
import json
import math
import random
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.config import SandboxConfig
from sandbox.core.errors import Problem, classic_body, family_of

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BAD_GATEWAY_HTML = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    b"</h1></center><hr><center>nginx</center></body></html>\n"
)
GATEWAY_TIMEOUT_HTML = (
    b"<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway "
    b"Time-out</h1></center><hr><center>nginx</center></body></html>\n"
)
FAILURE_KINDS = ("json_500", "html_502", "text_503", "html_504_after_processing")


async def _reply(
    send: Send, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@dataclass
class FaultState:
    """The mutable side of fault injection, reachable from tests as `sandbox.faults`."""

    rng: random.Random
    monotonic: Callable[[], float] = time.monotonic
    recent: collections.deque[float] = field(default_factory=collections.deque)
    injected: collections.Counter[str] = field(default_factory=collections.Counter)

    @classmethod
    def for_config(cls, config: SandboxConfig) -> FaultState:
        """A state whose RNG is seeded from `fault_seed` (else the data seed)."""
        seed = config.fault_seed if config.fault_seed is not None else config.seed
        return cls(random.Random(seed))


class FaultInjector:
    """Wraps the app; see the module docstring for the behaviours."""

    def __init__(self, app: ASGIApp, config: SandboxConfig, state: FaultState) -> None:
        self.app = app
        self.config = config
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run one request through the configured faults."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        config = self.config
        path = str(scope.get("path", ""))
        family = family_of(path)
        is_authorize_page = family == "oauth" and "authorize" in path
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)
        if config.rate_limit and not is_authorize_page:
            wait = self._admit(config.rate_limit)
            if wait is not None:
                self.state.injected["429"] += 1
                body = _json({"message": "Too Many Requests", "errno": 429})
                await _reply(send, 429, body, "application/json", {"Retry-After": str(wait)})
                return
        if family in ("accounting", "project", "identity"):
            if config.fail_rate and self.state.rng.random() < config.fail_rate:
                await self._fail(self.state.rng.choice(FAILURE_KINDS), scope, receive, send)
                return
            if config.error_in_200_rate and self.state.rng.random() < config.error_in_200_rate:
                self.state.injected["error_in_200"] += 1
                problem = Problem(500, "An unexpected error occurred. Please try again.")
                await _reply(send, 200, _json(classic_body([problem])), "application/json")
                return
        await self.app(scope, receive, send)

    def _admit(self, limit: int) -> int | None:
        """Sliding one-second window; the whole seconds to wait when over the limit."""
        now = self.state.monotonic()
        recent = self.state.recent
        while recent and now - recent[0] >= 1.0:
            recent.popleft()
        if len(recent) >= limit:
            return max(1, math.ceil(recent[0] + 1.0 - now))
        recent.append(now)
        return None

    async def _fail(self, kind: str, scope: Scope, receive: Receive, send: Send) -> None:
        self.state.injected[kind] += 1
        if kind == "json_500":
            body = _json(classic_body([Problem(500, "FreshAlchemyUnexpected: internal error.")]))
            await _reply(send, 500, body, "application/json")
        elif kind == "html_502":
            await _reply(send, 502, BAD_GATEWAY_HTML, "text/html")
        elif kind == "text_503":
            await _reply(send, 503, b"Service Unavailable", "text/plain", {"Retry-After": "1"})
        else:

            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await _reply(send, 504, GATEWAY_TIMEOUT_HTML, "text/html")
