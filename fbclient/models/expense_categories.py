"""Expense categories (``expenses/categories``): read-only."""

from __future__ import annotations

from typing import ClassVar

from ..types import EasternDatetime, OptionalId
from ._base import FBModel

__all__ = ["ExpenseCategory"]


class ExpenseCategory(FBModel):
    """A category expenses are filed under. ``id`` equals ``categoryid``; ``category`` is the name."""

    legacy_id: ClassVar[str | None] = "categoryid"

    id: int
    category: str | None = None
    parentid: OptionalId = None
    is_cogs: bool | None = None  # deprecated by FreshBooks
    is_editable: bool | None = None
    transaction_posted: bool | None = None
    created_at: EasternDatetime = None
    updated_at: EasternDatetime = None
    vis_state: int = 0

    @property
    def name(self) -> str:
        """The category's name."""
        return self.category or f"Category {self.id}"
