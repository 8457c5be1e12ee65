"""Items (``items/items``): products and services to put on invoice lines."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..types import DecimalText, EasternDatetime, Money, OptionalDecimal, OptionalId
from ._base import FBModel, InputModel

__all__ = ["Item", "ItemInput"]


class Item(FBModel):
    """A saved item. ``id`` equals ``itemid``; ``tax1``/``tax2`` are tax ids (None for none)."""

    legacy_id: ClassVar[str | None] = "itemid"

    id: int
    name: str | None = None
    description: str | None = None
    sku: str | None = None
    qty: OptionalDecimal = None
    inventory: OptionalDecimal = None  # None when stock is not tracked
    unit_cost: Money | None = None
    tax1: OptionalId = None
    tax2: OptionalId = None
    updated: EasternDatetime = None
    vis_state: int = 0


class ItemInput(InputModel):
    """Fields to create or change an item; a name is needed on create."""

    name: str | None = Field(default=None, description="Item name shown on invoice lines")
    description: str | None = Field(default=None, description="Longer description")
    sku: str | None = Field(default=None, description="Stock keeping unit code")
    qty: DecimalText | None = Field(
        default=None, description="Default quantity as a decimal string, e.g. '1'"
    )
    inventory: DecimalText | None = Field(
        default=None, description="Units in stock as a decimal string"
    )
    unit_cost: Money | None = Field(
        default=None, description="Price of one unit: amount as a decimal string and currency code"
    )
    tax1: int | None = Field(default=None, ge=0, description="Id of the first tax; 0 for none")
    tax2: int | None = Field(default=None, ge=0, description="Id of the second tax; 0 for none")
