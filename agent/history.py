"""Chat history in the store, per owner and business account, restored on reload.

One ``chat_messages`` row (role ``conversation``) holds the whole :class:`Conversation` as
JSON: saving is a single atomic row write, and pending cards come back with the messages they
belong to. The model only ever sees a bounded window of it (see ``agent.loop``).
"""

from __future__ import annotations

import logging

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session, sessionmaker

from store.schema import ChatMessage, utcnow

from .conversation import Conversation

__all__ = ["ChatHistory"]

logger = logging.getLogger(__name__)

ROLE = "conversation"


class ChatHistory:
    """Load, save and clear one owner's chat for one business account."""

    def __init__(self, sessions: sessionmaker[Session], owner: str, account_key: str) -> None:
        self._sessions = sessions
        self.owner = owner
        self.account_key = account_key

    def _query(self) -> Select[ChatMessage]:
        return select(ChatMessage).where(
            ChatMessage.owner == self.owner,
            ChatMessage.account_key == self.account_key,
            ChatMessage.role == ROLE,
        )

    def load(self) -> Conversation | None:
        """The saved conversation, or None (nothing saved, or unreadable)."""
        with self._sessions() as session:
            row = session.scalars(self._query().order_by(ChatMessage.id.desc()).limit(1)).first()
        if row is None:
            return None
        try:
            return Conversation.from_dict(row.content)
        except (KeyError, TypeError, ValueError):
            logger.warning("chat history for %s could not be read; starting fresh", self.owner)
            return None

    def save(self, convo: Conversation) -> None:
        """Replace the saved conversation with ``convo``."""
        content = convo.to_dict()
        with self._sessions() as session, session.begin():
            row = session.scalars(self._query().order_by(ChatMessage.id.desc()).limit(1)).first()
            if row is None:
                session.add(
                    ChatMessage(
                        owner=self.owner,
                        account_key=self.account_key,
                        role=ROLE,
                        content=content,
                        at=utcnow(),
                    )
                )
            else:
                row.content = content
                row.at = utcnow()

    def clear(self) -> None:
        """Forget this owner's chat for this account."""
        with self._sessions() as session, session.begin():
            session.execute(
                delete(ChatMessage).where(
                    ChatMessage.owner == self.owner, ChatMessage.account_key == self.account_key
                )
            )
