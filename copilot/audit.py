"""Reading the audit log of writes made on the user's behalf (the agent writes to it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.schema import AuditEntry

__all__ = ["recent_audit"]


def recent_audit(
    sessions: sessionmaker[Session], owner: str, account_key: str, limit: int = 200
) -> list[dict[str, Any]]:
    """The newest entries for one owner and business account, newest first."""
    with sessions() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.owner == owner, AuditEntry.account_key == account_key)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        ).all()
    return [
        {
            "when": row.at,
            "action": row.action,
            "outcome": row.outcome,
            "records": row.record_ids,
            "arguments": row.arguments,
            "message": row.message,
        }
        for row in rows
    ]
