"""Clients: ``/accounting/account/{account_id}/users/clients``."""

from __future__ import annotations

from typing import ClassVar

from ..listing import Listing
from ..models.clients import Client
from ..scopes import Access
from ._base import AccountingResource

__all__ = ["Clients"]


class Clients(AccountingResource[Client]):
    """List, get, create, update and delete (PUT vis_state=1) clients.

    Useful search keys: ``email``, ``userids`` (list), ``organization_like``, ``user_like``
    (name or organization), ``has_outstanding``, ``updated_min``. Balance includes:
    ``outstanding_balance``, ``overdue_balance``, ``credit_balance``, ``draft_balance``.
    """

    scopes: ClassVar[Access] = Access("clients")

    path: ClassVar[str] = "users/clients"
    singular: ClassVar[str] = "client"
    plural: ClassVar[str] = "clients"
    model = Client
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "clients",
        Client,
        path,
        key=plural,
        singular=singular,
        follow="busy",
    )
