"""The audit log of writes made on the user's behalf: when, what, arguments, ids, outcome.

Rows of the ``audit_log`` table, per owner and business account. The agent writes them
(through ``agent.audit.StoreAudit``, which redacts secret-looking arguments first); the
Settings page reads them back with :func:`recent_audit`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .schema import AuditEntry, utcnow

__all__ = ["EMAILS", "add_entry", "emails_sent", "find_entry", "recent_audit", "was_undone"]


def add_entry(
    sessions: sessionmaker[Session],
    owner: str,
    account_key: str,
    *,
    action: str,
    arguments: Mapping[str, Any],
    record_ids: Mapping[str, Any],
    outcome: str,
    message: str,
    channel: str = "app",
    client: str | None = None,
) -> int:
    """Store one entry, stamped now, and return its id. ``channel`` says where the write was
    asked for ("app" or "mcp") and ``client`` which assistant."""
    entry = AuditEntry(
        owner=owner,
        account_key=account_key,
        at=utcnow(),
        action=action[:100],  # the column's length
        arguments=dict(arguments),
        record_ids=dict(record_ids),
        outcome=outcome,
        message=message,
        channel=channel[:16],
        client=client[:255] if client else None,
    )
    with sessions() as session, session.begin():
        session.add(entry)
        session.flush()
        return entry.id


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
            "channel": row.channel,
            "client": row.client,
        }
        for row in rows
    ]


def find_entry(
    sessions: sessionmaker[Session], owner: str, account_key: str, entry_id: int
) -> dict[str, Any] | None:
    """One of the owner's entries for this business account by its id, or None."""
    with sessions() as session:
        row = session.scalars(
            select(AuditEntry).where(
                AuditEntry.id == entry_id,
                AuditEntry.owner == owner,
                AuditEntry.account_key == account_key,
            )
        ).first()
        if row is None:
            return None
        return {
            "id": row.id,
            "action": row.action,
            "outcome": row.outcome,
            "records": dict(row.record_ids or {}),
            "arguments": dict(row.arguments or {}),
            "message": row.message,
            "channel": row.channel,
            "client": row.client,
        }


def was_undone(
    sessions: sessionmaker[Session], owner: str, account_key: str, entry_id: int
) -> bool:
    """Whether a successful undo names ``entry_id`` (undo entries keep it in their arguments)."""
    with sessions() as session:
        rows = session.scalars(
            select(AuditEntry.arguments).where(
                AuditEntry.owner == owner,
                AuditEntry.account_key == account_key,
                AuditEntry.action.startswith("undo:"),
                AuditEntry.outcome == "ok",
            )
        ).all()
    return any((args or {}).get("audit_id") == entry_id for args in rows)


# The writes that email a client about an invoice (a reminder, or the invoice itself).
EMAILS = ("send_invoice_email", "chase_invoices")


def emails_sent(
    sessions: sessionmaker[Session], owner: str, account_key: str
) -> dict[int, tuple[int, datetime]]:
    """Per invoice id: how many emails the app sent about it (from the chat, an assistant or
    the chase list: every send is audited) and when the last one went."""
    with sessions() as session:
        rows = session.execute(
            select(AuditEntry.record_ids, AuditEntry.at).where(
                AuditEntry.owner == owner,
                AuditEntry.account_key == account_key,
                AuditEntry.action.in_(EMAILS),
                AuditEntry.outcome == "ok",
            )
        ).all()
    out: dict[int, tuple[int, datetime]] = {}
    for ids, at in rows:
        for invoice in (ids or {}).get("invoice") or []:
            if isinstance(invoice, int):
                count, last = out.get(invoice, (0, at))
                out[invoice] = (count + 1, max(last, at))
    return out
