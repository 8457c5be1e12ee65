"""The store's tables. Every row belongs to an ``owner``: the app user it was made for
("local" for a single-user install, a hash of the OIDC issuer and subject when hosted)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEntry",
    "Base",
    "ChatMessage",
    "Connection",
    "MirrorPart",
    "MirrorRecord",
    "OAuthState",
    "TimerRow",
    "utcnow",
]


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of the store."""


class Connection(Base):
    """One owner's FreshBooks connection: the token pair, encrypted, and the chosen business."""

    __tablename__ = "fb_connections"

    owner: Mapped[str] = mapped_column(String(255), primary_key=True)
    token_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[float] = mapped_column(Float)
    scope: Mapped[str] = mapped_column(Text, default="")
    business_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class OAuthState(Base):
    """A pending authorization: single-use, short-lived, checked on the way back."""

    __tablename__ = "oauth_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The scopes the authorize request asked for (space-separated), to explain a refusal.
    scopes: Mapped[str] = mapped_column(Text, default="", server_default="")


class AuditEntry(Base):
    """One write made on the user's behalf: what, with which arguments, and how it ended."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_owner_at", "owner", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(255))
    account_key: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(100))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    record_ids: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    # Where the write was asked for: "app" (the chat) or "mcp" (an assistant), and which one.
    channel: Mapped[str] = mapped_column(String(16), default="app", server_default="app")
    client: Mapped[str | None] = mapped_column(String(255), nullable=True)


class McpToken(Base):
    """A bearer token an owner made for an assistant to reach the MCP server; only its hash
    is kept (the token is shown once, when made)."""

    __tablename__ = "mcp_tokens"
    __table_args__ = (Index("ix_mcp_tokens_owner", "owner"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ChatMessage(Base):
    """A chat turn, kept per owner and business account so it is restored on reload."""

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_owner_account", "owner", "account_key", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(255))
    account_key: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    role: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class MirrorRecord(Base):
    """One FreshBooks record as FreshBooks sent it (JSON), in an owner's local mirror of a business.

    ``part`` names the list it came from (``invoices``, ``time_entries``...); ``record_id`` is
    the record's key in that list as text (service rates are keyed by their service id, team
    members by uuid).
    """

    __tablename__ = "mirror_records"

    owner: Mapped[str] = mapped_column(String(255), primary_key=True)
    business_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    part: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class MirrorPart(Base):
    """How far one part of a mirror is synced: when, up to which server-side watermark."""

    __tablename__ = "mirror_parts"

    owner: Mapped[str] = mapped_column(String(255), primary_key=True)
    business_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    part: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Start of the last successful sync of this part (UTC): changes are asked "since" it.
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Last time deletions were checked (accounting deletions need a request of their own).
    swept_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    records: Mapped[int] = mapped_column(Integer, default=0)
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by every change to the part's records, so other processes see their copy is old.
    revision: Mapped[int] = mapped_column(Integer, default=0)


class TimerRow(Base):
    """A timer started from the app: its FreshBooks time entry (unlogged until stopped) and
    how long it has run. Kept here because FreshBooks documents no way to pause an entry."""

    __tablename__ = "timers"

    owner: Mapped[str] = mapped_column(String(255), primary_key=True)
    business_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    client_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    project_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # None while paused; else when the current run began.
    running_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Seconds counted before the current run (the runs before each pause).
    seconds: Mapped[int] = mapped_column(Integer, default=0)
