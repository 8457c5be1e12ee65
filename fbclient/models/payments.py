"""Payments (``payments/payments``) recorded against invoices."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal, get_args

from pydantic import Field

from ..types import EasternDatetime, FlexibleDate, Money, OptionalId
from ._base import FBModel, InputModel

__all__ = ["PAYMENT_TYPES", "Payment", "PaymentInput", "PaymentType", "PaymentUpdate"]

# "Stripe" and "Wire Transfer" are refused by FreshBooks, so they are not offered.
PaymentType = Literal[
    "Check",
    "Credit",
    "Cash",
    "Bank Transfer",
    "Credit Card",
    "Debit",
    "PayPal",
    "2Checkout",
    "VISA",
    "MASTERCARD",
    "DISCOVER",
    "AMEX",
    "DINERS",
    "JCB",
    "ACH",
    "Other",
]
PAYMENT_TYPES: tuple[str, ...] = get_args(PaymentType)


class Payment(FBModel):
    """A payment on an invoice. ``id`` equals ``logid``."""

    legacy_id: ClassVar[str | None] = "logid"

    id: int
    invoiceid: OptionalId = None
    clientid: OptionalId = None
    creditid: OptionalId = None
    overpaymentid: OptionalId = None
    amount: Money | None = None
    # Read as text too: a gateway could report a type this client does not list.
    type: PaymentType | str | None = None
    note: str | None = None
    gateway: str | None = None
    from_credit: bool | None = None
    send_client_notification: bool | None = None
    updated: EasternDatetime = None
    vis_state: int = 0
    date: FlexibleDate = None


class PaymentUpdate(InputModel):
    """Fields to change on a payment. The invoice cannot be changed: there is no ``invoiceid``."""

    amount: Money | None = Field(
        default=None, description="Amount paid: amount as a decimal string and currency code"
    )
    date: dt.date | None = Field(default=None, description="Date paid, YYYY-MM-DD")
    type: PaymentType | None = Field(default=None, description="How it was paid")
    note: str | None = Field(default=None, description="Private note about the payment")


class PaymentInput(InputModel):
    """Fields to record a payment against an invoice; it updates the invoice's balance."""

    invoiceid: int = Field(description="Id of the invoice paid")
    amount: Money = Field(description="Amount paid: amount as a decimal string and currency code")
    date: dt.date = Field(description="Date paid, YYYY-MM-DD")
    type: PaymentType = Field(description="How it was paid")
    note: str | None = Field(default=None, description="Private note about the payment")
