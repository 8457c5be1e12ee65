"""Reminders the app sent per invoice (the chase list's memory).

Revision ID: c8d2e4f6a1b3
Revises: a3f1c07e5b2d
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8d2e4f6a1b3"
down_revision: str | Sequence[str] | None = "a3f1c07e5b2d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``chases``."""
    op.create_table(
        "chases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("account_key", sa.String(length=255), nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_chases_owner_account", "chases", ["owner", "account_key", "invoice_id"])


def downgrade() -> None:
    """Drop it again."""
    op.drop_index("ix_chases_owner_account", table_name="chases")
    op.drop_table("chases")
