"""Taxes (``taxes/taxes``): named rates applied to invoice lines."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..types import DecimalText, EasternDatetime, OptionalDecimal
from ._base import FBModel, InputModel

__all__ = ["Tax", "TaxInput"]


class Tax(FBModel):
    """A tax. ``id`` equals ``taxid``; ``amount`` is the rate in percent, not money."""

    legacy_id: ClassVar[str | None] = "taxid"

    id: int
    name: str | None = None
    amount: OptionalDecimal = None
    number: str | None = None  # the business's registration number for this tax
    compound: bool | None = None
    updated: EasternDatetime = None


class TaxInput(InputModel):
    """Fields to create or change a tax; a name is needed on create."""

    name: str | None = Field(default=None, description="Tax name, e.g. HST")
    amount: DecimalText | None = Field(
        default=None, ge=0, le=100, description="Rate in percent as a decimal string, e.g. '13'"
    )
    number: str | None = Field(default=None, description="Tax registration number")
    compound: bool | None = Field(
        default=None, description="Whether it applies on top of the other tax"
    )
