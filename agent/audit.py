"""The audit log of writes made on the user's behalf: when, what, arguments, ids, outcome.

The loop records every confirmed write (and every undo) through an :class:`AuditSink`;
:class:`StoreAudit` keeps them in the store's audit log (:mod:`store.audit`), read back by
``store.audit.recent_audit`` for the Settings page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session, sessionmaker

from store.audit import add_entry

__all__ = ["AuditSink", "Outcome", "StoreAudit", "scrub"]

# "unconfirmed": FreshBooks did not answer clearly; the change may have happened (see the message).
Outcome = Literal["ok", "error", "unconfirmed"]

# Tool arguments never hold secrets; this is a second line of defence.
_SECRET_KEY = re.compile(
    r"token|secret|password|passwd|api[_-]?key|^key$|_key$|authorization", re.I
)
REDACTED = "[redacted]"


def scrub(value: Any) -> Any:
    """``value`` with every mapping entry whose key looks like a secret redacted (recursively)."""
    if isinstance(value, Mapping):
        return {
            str(k): REDACTED if _SECRET_KEY.search(str(k)) else scrub(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


class AuditSink(Protocol):
    """Where the loop records writes."""

    def record(
        self,
        action: str,
        arguments: Mapping[str, Any],
        record_ids: Mapping[str, Any],
        outcome: Outcome,
        message: str,
    ) -> int:
        """Store one entry and return its id."""
        ...


class StoreAudit:
    """Audit entries in the store, per owner and business account."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        owner: str,
        account_key: str,
        *,
        channel: str = "app",
        client: str | None = None,
    ) -> None:
        self._sessions = sessions
        self.owner = owner
        self.account_key = account_key
        self.channel = channel  # "app" (the chat) or "mcp" (an assistant)
        self.client = client  # the MCP client's name

    def record(
        self,
        action: str,
        arguments: Mapping[str, Any],
        record_ids: Mapping[str, Any],
        outcome: Outcome,
        message: str,
    ) -> int:
        """Store one entry and return its id."""
        return add_entry(
            self._sessions,
            self.owner,
            self.account_key,
            action=action,
            arguments=scrub(dict(arguments)),
            record_ids=record_ids,
            outcome=outcome,
            message=message,
            channel=self.channel,
            client=self.client,
        )
