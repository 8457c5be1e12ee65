"""Chat history in the store, per owner and business account, restored on reload.

The whole :class:`Conversation` is saved as one JSON document (see :mod:`store.chat`):
pending cards come back with the messages they belong to. The model only ever sees a bounded
window of it (see ``agent.window``), and the tools it loaded (``Conversation.tools``) are
saved with it.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from store.chat import clear_chat, load_chat, save_chat

from .conversation import Conversation

__all__ = ["ChatHistory"]

logger = logging.getLogger(__name__)


class ChatHistory:
    """Load, save and clear one owner's chat for one business account."""

    def __init__(self, sessions: sessionmaker[Session], owner: str, account_key: str) -> None:
        self._sessions = sessions
        self.owner = owner
        self.account_key = account_key

    def load(self) -> Conversation | None:
        """The saved conversation, or None (nothing saved, or unreadable)."""
        content = load_chat(self._sessions, self.owner, self.account_key)
        if content is None:
            return None
        try:
            return Conversation.from_dict(content)
        except (KeyError, TypeError, ValueError):
            logger.warning("chat history for %s could not be read; starting fresh", self.owner)
            return None

    def save(self, convo: Conversation) -> None:
        """Replace the saved conversation with ``convo``."""
        save_chat(self._sessions, self.owner, self.account_key, convo.to_dict())

    def clear(self) -> None:
        """Forget this owner's chat for this account."""
        clear_chat(self._sessions, self.owner, self.account_key)
