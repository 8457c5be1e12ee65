"""Saved chats, per owner and business account, restored on reload.

One ``chat_messages`` row (role ``conversation``) holds a whole chat as JSON: saving is a
single atomic row write. What the JSON means is the agent's business (``agent.history``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session, sessionmaker

from .schema import ChatMessage, utcnow

__all__ = ["clear_chat", "load_chat", "save_chat"]

ROLE = "conversation"


def _latest(owner: str, account_key: str) -> Select[ChatMessage]:
    return (
        select(ChatMessage)
        .where(
            ChatMessage.owner == owner,
            ChatMessage.account_key == account_key,
            ChatMessage.role == ROLE,
        )
        .order_by(ChatMessage.id.desc())
        .limit(1)
    )


def load_chat(
    sessions: sessionmaker[Session], owner: str, account_key: str
) -> dict[str, Any] | None:
    """The saved chat's JSON content, or None when nothing is saved."""
    with sessions() as session:
        row = session.scalars(_latest(owner, account_key)).first()
    return None if row is None else row.content


def save_chat(
    sessions: sessionmaker[Session], owner: str, account_key: str, content: dict[str, Any]
) -> None:
    """Replace the saved chat with ``content`` (JSON-friendly)."""
    with sessions() as session, session.begin():
        row = session.scalars(_latest(owner, account_key)).first()
        if row is None:
            session.add(
                ChatMessage(
                    owner=owner,
                    account_key=account_key,
                    role=ROLE,
                    content=content,
                    at=utcnow(),
                )
            )
        else:
            row.content = content
            row.at = utcnow()


def clear_chat(sessions: sessionmaker[Session], owner: str, account_key: str) -> None:
    """Forget an owner's chat for one account."""
    with sessions() as session, session.begin():
        session.execute(
            delete(ChatMessage).where(
                ChatMessage.owner == owner, ChatMessage.account_key == account_key
            )
        )
