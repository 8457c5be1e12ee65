"""Value types shared by every model: exact money and timezone-aware timestamps.

FreshBooks sends money as ``{"amount": "41.94", "code": "CAD"}`` with the amount a decimal
string, accounting timestamps as naive US/Eastern text, a few accounting fields as naive UTC,
and project/time timestamps as ISO text with or without ``Z`` (both UTC).

These validators are the reference. When records are read in bulk, ``fbclient.models._fast``
runs native or cached equivalents of them and falls back to them for anything else: a change
here needs a look there (tests/fbclient/test_fast_parsing.py compares the two).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    field_serializer,
    field_validator,
)

__all__ = [
    "EASTERN",
    "CurrencyMismatchError",
    "DecimalText",
    "EasternDatetime",
    "FlexibleDate",
    "Money",
    "OptionalDecimal",
    "OptionalId",
    "UTCDatetime",
    "UTCZDatetime",
    "parse_decimal",
    "utc_z",
]

EASTERN = ZoneInfo("America/New_York")


class CurrencyMismatchError(ValueError):
    """Raised when amounts in two currencies would be added together."""


def parse_decimal(value: Any) -> Decimal:
    """An exact Decimal from a FreshBooks number (string, int or Decimal); floats via str."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a number: {value!r}")
    try:
        # str() of a float is its shortest repr: 0.1 stays 0.1, not 0.1000000000000000055…
        result = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


class Money(BaseModel):
    """An exact amount in one currency. Adding two currencies raises, never converts."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    code: str

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        if value is None or value == "":
            return Decimal("0")
        return parse_decimal(value)

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a currency code is required")
        return value.strip().upper()

    @field_serializer("amount", when_used="json")
    def _plain_amount(self, amount: Decimal) -> str:
        # str(Decimal("1E+2")) is "1E+2", which FreshBooks is not known to read; "f" gives "100".
        return format(amount, "f")

    @classmethod
    def of(cls, amount: Decimal | str | int, code: str) -> Money:
        """Build Money from an amount and a currency code."""
        return cls(amount=parse_decimal(amount), code=code)

    def to_wire(self) -> dict[str, str]:
        """The FreshBooks request shape: amount as a plain decimal string."""
        return {"amount": format(self.amount, "f"), "code": self.code}

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.code != self.code:
            raise CurrencyMismatchError(f"cannot add {self.code} and {other.code}")
        return Money(amount=self.amount + other.amount, code=self.code)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.code != self.code:
            raise CurrencyMismatchError(f"cannot subtract {other.code} from {self.code}")
        return Money(amount=self.amount - other.amount, code=self.code)

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.code}"


def _parse_datetime(value: Any, naive_zone: tzinfo) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip().replace(" ", "T", 1)
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a timestamp: {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_zone)
    return parsed


def _eastern(value: Any) -> datetime | None:
    return _parse_datetime(value, EASTERN)


def _utc(value: Any) -> datetime | None:
    return _parse_datetime(value, UTC)


def _flexible_date(value: Any) -> date | None:
    if value is None or value == "" or value == "0000-00-00":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    raise ValueError(f"not a date: {value!r}")


def _zero_is_none(value: Any) -> Any:
    # FreshBooks uses 0 (and sometimes "") for "no related record" on foreign keys.
    if value in (0, "0", "", None):
        return None
    return value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# A naive accounting timestamp is US/Eastern with DST (FreshBooks' accounting convention).
EasternDatetime = Annotated[
    datetime | None, BeforeValidator(_eastern), PlainSerializer(_iso, when_used="json")
]
# Naive UTC timestamps (client signup_date, project created_at/updated_at) and ISO-Z ones.
UTCDatetime = Annotated[
    datetime | None, BeforeValidator(_utc), PlainSerializer(_iso, when_used="json")
]
FlexibleDate = Annotated[date | None, BeforeValidator(_flexible_date)]
OptionalId = Annotated[int | None, BeforeValidator(_zero_is_none)]


def _decimal_or_none(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_decimal(value)


def _plain(value: Decimal) -> str:
    return format(value, "f")


def utc_z(value: datetime) -> str:
    """An aware datetime as FreshBooks' ISO UTC text, e.g. ``2020-10-17T05:00:00Z``.

    Naive datetimes are refused: guessing their zone is how hours drift by a day.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value!r} has no timezone; pass an aware datetime (e.g. tzinfo=UTC)")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _utc_z_or_none(value: datetime | None) -> str | None:
    return None if value is None else utc_z(value)


# A decimal read from FreshBooks ("13", "4.5", "" or null).
OptionalDecimal = Annotated[Decimal | None, BeforeValidator(_decimal_or_none)]
# A decimal sent to FreshBooks: exact, written as plain decimal text in JSON ("100", not "1E+2").
DecimalText = Annotated[Decimal, PlainSerializer(_plain, return_type=str, when_used="json")]
# An aware timestamp written as ISO UTC with Z (time entries' started_at).
UTCZDatetime = Annotated[AwareDatetime | None, PlainSerializer(_utc_z_or_none, when_used="json")]
