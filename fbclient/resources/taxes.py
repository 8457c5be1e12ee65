"""Taxes: ``/accounting/account/{account_id}/taxes/taxes``."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..models.taxes import Tax
from ..scopes import Access
from ._base import AccountingResource

__all__ = ["Taxes"]


class Taxes(AccountingResource[Tax]):
    """List, get, create, update and delete (HTTP DELETE) taxes.

    Search keys: ``taxids`` (list), ``name``, ``number``, ``compound``, ``updated_min``.
    """

    scopes: ClassVar[Access] = Access("taxes")

    path: ClassVar[str] = "taxes/taxes"
    singular: ClassVar[str] = "tax"
    plural: ClassVar[str] = "taxes"
    model = Tax
    delete_via: ClassVar[Literal["vis_state", "http"]] = "http"
