"""Bearer tokens for the MCP server's HTTP transport: made, named and revoked by their owner.

A token is shown once, when made; only its SHA-256 is stored (a token is 256 random bits, so
a fast hash is enough: nothing to guess). Looking a token up gives its owner, so in hosted
mode each person's assistant reaches only their own books.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from .schema import McpToken, utcnow

__all__ = ["PREFIX", "McpTokenStore", "TokenInfo"]

PREFIX = "fbc_mcp_"  # recognisable in a config file (and by secret scanners)
MAX_NAME = 100


@dataclass(frozen=True)
class TokenInfo:
    """What the Settings page shows of a token (never the token)."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class McpTokenStore:
    """Every owner's MCP tokens, hashed."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(self, owner: str, name: str) -> str:
        """A new token for ``owner`` called ``name``; returned once, stored hashed.

        Raises ``ValueError`` for an empty name.
        """
        name = " ".join(name.split())[:MAX_NAME]
        if not name:
            raise ValueError("Give the token a name, such as the assistant it is for.")
        token = PREFIX + secrets.token_urlsafe(32)
        with self._sessions() as session, session.begin():
            session.add(McpToken(owner=owner, name=name, token_hash=_digest(token)))
        return token

    def tokens(self, owner: str) -> list[TokenInfo]:
        """``owner``'s tokens, newest first, revoked ones included."""
        with self._sessions() as session:
            rows = session.scalars(
                select(McpToken)
                .where(McpToken.owner == owner)
                .order_by(McpToken.created_at.desc(), McpToken.id.desc())
            ).all()
            return [
                TokenInfo(r.id, r.name, r.created_at, r.last_used_at, r.revoked_at is not None)
                for r in rows
            ]

    def revoke(self, owner: str, token_id: int) -> bool:
        """Revoke one of ``owner``'s tokens; False when it is not theirs or already revoked."""
        with self._sessions() as session, session.begin():
            result = session.execute(
                update(McpToken)
                .where(
                    McpToken.id == token_id,
                    McpToken.owner == owner,
                    McpToken.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow())
            )
            return bool(getattr(result, "rowcount", 0))

    def owner_of(self, token: str) -> str | None:
        """The owner of a live token (and it is marked used), or None: unknown or revoked."""
        if not token.startswith(PREFIX):
            return None
        with self._sessions() as session, session.begin():
            row = session.scalars(
                select(McpToken).where(
                    McpToken.token_hash == _digest(token), McpToken.revoked_at.is_(None)
                )
            ).first()
            if row is None:
                return None
            row.last_used_at = utcnow()
            return row.owner
