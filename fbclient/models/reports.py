"""Accounting reports: profit and loss, tax summary, payments collected, accounts aging.

Every amount is :class:`Money` (exact Decimal plus code; the P&L gross margin uses the code
``%``). Each report keeps its ``download_token`` and any key not modelled here.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from ..types import FlexibleDate, Money, OptionalId
from ._base import FBModel, none_as_empty_list

__all__ = [
    "AccountsAging",
    "AgingBuckets",
    "AgingRow",
    "CollectedPayment",
    "PaymentsCollected",
    "ProfitLoss",
    "ProfitLossEntry",
    "ReportPeriod",
    "TaxSummary",
    "TaxSummaryRow",
]


class ReportPeriod(FBModel):
    """One column of a report with a resolution (e.g. one month)."""

    start_date: FlexibleDate = None
    end_date: FlexibleDate = None


class ProfitLossEntry(FBModel):
    """A P&L line: its total, one amount per period (``data``) and its sub-lines."""

    description: str | None = None
    entry_type: str | None = None  # debit | credit | none
    total: Money | None = None
    data: list[Money] = Field(default_factory=list)
    children: list[ProfitLossEntry] = Field(default_factory=list)

    @field_validator("data", "children", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return none_as_empty_list(value)

    def walk(self, depth: int = 0) -> list[tuple[int, ProfitLossEntry]]:
        """This entry and every descendant, depth first, with their depth."""
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


class ProfitLoss(FBModel):
    """Profit and loss over ``start_date``..``end_date``, split by ``resolution`` periods."""

    company_name: str | None = None
    currency_code: str | None = None
    cash_based: bool | None = None
    start_date: FlexibleDate = None
    end_date: FlexibleDate = None
    resolution: str | None = None
    labels: list[str] = Field(default_factory=list)  # period start dates, as sent
    dates: list[ReportPeriod] = Field(default_factory=list)
    income: list[ProfitLossEntry] = Field(default_factory=list)
    expenses: list[ProfitLossEntry] = Field(default_factory=list)
    total_income: ProfitLossEntry | None = None
    total_expenses: ProfitLossEntry | None = None
    gross_margin: ProfitLossEntry | None = None  # amounts in percent, code "%"
    net_profit: ProfitLossEntry | None = None
    download_token: str | None = None

    @field_validator("labels", "dates", "income", "expenses", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return none_as_empty_list(value)


class TaxSummaryRow(FBModel):
    """Tax collected and paid for one tax."""

    tax_name: str | None = None
    tax_collected: Money | None = None
    tax_paid: Money | None = None
    net_tax: Money | None = None
    taxable_amount_collected: Money | None = None
    taxable_amount_paid: Money | None = None
    net_taxable_amount: Money | None = None


class TaxSummary(FBModel):
    """Taxes collected and paid over a period."""

    taxes: list[TaxSummaryRow] = Field(default_factory=list)
    total_invoiced: Money | None = None
    cash_based: bool | None = None
    currency_code: str | None = None
    start_date: FlexibleDate = None
    end_date: FlexibleDate = None
    download_token: str | None = None

    @field_validator("taxes", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return none_as_empty_list(value)


class CollectedPayment(FBModel):
    """One payment (or credit applied) in the payments-collected report."""

    amount: Money | None = None
    client: str | None = None
    clientid: OptionalId = None
    invoiceid: OptionalId = None
    invoice_number: str | None = None
    creditid: OptionalId = None
    credit_number: str | None = None
    date: FlexibleDate = None
    description: str | None = None
    from_credit: bool | None = None
    method: str | None = None


class PaymentsCollected(FBModel):
    """Payments received over a period, with one total per currency."""

    payments: list[CollectedPayment] = Field(default_factory=list)
    totals: list[Money] = Field(default_factory=list)
    clientids: list[int] = Field(default_factory=list)
    currency_codes: list[str] = Field(default_factory=list)
    payment_methods: list[str] = Field(default_factory=list)
    summary_only: bool | None = None
    start_date: FlexibleDate = None
    end_date: FlexibleDate = None
    download_token: str | None = None

    @field_validator(
        "payments", "totals", "clientids", "currency_codes", "payment_methods", mode="before"
    )
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return none_as_empty_list(value)


class AgingBuckets(FBModel):
    """Amounts owed by age in days. FreshBooks' keys ("0-30", "91+") are the aliases."""

    days_0_30: Money | None = Field(default=None, alias="0-30")
    days_31_60: Money | None = Field(default=None, alias="31-60")
    days_61_90: Money | None = Field(default=None, alias="61-90")
    days_91_plus: Money | None = Field(default=None, alias="91+")
    total: Money | None = None


class AgingRow(AgingBuckets):
    """What one client owes, by age."""

    userid: OptionalId = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    email: str | None = None

    @property
    def display_name(self) -> str:
        """Organization, else the person's name, else the email."""
        person = " ".join(p for p in (self.fname, self.lname) if p)
        return self.organization or person or self.email or f"Client {self.userid}"


class AccountsAging(FBModel):
    """Receivables by age, per client and in total, as of ``end_date``."""

    accounts: list[AgingRow] = Field(default_factory=list)
    totals: AgingBuckets | None = None
    company_name: str | None = None
    currency_code: str | None = None
    start_date: FlexibleDate = None
    end_date: FlexibleDate = None
    download_token: str | None = None

    @field_validator("accounts", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return none_as_empty_list(value)
