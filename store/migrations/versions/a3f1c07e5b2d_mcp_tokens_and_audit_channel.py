"""MCP bearer tokens (hashed, per owner), and which channel and client asked for each write.

Revision ID: a3f1c07e5b2d
Revises: 7c5e2a91d0f3
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3f1c07e5b2d"
down_revision: str | Sequence[str] | None = "7c5e2a91d0f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``mcp_tokens`` and ``audit_log.channel`` / ``audit_log.client`` (older rows: app)."""
    op.create_table(
        "mcp_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_mcp_tokens_owner", "mcp_tokens", ["owner"])
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="app")
        )
        batch.add_column(sa.Column("client", sa.String(length=255), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("client")
        batch.drop_column("channel")
    op.drop_index("ix_mcp_tokens_owner", table_name="mcp_tokens")
    op.drop_table("mcp_tokens")
