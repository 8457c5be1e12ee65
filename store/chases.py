"""The reminders the app sent, per owner, business account and invoice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from .schema import Chase, utcnow

__all__ = ["chased", "record_chase"]


def record_chase(
    sessions: sessionmaker[Session],
    owner: str,
    account_key: str,
    invoice_id: int,
    *,
    channel: str = "app",
    at: datetime | None = None,
) -> None:
    """Remember that a reminder for ``invoice_id`` was sent now (or ``at``)."""
    with sessions() as session, session.begin():
        session.add(
            Chase(
                owner=owner,
                account_key=account_key,
                invoice_id=invoice_id,
                at=at or utcnow(),
                channel=channel[:16],
            )
        )


def chased(
    sessions: sessionmaker[Session], owner: str, account_key: str
) -> dict[int, tuple[int, datetime]]:
    """Per invoice id: how many reminders were sent and when the last one was."""
    with sessions() as session:
        rows = session.execute(
            select(Chase.invoice_id, func.count(), func.max(Chase.at))
            .where(Chase.owner == owner, Chase.account_key == account_key)
            .group_by(Chase.invoice_id)
        ).all()
    return {int(invoice): (int(count), last) for invoice, count, last in rows}
