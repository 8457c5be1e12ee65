"""OAuth states remember the scopes their authorize request asked for.

Revision ID: 7c5e2a91d0f3
Revises: 1bdae030187c
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c5e2a91d0f3"
down_revision: str | Sequence[str] | None = "1bdae030187c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``oauth_states.scopes`` (pending states made before it asked for nothing known)."""
    with op.batch_alter_table("oauth_states") as batch:
        batch.add_column(sa.Column("scopes", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop the column again."""
    with op.batch_alter_table("oauth_states") as batch:
        batch.drop_column("scopes")
