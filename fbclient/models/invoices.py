"""Invoices (``invoices/invoices``) and their lines, which estimates share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field

from ..types import DecimalText, EasternDatetime, FlexibleDate, Money, OptionalDecimal, OptionalId
from ._base import FBModel, InputModel, none_as_empty_list
from ._billed import billed_currency, billed_name

__all__ = [
    "Invoice",
    "InvoiceInput",
    "InvoiceLine",
    "InvoiceLineInput",
    "InvoiceStatus",
    "InvoiceUpdate",
    "Lines",
    "V3Status",
]

V3Status = Literal[
    "created",
    "draft",
    "sent",
    "viewed",
    "failed",
    "retry",
    "success",
    "autopaid",
    "paid",
    "partial",
    "disputed",
    "resolved",
    "overdue",
    "declined",
    "pending",
    "deposit-partial",
    "deposit-paid",
]


class InvoiceStatus(IntEnum):
    """FreshBooks' numeric invoice ``status``. Only 0-3 may be written; 4-8 follow payments."""

    DISPUTED = 0  # Classic only
    DRAFT = 1
    SENT = 2
    VIEWED = 3
    PAID = 4
    AUTO_PAID = 5
    RETRY = 6
    FAILED = 7
    PARTIAL = 8


class InvoiceLine(FBModel):
    """One line of an invoice or estimate. ``amount`` is qty x unit_cost, before tax."""

    lineid: int | None = None
    invoiceid: OptionalId = None
    # 0 = normal line, 1 = line billing an expense (``expenseid``); unverified [?].
    type: int | None = 0
    name: str | None = None
    description: str | None = None
    qty: OptionalDecimal = None
    unit_cost: Money | None = None
    amount: Money | None = None
    taxName1: str | None = None
    taxAmount1: OptionalDecimal = None  # a percent ("13"), not money
    taxNumber1: str | None = None
    taxName2: str | None = None
    taxAmount2: OptionalDecimal = None
    taxNumber2: str | None = None
    compounded_tax: bool | None = None
    expenseid: OptionalId = None
    updated: EasternDatetime = None
    date: FlexibleDate = None


# Invoice and estimate lines; a null list reads as no lines.
Lines = Annotated[list[InvoiceLine], BeforeValidator(none_as_empty_list)]


class Invoice(FBModel):
    """An invoice as FreshBooks returns it. ``id`` equals ``invoiceid``.

    ``lines`` is empty unless the request asked for ``include[]=lines`` (the resource does).
    """

    legacy_id: ClassVar[str | None] = "invoiceid"

    id: int
    customerid: int | None = None
    invoice_number: str | None = None
    create_date: FlexibleDate = None
    due_date: FlexibleDate = None  # read-only: create_date + due_offset_days
    date_paid: FlexibleDate = None
    due_offset_days: int | None = None
    currency_code: str | None = None
    amount: Money | None = None
    outstanding: Money | None = None
    paid: Money | None = None
    discount_total: Money | None = None  # negative: "-4.40"
    discount_value: OptionalDecimal = None  # a percent
    status: int | None = None  # see InvoiceStatus; kept as int so a new code cannot break reads
    v3_status: str | None = None
    display_status: str | None = None
    payment_status: str | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    email: str | None = None
    notes: str | None = None
    terms: str | None = None
    po_number: str | None = None
    estimateid: OptionalId = None
    updated: EasternDatetime = None
    created_at: EasternDatetime = None
    vis_state: int = 0
    lines: Lines = Field(default_factory=list)

    @property
    def invoice_status(self) -> InvoiceStatus | None:
        """``status`` as an :class:`InvoiceStatus`, or None for a code this client does not know."""
        try:
            return InvoiceStatus(self.status) if self.status is not None else None
        except ValueError:
            return None

    @property
    def client_name(self) -> str:
        """The billed organization, else the person's name."""
        return billed_name(self)

    # The business rules below are the app's one definition: the agent's tools, the mirror's
    # filters and the dashboards' frames all decide through them.

    @property
    def owed(self) -> Decimal:
        """What the client still owes on it (``outstanding``; zero when FreshBooks gave none)."""
        return self.outstanding.amount if self.outstanding is not None else Decimal(0)

    @property
    def currency(self) -> str | None:
        """Its ISO 4217 code: ``currency_code``, else its amount's; None when neither is given."""
        return billed_currency(self)

    @property
    def is_draft(self) -> bool:
        """Not sent yet: either status field says draft (FreshBooks keeps them in step)."""
        return self.v3_status == "draft" or self.status == InvoiceStatus.DRAFT

    def is_overdue(self, today: date) -> bool:
        """FreshBooks' read-time rule: sent, not marked paid, money owed, due before ``today``.

        Due today is not late yet. ``today`` is the business's calendar day: a copy read on an
        earlier day (the mirror) is decided again on the day it is shown.
        """
        if self.is_draft or self.v3_status == "paid":
            return False
        return self.due_date is not None and self.due_date < today and self.owed > 0

    def status_on(self, today: date) -> str | None:
        """``v3_status`` as FreshBooks presents it on ``today`` (``overdue`` is read-time)."""
        return "overdue" if self.is_overdue(today) else self.v3_status


class InvoiceLineInput(InputModel):
    """One line to write on an invoice or estimate. Taxes are given by name and percent."""

    name: str = Field(min_length=1, description="Item or service name shown on the line")
    description: str | None = Field(default=None, description="Longer text under the name")
    qty: DecimalText = Field(description="Quantity as a decimal string, e.g. '2' or '1.5'")
    unit_cost: Money = Field(
        description="Price of one unit: amount as a decimal string and ISO 4217 currency code"
    )
    taxName1: str | None = Field(default=None, description="Name of the first tax, e.g. HST")
    taxAmount1: DecimalText | None = Field(
        default=None, description="Rate of the first tax in percent, e.g. '13'"
    )
    taxName2: str | None = Field(default=None, description="Name of the second tax")
    taxAmount2: DecimalText | None = Field(
        default=None, description="Rate of the second tax in percent"
    )
    # A documented line field on reads; that FreshBooks takes it on a write is unverified [?].
    compounded_tax: bool | None = Field(
        default=None, description="Whether the second tax applies on top of the first"
    )


class InvoiceUpdate(InputModel):
    """Fields to change on an invoice; only the fields set are sent (FreshBooks' PUT is partial).

    There is no ``due_date``: FreshBooks derives it from ``create_date + due_offset_days``
    and refuses a written one (403, errno 1038).
    """

    customerid: int | None = Field(default=None, description="Id of the client billed")
    create_date: date | None = Field(default=None, description="Invoice date, YYYY-MM-DD")
    due_offset_days: int | None = Field(
        default=None, ge=0, description="Days after the invoice date the payment is due"
    )
    currency_code: str | None = Field(default=None, description="ISO 4217 code, e.g. CAD")
    invoice_number: str | None = Field(
        default=None, description="Invoice number; FreshBooks numbers it when left out"
    )
    po_number: str | None = Field(default=None, description="Client's purchase order number")
    notes: str | None = Field(default=None, description="Notes printed on the invoice")
    terms: str | None = Field(default=None, description="Terms printed on the invoice")
    discount_value: DecimalText | None = Field(
        default=None, ge=0, le=100, description="Discount in percent of the subtotal, e.g. '10'"
    )
    status: Literal[0, 1, 2, 3] | None = Field(
        default=None,
        description="0 disputed, 1 draft, 2 sent, 3 viewed; paid states follow payments",
    )
    # Whether a PUT with lines replaces all lines or merges them is unverified [?].
    lines: list[InvoiceLineInput] | None = Field(
        default=None, description="The invoice lines, in order"
    )


class InvoiceInput(InvoiceUpdate):
    """Fields to create an invoice: a client and a date are required. New invoices are drafts."""

    customerid: int = Field(description="Id of the client billed")
    create_date: date = Field(description="Invoice date, YYYY-MM-DD")
    # ``estimateid`` is documented on the invoice as read (the estimate it came from); that a
    # create may set it, linking the invoice to its estimate, is unverified [?].
    estimateid: int | None = Field(
        default=None, description="Id of the estimate this invoice comes from"
    )
