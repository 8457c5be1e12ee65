"""Expenses (``expenses/expenses``)."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from typing import ClassVar

from pydantic import Field

from ..types import DecimalText, EasternDatetime, FlexibleDate, Money, OptionalDecimal, OptionalId
from ._base import FBModel, InputModel
from .uploads import Attachment, ExpenseAttachment

__all__ = ["Expense", "ExpenseInput", "ExpenseStatus", "ExpenseUpdate"]


class ExpenseStatus(IntEnum):
    """FreshBooks' derived expense ``status`` (not writable). There is no 3."""

    INTERNAL = 0
    OUTSTANDING = 1  # has a client, not invoiced yet
    INVOICED = 2
    RECOUPED = 4  # invoiced and paid


class Expense(FBModel):
    """An expense as FreshBooks returns it. ``id`` equals ``expenseid``.

    Related ids FreshBooks sends as 0 for "none" (``clientid``, ``projectid``) read as None.
    """

    legacy_id: ClassVar[str | None] = "expenseid"

    id: int
    categoryid: int | None = None
    staffid: int | None = None
    clientid: OptionalId = None
    projectid: OptionalId = None
    invoiceid: OptionalId = None
    amount: Money | None = None
    vendor: str | None = None
    notes: str | None = None
    taxName1: str | None = None
    taxPercent1: OptionalDecimal = None
    taxAmount1: Money | None = None
    taxName2: str | None = None
    taxPercent2: OptionalDecimal = None
    taxAmount2: Money | None = None
    markup_percent: OptionalDecimal = None
    status: int | None = None  # see ExpenseStatus
    billable: bool | None = None
    has_receipt: bool | None = None
    updated: EasternDatetime = None
    vis_state: int = 0
    date: FlexibleDate = None
    attachment: ExpenseAttachment | None = None  # only with include[]=attachment

    @property
    def expense_status(self) -> ExpenseStatus | None:
        """``status`` as an :class:`ExpenseStatus`, or None for an unknown code."""
        try:
            return ExpenseStatus(self.status) if self.status is not None else None
        except ValueError:
            return None


class ExpenseUpdate(InputModel):
    """Fields to change on an expense; only the fields set are sent. ``status`` is derived."""

    categoryid: int | None = Field(default=None, description="Id of the expense category")
    staffid: int | None = Field(default=None, description="Id of the staff member who spent it")
    date: dt.date | None = Field(default=None, description="Date of the expense, YYYY-MM-DD")
    amount: Money | None = Field(
        default=None, description="Total spent: amount as a decimal string and currency code"
    )
    vendor: str | None = Field(default=None, description="Who was paid, e.g. a shop name")
    notes: str | None = Field(default=None, description="Private note about the expense")
    clientid: int | None = Field(
        default=None, ge=0, description="Id of the client to bill it to; 0 for none"
    )
    projectid: int | None = Field(default=None, ge=0, description="Id of the project; 0 for none")
    taxName1: str | None = Field(default=None, description="Name of the first tax paid")
    taxPercent1: DecimalText | None = Field(
        default=None, description="Rate of the first tax in percent, e.g. '13'"
    )
    taxAmount1: Money | None = Field(default=None, description="Amount of the first tax paid")
    taxName2: str | None = Field(default=None, description="Name of the second tax paid")
    taxPercent2: DecimalText | None = Field(
        default=None, description="Rate of the second tax in percent"
    )
    taxAmount2: Money | None = Field(default=None, description="Amount of the second tax paid")
    markup_percent: DecimalText | None = Field(
        default=None, ge=0, description="Markup in percent when billed to a client"
    )
    attachment: Attachment | None = Field(
        default=None, description="The receipt: an upload's jwt and media type"
    )


class ExpenseInput(ExpenseUpdate):
    """Fields to create an expense: category, staff member, date and amount are required."""

    categoryid: int = Field(description="Id of the expense category")
    staffid: int = Field(description="Id of the staff member who spent it")
    date: dt.date = Field(description="Date of the expense, YYYY-MM-DD")
    amount: Money = Field(description="Total spent: amount as a decimal string and currency code")
