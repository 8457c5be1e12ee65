"""Items: ``/accounting/account/{account_id}/items/items``."""

from __future__ import annotations

from typing import ClassVar

from ..models.items import Item
from ..scopes import Access
from ._base import AccountingResource

__all__ = ["Items"]


class Items(AccountingResource[Item]):
    """List, get, create, update and delete (PUT vis_state=1) items.

    Search keys: ``itemids`` (list), ``sku``, ``description``, ``unit_cost_min`` /
    ``unit_cost_max``, ``inventory_min`` / ``inventory_max``, ``updated_min``.
    """

    scopes: ClassVar[Access] = Access("billable_items")

    path: ClassVar[str] = "items/items"
    singular: ClassVar[str] = "item"
    plural: ClassVar[str] = "items"
    model = Item
