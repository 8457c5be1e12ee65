"""Argument building blocks every tool shares: strict models, money, ids, dates.

Money is a decimal string (``"1200.00"``) validated into a :class:`~decimal.Decimal`, next to
a three-letter currency code; the JSON schema the model sees says "string" with a pattern so
it never sends a float. Every argument model forbids extra keys, and every field carries a
description (checked by the registry tests).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from agent.tool import ToolContext

from .dates import Period, PeriodName, resolve_period

__all__ = [
    "Amount",
    "Args",
    "CurrencyCode",
    "Email",
    "Hours",
    "LongText",
    "Note",
    "PeriodArgs",
    "Quantity",
    "RecordId",
    "ShortText",
    "TaxPercent",
    "UnitCost",
    "UpdateArgs",
    "changed_fields",
    "today_of",
]


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _positive_id(value: int) -> int:
    # FreshBooks ids (accounting and project family) are positive integers.
    if not 0 < value < 10**12:
        raise ValueError("must be a FreshBooks id (a positive integer)")
    return value


def _decimal_text(pattern: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": pattern})


_MONEY_PATTERN = r"^[0-9]+(\.[0-9]{1,2})?$"
_DECIMAL_PATTERN = r"^[0-9]+(\.[0-9]{1,4})?$"

# Money the user pays or is paid: more than zero, at most two decimal places.
Amount = Annotated[
    Decimal, Field(gt=0, max_digits=14, decimal_places=2), _decimal_text(_MONEY_PATTERN)
]
# A line's price per unit: zero allowed (a free line), never negative.
UnitCost = Annotated[
    Decimal, Field(ge=0, max_digits=14, decimal_places=2), _decimal_text(_MONEY_PATTERN)
]
Quantity = Annotated[
    Decimal, Field(gt=0, max_digits=12, decimal_places=4), _decimal_text(_DECIMAL_PATTERN)
]
# Hours of work in one entry: more than zero, at most a day.
Hours = Annotated[Decimal, Field(gt=0, le=24, decimal_places=4), _decimal_text(_DECIMAL_PATTERN)]
TaxPercent = Annotated[
    Decimal, Field(ge=0, le=100, decimal_places=3), _decimal_text(r"^[0-9]+(\.[0-9]{1,3})?$")
]
CurrencyCode = Annotated[
    str,
    BeforeValidator(_upper),
    Field(pattern=r"^[A-Z]{3}$"),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z]{3}$"}),
]


def _length(low: int, high: int) -> AfterValidator:
    """A length check done by pydantic, kept out of the JSON schema: OpenAI's strict mode
    may refuse ``minLength`` / ``maxLength`` (lists' ``minItems`` / ``maxItems`` are fine)."""

    def check(value: str) -> str:
        if not low <= len(value) <= high:
            raise ValueError(f"must be {low} to {high} characters long")
        return value

    return AfterValidator(check)


Email = Annotated[
    str,
    BeforeValidator(_strip),
    Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    _length(3, 254),
]
# A name, title or other one-line text.
ShortText = Annotated[str, BeforeValidator(_strip), _length(1, 200)]
# A note or description.
Note = Annotated[str, _length(0, 1000)]
# Text printed on a document (invoice notes and terms, project descriptions).
LongText = Annotated[str, _length(0, 5000)]
# Ids are positive; the bound is checked here rather than in the schema.
RecordId = Annotated[int, AfterValidator(_positive_id), WithJsonSchema({"type": "integer"})]


class Args(BaseModel):
    """The base of every argument model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UpdateArgs(Args):
    """The base of an update's arguments: the record's id (the field named ``id_field``) and
    the fields to change, null leaving a field unchanged."""

    id_field: ClassVar[str]

    @model_validator(mode="after")
    def _something(self) -> Self:
        # An update that changes nothing would still write (and audit) the record.
        if not changed_fields(self, {self.id_field}):
            raise ValueError("give at least one field to change")
        return self


class PeriodArgs(Args):
    """A date range given either as a relative period or as explicit days."""

    period: PeriodName | None = Field(
        default=None,
        description=(
            "Relative period in the business's timezone (weeks start Monday); "
            "null when start_date/end_date are given"
        ),
    )
    start_date: date | None = Field(
        default=None, description="First day, YYYY-MM-DD, inclusive; null to leave open"
    )
    end_date: date | None = Field(
        default=None, description="Last day, YYYY-MM-DD, inclusive; null to leave open"
    )

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.period is not None and (self.start_date or self.end_date):
            raise ValueError("give either period or start_date/end_date, not both")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self

    def bounds(self, ctx: ToolContext) -> tuple[date | None, date | None]:
        """The first and last day asked for; None where the range is open."""
        if self.period is not None:
            found = resolve_period(self.period, today_of(ctx))
            return found.start, found.end
        return self.start_date, self.end_date

    def date_range(self, ctx: ToolContext, default: PeriodName) -> Period:
        """A closed range: the one asked for, open ends filled from ``default``."""
        if self.period is not None:
            return resolve_period(self.period, today_of(ctx))
        fallback = resolve_period(default, today_of(ctx))
        if self.start_date is None and self.end_date is None:
            return fallback
        start = self.start_date or fallback.start
        end = self.end_date or max(start, today_of(ctx))
        return Period(start, end, f"{start} to {end}")


def today_of(ctx: ToolContext) -> date:
    """The business's calendar day now."""
    return ctx.today


def changed_fields(args: BaseModel, exclude: set[str]) -> dict[str, Any]:
    """The fields the model set to a value (null means "leave unchanged")."""
    return {
        name: value
        for name, value in args
        if name not in exclude and value is not None and name in type(args).model_fields
    }
