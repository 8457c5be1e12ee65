"""Fault injection for tests: a transport that breaks chosen requests, and counts every one.

:class:`Faults` holds the rules (which requests, which fault, how many times), the log of every
request seen, and the waits the client's retries asked for (a fake ``sleep``: no test waits).
:class:`FaultyTransport` wraps any transport (the in-process sandbox, a real HTTP transport)
and applies the rules. Faults the transport cannot fake are the sandbox's own
(``sandbox/core/faults.py``, switched on through its ``SandboxConfig``):
:meth:`Faults.sandbox_faults` drives those, with the sandbox's rate-limit clock moved only by
the fake ``sleep``.

Kinds:

- ``rate_limit``: 429 with ``Retry-After`` when given (``retry_after``), else none;
- ``json_500``, ``html_502``, ``text_503``: 5xx answers, the bodies the sandbox sends;
- ``html_504_after_write``: the request reaches FreshBooks (a write happens), the answer is
  an nginx 504;
- ``timeout_before`` / ``connect_error``: nothing reaches FreshBooks;
- ``timeout_after``: the request reaches FreshBooks, its answer never comes;
- ``non_json_200``: an HTML page with status 200 (a proxy's maintenance page);
- ``error_in_200``: a classic FreshBooks error inside an HTTP 200 (not processed).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2

from sandbox.core.faults import BAD_GATEWAY_HTML, GATEWAY_TIMEOUT_HTML

__all__ = ["KINDS", "Faults", "FaultyTransport", "Kind", "Rule", "Seen"]

Kind = Literal[
    "rate_limit",
    "json_500",
    "html_502",
    "text_503",
    "html_504_after_write",
    "timeout_before",
    "timeout_after",
    "connect_error",
    "non_json_200",
    "error_in_200",
]
KINDS: tuple[Kind, ...] = Kind.__args__  # type: ignore[attr-defined]  # a Literal's values: typing.get_args at run time
OAUTH = re.compile(r"/oauth/|/auth/oauth/")
MAINTENANCE_HTML = b"<html><body><h1>Down for maintenance</h1></body></html>"
CLASSIC_500 = {
    "response": {
        "errors": [
            {
                "errno": 500,
                "field": None,
                "message": "An unexpected error occurred.",
                "object": None,
            }
        ]
    }
}


@dataclass
class Rule:
    """Which requests get which fault.

    ``path`` is a regular expression searched in the URL path (None: every API path; OAuth
    endpoints only when named). ``times`` bounds how many requests it breaks; ``per_url`` breaks
    only the first attempts at each distinct URL (a transient fault a retry gets past).
    """

    kind: Kind
    method: str | None = None
    path: str | None = None
    times: int | None = None
    per_url: int | None = None
    retry_after: str | None = None
    hits: int = 0
    attempts: Counter[str] = field(default_factory=Counter)

    def claims(self, request: httpx2.Request) -> bool:
        """Whether this rule breaks ``request`` (and count it when so)."""
        path = request.url.path
        if self.method is not None and request.method != self.method:
            return False
        if self.path is None and OAUTH.search(path):
            return False
        if self.path is not None and not re.search(self.path, path):
            return False
        if self.times is not None and self.hits >= self.times:
            return False
        url = str(request.url)
        self.attempts[url] += 1
        if self.per_url is not None and self.attempts[url] > self.per_url:
            return False
        self.hits += 1
        return True


@dataclass(frozen=True)
class Seen:
    """One request the transport handled, and the fault it got (None: passed through)."""

    method: str
    path: str
    url: str
    fault: Kind | None


class Faults:
    """Rules, the request log and the retry waits of one test (thread-safe)."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.seen: list[Seen] = []
        self.sleeps: list[float] = []
        self.clock = 1000.0  # the sandbox rate limiter's monotonic clock
        self.clock_moves = True  # False: a storm that waiting does not end
        self.sandbox: Any = None  # the last sandbox attached (its `Sandbox` state)
        self._sandbox_changes: dict[str, Any] = {}
        self._lock = threading.Lock()

    # -- arranging -----------------------------------------------------------------------------

    def inject(self, kind: Kind, **options: Any) -> Rule:
        """Add a rule (see :class:`Rule` for the options)."""
        rule = Rule(kind, **options)
        with self._lock:
            self.rules.append(rule)
        return rule

    def sandbox_faults(self, **changes: Any) -> None:
        """Set the sandbox's own fault injection (``fail_rate``, ``rate_limit``, ...), now and
        for sandboxes attached later (the app builds its demo sandbox on its first run)."""
        self._sandbox_changes.update(changes)
        if self.sandbox is not None:
            for name, value in changes.items():
                setattr(self.sandbox.config, name, value)

    def calm(self) -> None:
        """No more faults: rules dropped, the sandbox's injection off."""
        with self._lock:
            self.rules.clear()
        self.sandbox_faults(fail_rate=0.0, error_in_200_rate=0.0, rate_limit=None)
        self.clock_moves = True

    def forget(self) -> None:
        """Clear the request log and the recorded waits (between steps of a test)."""
        with self._lock:
            self.seen.clear()
            self.sleeps.clear()

    def attach(self, app: Any) -> None:
        """Take over a sandbox app's fault clock and apply the pending sandbox settings."""
        self.sandbox = app.state.sandbox
        self.sandbox.faults.monotonic = lambda: self.clock
        self.sandbox.faults.recent.clear()  # requests another test made are not in our window
        self.sandbox_faults(**self._sandbox_changes)

    # -- the client's side ---------------------------------------------------------------------

    def sleep(self, seconds: float) -> None:
        """The retry wait, recorded instead of slept; it moves the sandbox's clock."""
        with self._lock:
            self.sleeps.append(seconds)
            if self.clock_moves:
                self.clock += seconds

    def pick(self, request: httpx2.Request) -> Rule | None:
        """The first rule that breaks ``request``."""
        with self._lock:
            return next((r for r in self.rules if r.claims(request)), None)

    def log(self, request: httpx2.Request, fault: Kind | None) -> None:
        """Remember a request and what it got."""
        with self._lock:
            self.seen.append(Seen(request.method, request.url.path, str(request.url), fault))

    # -- reading -------------------------------------------------------------------------------

    def requests(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        """Requests seen, optionally one method and a path pattern."""
        with self._lock:
            return [
                s
                for s in self.seen
                if (method is None or s.method == method)
                and (path is None or re.search(path, s.path))
            ]

    def attempts_per_url(self, method: str | None = None) -> Counter[str]:
        """How many times each URL was asked for."""
        return Counter(s.url for s in self.requests(method))


class FaultyTransport(httpx2.BaseTransport):
    """Applies a :class:`Faults`' rules to the requests it passes to ``inner``."""

    def __init__(self, inner: httpx2.BaseTransport, faults: Faults) -> None:
        self.inner = inner
        self.faults = faults

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Break the request as the first matching rule says, or pass it through."""
        rule = self.faults.pick(request)
        self.faults.log(request, rule.kind if rule else None)
        if rule is None:
            return self.inner.handle_request(request)
        kind = rule.kind
        if kind == "timeout_before":
            raise httpx2.ConnectTimeout("injected: connect timed out", request=request)
        if kind == "connect_error":
            raise httpx2.ConnectError("injected: connection refused", request=request)
        if kind in ("html_504_after_write", "timeout_after"):
            self.inner.handle_request(request).read()  # FreshBooks does the work...
            if kind == "timeout_after":  # ...and its answer never arrives
                raise httpx2.ReadTimeout("injected: read timed out", request=request)
            return _answer(request, 504, GATEWAY_TIMEOUT_HTML, "text/html")
        if kind == "rate_limit":
            headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
            body = json.dumps({"message": "Too Many Requests", "errno": 429}).encode()
            return _answer(request, 429, body, "application/json", headers)
        if kind == "json_500":
            return _answer(request, 500, json.dumps(CLASSIC_500).encode(), "application/json")
        if kind == "html_502":
            return _answer(request, 502, BAD_GATEWAY_HTML, "text/html")
        if kind == "text_503":
            return _answer(request, 503, b"Service Unavailable", "text/plain")
        if kind == "non_json_200":
            return _answer(request, 200, MAINTENANCE_HTML, "text/html")
        return _answer(request, 200, json.dumps(CLASSIC_500).encode(), "application/json")

    def close(self) -> None:
        """Close the wrapped transport."""
        self.inner.close()

    def shutdown(self) -> None:
        """Stop the wrapped in-process transport (the demo sandbox calls this)."""
        shutdown = getattr(self.inner, "shutdown", None)
        if shutdown is not None:
            shutdown()


def _answer(
    request: httpx2.Request,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> httpx2.Response:
    return httpx2.Response(
        status,
        headers={"content-type": content_type, **(headers or {})},
        content=body,
        request=request,
    )
