"""Invoice profiles (``invoice_profiles/invoice_profiles``): FreshBooks' recurring invoices.

What FreshBooks documents (its "Invoice Profiles" page and Postman collection): a profile is
the template FreshBooks makes an invoice from on a schedule, saved as a draft or emailed to
the client. Fields seen in its samples: ``customerid``, ``create_date``, ``frequency``
(``"m"``, ``"2w"``), ``numberRecurring`` (how many invoices in all; 0 in a sample for an
open-ended profile, so 0 is read as "no end" [?]), ``occurrences_to_date`` (invoices made so
far, read-only), ``disable`` (true: the profile makes no more invoices [?], the documented
field closest to the classic API's "stopped"), ``send_email``, ``due_offset_days``,
``currency_code``, ``amount``, ``discount_value``/``discount_total``, ``lines`` (with
``include[]=lines``) and the ``next_issue_date`` include ("the date that the next invoice will
be issued"). Which field holds the next date when that include is not asked for is unverified:
``create_date`` is read as the next issue date then [?].
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import Field, field_validator

from ..types import DecimalText, EasternDatetime, FlexibleDate, Money, OptionalDecimal
from ._base import FBModel, InputModel
from ._billed import billed_currency, billed_name
from .frequency import FREQUENCY_CODES, Frequency
from .invoices import InvoiceLineInput, Lines

__all__ = ["InvoiceProfile", "InvoiceProfileInput", "InvoiceProfileUpdate", "ProfileState"]

ProfileState = str  # "active", "stopped", "finished" or "deleted"


class InvoiceProfile(FBModel):
    """A recurring invoice profile as FreshBooks returns it.

    ``profileid`` is taken for the legacy twin of ``id``: FreshBooks' filters and its sample
    lines name it, its sample profile shows only ``id`` [?].
    """

    legacy_id: ClassVar[str | None] = "profileid"

    id: int
    customerid: int | None = None
    create_date: FlexibleDate = None
    next_issue_date: FlexibleDate = None  # with include[]=next_issue_date
    frequency: str | None = None
    numberRecurring: int | None = None  # invoices in all; 0 or None: no end [?]
    occurrences_to_date: int | None = None
    disable: bool | None = None
    send_email: bool | None = None
    auto_bill: bool | None = None
    due_offset_days: int | None = None
    currency_code: str | None = None
    amount: Money | None = None
    discount_value: OptionalDecimal = None
    discount_total: Money | None = None
    fname: str | None = None
    lname: str | None = None
    organization: str | None = None
    notes: str | None = None
    terms: str | None = None
    po_number: str | None = None
    updated: EasternDatetime = None
    vis_state: int = 0
    lines: Lines = Field(default_factory=list)

    @property
    def schedule(self) -> Frequency | None:
        """``frequency`` read (None when FreshBooks sent a code this client cannot read)."""
        return Frequency.parse(self.frequency)

    @property
    def currency(self) -> str | None:
        """Its ISO 4217 code: ``currency_code``, else its amount's."""
        return billed_currency(self)

    @property
    def client_name(self) -> str:
        """The billed organization, else the person's name."""
        return billed_name(self)

    @property
    def issued(self) -> int:
        """Invoices made so far."""
        return self.occurrences_to_date or 0

    @property
    def remaining(self) -> int | None:
        """Invoices still to come (None: no end)."""
        if not self.numberRecurring:
            return None
        return max(self.numberRecurring - self.issued, 0)

    @property
    def state(self) -> ProfileState:
        """``"deleted"``, ``"stopped"`` (disabled), ``"finished"`` (made all its invoices)
        or ``"active"``."""
        if self.vis_state == 1:
            return "deleted"
        if self.disable:
            return "stopped"
        if self.remaining == 0:
            return "finished"
        return "active"

    @property
    def is_active(self) -> bool:
        """Whether it will make more invoices."""
        return self.state == "active"

    @property
    def next_date(self) -> date | None:
        """When the next invoice is made: ``next_issue_date``, else ``create_date`` [?];
        None when it makes no more."""
        if not self.is_active:
            return None
        return self.next_issue_date or self.create_date

    def upcoming(self, count: int) -> list[date]:
        """The next ``count`` issue dates at most (fewer when the profile ends sooner)."""
        start, schedule = self.next_date, self.schedule
        if start is None or schedule is None:
            return []
        remaining = self.remaining
        return schedule.dates(start, count if remaining is None else min(count, remaining))

    def monthly_amount(self) -> Decimal | None:
        """What it bills per month on average (``amount`` × issues per month, unrounded);
        None without an amount or a readable frequency."""
        schedule = self.schedule
        if self.amount is None or schedule is None:
            return None
        ratio = schedule.per_month
        return self.amount.amount * ratio.numerator / ratio.denominator


def _frequency_code(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = Frequency.parse(value)
    if parsed is None or parsed.code not in FREQUENCY_CODES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCY_CODES)}")
    return parsed.code


class InvoiceProfileUpdate(InputModel):
    """Fields to change on a profile; only the fields set are sent (the PUT is partial)."""

    customerid: int | None = Field(default=None, description="Id of the client billed")
    create_date: date | None = Field(
        default=None, description="Date of the next invoice, YYYY-MM-DD [?]"
    )
    frequency: str | None = Field(
        default=None, description=f"How often: one of {', '.join(FREQUENCY_CODES)}"
    )
    numberRecurring: int | None = Field(
        default=None, ge=0, description="Invoices in all; 0 for no end [?]"
    )
    disable: bool | None = Field(default=None, description="True: make no more invoices")
    send_email: bool | None = Field(default=None, description="Email each invoice when made")
    due_offset_days: int | None = Field(
        default=None, ge=0, description="Days after each invoice's date it is due"
    )
    currency_code: str | None = Field(default=None, description="ISO 4217 code, e.g. CAD")
    notes: str | None = Field(default=None, description="Notes printed on each invoice")
    terms: str | None = Field(default=None, description="Terms printed on each invoice")
    po_number: str | None = Field(default=None, description="Client's purchase order number")
    discount_value: DecimalText | None = Field(
        default=None, ge=0, le=100, description="Discount in percent of the subtotal"
    )
    lines: list[InvoiceLineInput] | None = Field(
        default=None, description="The lines of each invoice, in order"
    )

    @field_validator("frequency")
    @classmethod
    def _known_frequency(cls, value: str | None) -> str | None:
        return _frequency_code(value)


class InvoiceProfileInput(InvoiceProfileUpdate):
    """Fields to create a profile: the client, the first date and how often."""

    customerid: int = Field(description="Id of the client billed")
    create_date: date = Field(description="Date of the first invoice, YYYY-MM-DD")
    frequency: str = Field(description=f"How often: one of {', '.join(FREQUENCY_CODES)}")
