"""Clients (``users/clients``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

from ..types import EasternDatetime, Money, UTCDatetime
from ._base import FBModel, InputModel

__all__ = ["Client", "ClientInput"]

BALANCE_INCLUDES = (
    "outstanding_balance",
    "credit_balance",
    "draft_balance",
    "overdue_balance",
)


def _balances(value: Any) -> list[Money]:
    # Balance includes are lists of {"amount": {"amount": "100.00", "code": "USD"}}, one per currency.
    if value in (None, ""):
        return []
    rows = value if isinstance(value, list) else [value]
    out = []
    for row in rows:
        money = row.get("amount") if isinstance(row, dict) and "code" not in row else row
        out.append(Money.model_validate(money))
    return out


class Client(FBModel):
    """A customer of the business. ``id`` equals FreshBooks' ``userid``."""

    legacy_id: ClassVar[str | None] = "userid"

    id: int
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    email: str | None = None
    currency_code: str | None = None
    language: str | None = None
    note: str | None = None
    bus_phone: str | None = None
    mob_phone: str | None = None
    p_street: str | None = None
    p_city: str | None = None
    p_province: str | None = None
    p_code: str | None = None
    p_country: str | None = None
    vis_state: int = 0
    signup_date: UTCDatetime = None  # naive UTC, unlike most accounting timestamps
    updated: EasternDatetime = None
    outstanding_balance: list[Money] = Field(default_factory=list)
    credit_balance: list[Money] = Field(default_factory=list)
    draft_balance: list[Money] = Field(default_factory=list)
    overdue_balance: list[Money] = Field(default_factory=list)

    @field_validator(*BALANCE_INCLUDES, mode="before")
    @classmethod
    def _balance(cls, value: Any) -> list[Money]:
        return _balances(value)

    @property
    def display_name(self) -> str:
        """Organization, else the person's name, else the email."""
        person = " ".join(p for p in (self.fname, self.lname) if p)
        return self.organization or person or self.email or f"Client {self.id}"


class ClientInput(InputModel):
    """Fields to create or change a client. FreshBooks needs at least one of
    fname, lname, email or organization on create (else 422 errno 7012)."""

    fname: str | None = Field(default=None, description="First name of the contact")
    lname: str | None = Field(default=None, description="Last name of the contact")
    organization: str | None = Field(default=None, description="Company name")
    email: str | None = Field(default=None, description="Email; unique within a business")
    currency_code: str | None = Field(default=None, description="ISO 4217 code, e.g. USD")
    language: str | None = Field(default=None, description="Language code, e.g. en")
    note: str | None = Field(default=None, description="Private note")
    bus_phone: str | None = Field(default=None, description="Business phone")
    mob_phone: str | None = Field(default=None, description="Mobile phone")
    p_street: str | None = Field(default=None, description="Billing street")
    p_city: str | None = Field(default=None, description="Billing city")
    p_province: str | None = Field(default=None, description="Billing province or state")
    p_code: str | None = Field(default=None, description="Billing postal code")
    p_country: str | None = Field(default=None, description="Billing country")
