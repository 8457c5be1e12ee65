"""Timers started from the app: their FreshBooks entry and the time counted so far.

Revision ID: 5d8e2b7c4f19
Revises: a3f1c07e5b2d
Create Date: 2026-12-07 03:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d8e2b7c4f19"
down_revision: str | Sequence[str] | None = "a3f1c07e5b2d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``timers`` (one row per timer, keyed by owner, business and FreshBooks entry)."""
    op.create_table(
        "timers",
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("business_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("running_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner", "business_id", "entry_id"),
    )


def downgrade() -> None:
    """Drop it again."""
    op.drop_table("timers")
