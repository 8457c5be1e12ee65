"""The store's schema as it was before migrations, frozen, and how start-up made it.

Start-up ran ``Base.metadata.create_all`` (adding only missing tables) under a database lock;
databases deployed then look like :data:`LEGACY`. Frozen here rather than taken from
``store.schema``, which will move on with later migrations.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

LEGACY = MetaData()

Table(
    "fb_connections",
    LEGACY,
    Column("owner", String(255), primary_key=True),
    Column("token_ciphertext", LargeBinary, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("scope", Text, nullable=False),
    Column("business_id", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Table(
    "oauth_states",
    LEGACY,
    Column("state_hash", String(64), primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)
Table(
    "audit_log",
    LEGACY,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(255), nullable=False),
    Column("account_key", String(255), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(100), nullable=False),
    Column("arguments", JSON, nullable=False),
    Column("record_ids", JSON, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Index("ix_audit_owner_at", "owner", "at"),
)
Table(
    "chat_messages",
    LEGACY,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(255), nullable=False),
    Column("account_key", String(255), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("role", String(20), nullable=False),
    Column("content", JSON, nullable=False),
    Index("ix_chat_owner_account", "owner", "account_key", "id"),
)
Table(
    "mirror_records",
    LEGACY,
    Column("owner", String(255), primary_key=True),
    Column("business_id", Integer, primary_key=True, autoincrement=False),
    Column("part", String(40), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)
Table(
    "mirror_parts",
    LEGACY,
    Column("owner", String(255), primary_key=True),
    Column("business_id", Integer, primary_key=True, autoincrement=False),
    Column("part", String(40), primary_key=True),
    Column("synced_at", DateTime(timezone=True), nullable=False),
    Column("swept_at", DateTime(timezone=True), nullable=False),
    Column("records", Integer, nullable=False),
    Column("truncated", Boolean, nullable=False),
    Column("revision", Integer, nullable=False),
)

# Before the local mirror, the store had these four.
BEFORE_MIRROR = ("fb_connections", "oauth_states", "audit_log", "chat_messages")


def create_legacy(engine: Engine, tables: Iterable[str] | None = None) -> None:
    """What start-up did before migrations: ``create_all`` under the schema lock."""
    chosen = None if tables is None else [LEGACY.tables[name] for name in tables]
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": 0x636F70696C6F74})
        LEGACY.create_all(conn, tables=chosen)
        conn.commit()
