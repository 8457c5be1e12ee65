"""Baseline: the schema the store made with ``create_all`` before it had migrations.

Revision ID: 1bdae030187c
Revises:
Create Date: 2026-12-06 22:42:18.935834
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "1bdae030187c"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _existing_tables() -> set[str]:
    # Databases made before migrations already hold some or all of these tables, with data
    # (start-up ran create_all, which added only missing tables): create just the rest.
    if context.is_offline_mode():
        return set()
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    """Create the tables (and their indexes) that are not there yet."""
    existing = _existing_tables()
    if "fb_connections" not in existing:
        op.create_table(
            "fb_connections",
            sa.Column("owner", sa.String(length=255), nullable=False),
            sa.Column("token_ciphertext", sa.LargeBinary(), nullable=False),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.Column("scope", sa.Text(), nullable=False),
            sa.Column("business_id", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("owner"),
        )
    if "oauth_states" not in existing:
        op.create_table(
            "oauth_states",
            sa.Column("state_hash", sa.String(length=64), nullable=False),
            sa.Column("owner", sa.String(length=255), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("state_hash"),
        )
    if "audit_log" not in existing:
        op.create_table(
            "audit_log",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("owner", sa.String(length=255), nullable=False),
            sa.Column("account_key", sa.String(length=255), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("action", sa.String(length=100), nullable=False),
            sa.Column("arguments", sa.JSON(), nullable=False),
            sa.Column("record_ids", sa.JSON(), nullable=False),
            sa.Column("outcome", sa.String(length=20), nullable=False),
            sa.Column("message", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_audit_owner_at", "audit_log", ["owner", "at"], unique=False)
    if "chat_messages" not in existing:
        op.create_table(
            "chat_messages",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("owner", sa.String(length=255), nullable=False),
            sa.Column("account_key", sa.String(length=255), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("role", sa.String(length=20), nullable=False),
            sa.Column("content", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            "ix_chat_owner_account", "chat_messages", ["owner", "account_key", "id"], unique=False
        )
    if "mirror_records" not in existing:
        op.create_table(
            "mirror_records",
            sa.Column("owner", sa.String(length=255), nullable=False),
            sa.Column("business_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("part", sa.String(length=40), nullable=False),
            sa.Column("record_id", sa.String(length=64), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint("owner", "business_id", "part", "record_id"),
        )
    if "mirror_parts" not in existing:
        op.create_table(
            "mirror_parts",
            sa.Column("owner", sa.String(length=255), nullable=False),
            sa.Column("business_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("part", sa.String(length=40), nullable=False),
            sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("swept_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("records", sa.Integer(), nullable=False),
            sa.Column("truncated", sa.Boolean(), nullable=False),
            sa.Column("revision", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("owner", "business_id", "part"),
        )


def downgrade() -> None:
    """Drop every table of the store (and its data)."""
    op.drop_table("mirror_parts")
    op.drop_table("mirror_records")
    op.drop_index("ix_chat_owner_account", table_name="chat_messages")
    op.drop_table("chat_messages")
    op.drop_index("ix_audit_owner_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("oauth_states")
    op.drop_table("fb_connections")
