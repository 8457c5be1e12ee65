"""Single-use confirmation tokens, for clients that cannot ask the person themselves.

A write called without elicitation answers with its preview and a token. The token is bound
to whose books (owner and business), the tool and its exact arguments, expires after five
minutes, and acts once: only a second call carrying it, with the same arguments, makes the
change. Tokens live in this process's memory; a restart forgets them (nothing happens).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.tool import ProposedChange

__all__ = ["TTL", "Confirmations", "Pending"]

TTL = timedelta(minutes=5)


def _canonical(arguments: Mapping[str, Any]) -> str:
    return json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Pending:
    """What a token allows: one call of ``tool`` with ``arguments`` on ``scope``'s books."""

    scope: tuple[str, str]  # (owner, business account key)
    tool: str
    arguments: str  # canonical JSON
    expires_at: datetime
    proposal: ProposedChange  # what the person was shown


class Confirmations:
    """The tokens handed out and not yet used or expired; ``clock`` is injectable for tests."""

    def __init__(self, clock: Callable[[], datetime] | None = None, ttl: timedelta = TTL) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._ttl = ttl
        self._pending: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def issue(
        self,
        scope: tuple[str, str],
        tool: str,
        arguments: Mapping[str, Any],
        proposal: ProposedChange,
    ) -> tuple[str, datetime]:
        """A new token for this exact call shown as ``proposal``, and when it expires."""
        now = self._clock()
        token = secrets.token_urlsafe(24)
        expires = now + self._ttl
        with self._lock:
            self._forget_expired(now)
            self._pending[token] = Pending(scope, tool, _canonical(arguments), expires, proposal)
        return token, expires

    def redeem(
        self, token: str, scope: tuple[str, str], tool: str, arguments: Mapping[str, Any]
    ) -> ProposedChange | None:
        """The preview the person agreed to, when ``token`` allows this exact call now (the
        token is then used up); None when it does not.

        A token offered with other arguments (or for another tool or business) is refused
        and stays valid for the call it was made for.
        """
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            pending = self._pending.get(token)
            if pending is None:
                return None
            if (pending.scope, pending.tool, pending.arguments) != (
                scope,
                tool,
                _canonical(arguments),
            ):
                return None
            del self._pending[token]
            return pending.proposal

    def _forget_expired(self, now: datetime) -> None:
        for token in [t for t, p in self._pending.items() if p.expires_at <= now]:
            del self._pending[token]
