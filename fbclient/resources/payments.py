"""Payments: ``/accounting/account/{account_id}/payments/payments``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ..listing import Listing
from ..models._base import to_payload
from ..models.payments import Payment
from ..scopes import Access
from ._base import AccountingResource, WriteData

__all__ = ["Payments"]


class Payments(AccountingResource[Payment]):
    """List, get, create, update and delete (PUT vis_state=1) payments.

    Search keys: ``invoiceid``, ``clientids`` (list), ``date_min`` / ``date_max``,
    ``updated_min``, ``amount_min`` / ``amount_max``, ``type``, ``payment_or_credit``.
    Includes: ``invoice``, ``client``.
    """

    scopes: ClassVar[Access] = Access("payments")

    path: ClassVar[str] = "payments/payments"
    singular: ClassVar[str] = "payment"
    plural: ClassVar[str] = "payments"
    model = Payment
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "payments",
        Payment,
        path,
        key=plural,
        singular=singular,
        follow="busy",
    )

    def update(
        self, record_id: int | str, data: WriteData, *, include: Iterable[str] = ()
    ) -> Payment:
        """Change the fields given (see ``PaymentUpdate``).

        Refuses ``invoiceid``: the official SDK never sends it on update, and moving a payment
        to another invoice is a delete and a new payment.
        """
        payload = to_payload(data)
        if "invoiceid" in payload:
            raise ValueError(
                "a payment's invoiceid cannot be updated; delete it and record a new payment"
            )
        return super().update(record_id, payload, include=include)
