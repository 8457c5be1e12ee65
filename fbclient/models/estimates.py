"""Estimates (``estimates/estimates``): quotes with the same lines as invoices."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import ClassVar

from pydantic import Field

from ..types import DecimalText, EasternDatetime, FlexibleDate, Money, OptionalDecimal, OptionalId
from ._base import FBModel, InputModel
from .invoices import InvoiceLineInput, Lines

__all__ = ["Estimate", "EstimateInput", "EstimateStatus", "EstimateUpdate"]


class EstimateStatus(IntEnum):
    """FreshBooks' numeric estimate ``status``."""

    DRAFT = 1
    SENT = 2
    VIEWED = 3
    REPLIED = 4  # Classic only
    ACCEPTED = 5
    INVOICED = 6


class Estimate(FBModel):
    """An estimate as FreshBooks returns it. ``id`` equals ``estimateid``."""

    legacy_id: ClassVar[str | None] = "estimateid"

    id: int
    customerid: int | None = None
    estimate_number: str | None = None
    create_date: FlexibleDate = None
    currency_code: str | None = None
    amount: Money | None = None
    discount_total: Money | None = None
    discount_value: OptionalDecimal = None  # a percent
    status: int | None = None  # see EstimateStatus
    # Which field carries the UI status strings is unconfirmed [?]: both are kept.
    ui_status: str | None = None
    display_status: str | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    notes: str | None = None
    terms: str | None = None
    po_number: str | None = None
    invoiceid: OptionalId = None
    updated: EasternDatetime = None
    created_at: EasternDatetime = None
    vis_state: int = 0
    lines: Lines = Field(default_factory=list)

    @property
    def estimate_status(self) -> EstimateStatus | None:
        """``status`` as an :class:`EstimateStatus`, or None for an unknown code."""
        try:
            return EstimateStatus(self.status) if self.status is not None else None
        except ValueError:
            return None


class EstimateUpdate(InputModel):
    """Fields to change on an estimate; only the fields set are sent."""

    customerid: int | None = Field(default=None, description="Id of the client quoted")
    create_date: date | None = Field(default=None, description="Estimate date, YYYY-MM-DD")
    currency_code: str | None = Field(default=None, description="ISO 4217 code, e.g. CAD")
    estimate_number: str | None = Field(
        default=None, description="Estimate number; FreshBooks numbers it when left out"
    )
    po_number: str | None = Field(default=None, description="Client's purchase order number")
    notes: str | None = Field(default=None, description="Notes printed on the estimate")
    terms: str | None = Field(default=None, description="Terms printed on the estimate")
    discount_value: DecimalText | None = Field(
        default=None, ge=0, le=100, description="Discount in percent of the subtotal, e.g. '10'"
    )
    lines: list[InvoiceLineInput] | None = Field(
        default=None, description="The estimate lines, in order"
    )


class EstimateInput(EstimateUpdate):
    """Fields to create an estimate: the client is required."""

    customerid: int = Field(description="Id of the client quoted")
