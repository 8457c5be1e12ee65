"""An in-memory audit sink: the agent's audit log without a database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.audit import Outcome, scrub

__all__ = ["MemoryAudit"]


@dataclass
class MemoryAudit:
    """Keeps entries in a list, redacted like the store's (an :class:`agent.audit.AuditSink`)."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    def record(
        self,
        action: str,
        arguments: Mapping[str, Any],
        record_ids: Mapping[str, Any],
        outcome: Outcome,
        message: str,
    ) -> int:
        """Keep one entry and return its 1-based id."""
        self.entries.append(
            {
                "id": len(self.entries) + 1,
                "at": datetime.now().astimezone(),
                "action": action,
                "arguments": scrub(dict(arguments)),
                "record_ids": dict(record_ids),
                "outcome": outcome,
                "message": message,
            }
        )
        return len(self.entries)
