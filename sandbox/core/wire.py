"""FreshBooks wire formats: money objects, decimal strings, and the three timestamp styles.

Accounting timestamps are naive America/New_York (DST-aware) except a few naive UTC fields;
project-family timestamps are ISO UTC without "Z"; time entries use ISO with "Z".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CENT = Decimal("0.01")


def dec(value: Any, default: Decimal | None = None) -> Decimal:
    """Parse a wire number (string, int, float or money object) into a Decimal.

    Raises ValueError when the value is not a number and no default is given.
    """
    if type(value) is str:
        # Fast path for the common case, a finite decimal string; anything else (blank,
        # junk, NaN, Infinity) takes the general path below and its error handling.
        try:
            quick = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if quick.is_finite():
                return quick
    if isinstance(value, dict):
        value = value.get("amount")
    if value is None or value == "":
        if default is not None:
            return default
        raise ValueError("missing number")
    if isinstance(value, bool):
        raise ValueError("boolean is not a number")
    try:
        # floats go through str() so 0.1 stays 0.1 rather than its binary expansion
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        if default is not None:
            return default
        raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def cents(value: Decimal) -> Decimal:
    """Round half-up to the cent, the way invoices display money."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal) -> str:
    """Format a Decimal as a two-decimal money string ("41.94")."""
    return str(cents(value))


def money(value: Decimal, code: str) -> dict[str, str]:
    """A FreshBooks money object: `{"amount": "41.94", "code": "CAD"}`."""
    return {"amount": money_str(value), "code": code}


def num_str(value: Decimal) -> str:
    """Format a non-money decimal (qty, percentages) without a needless exponent or zeros."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0",) else "0"


def eastern(moment: dt.datetime) -> str:
    """Naive US/Eastern "YYYY-MM-DD HH:MM:SS" for an aware datetime (accounting `updated`)."""
    return moment.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M:%S")


def utc_naive(moment: dt.datetime) -> str:
    """Naive UTC "YYYY-MM-DD HH:MM:SS" (client `signup_date`)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def iso_z(moment: dt.datetime) -> str:
    """ISO 8601 UTC with a trailing Z (time entries, identity)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_naive(moment: dt.datetime) -> str:
    """ISO 8601 UTC without a zone designator (projects' created_at/updated_at)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_iso(text: str) -> dt.datetime:
    """Parse an ISO datetime or date; naive values are taken as UTC."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = text.replace(" ", "T", 1) if "T" not in text and len(text) > 10 else text
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


_ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_ISO_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def to_iso_z(text: str) -> str:
    """Any ISO timestamp as canonical "YYYY-MM-DDTHH:MM:SSZ" (fast when it already is)."""
    return text if _ISO_Z.match(text) else iso_z(parse_iso(text))


def to_iso_naive(text: str) -> str:
    """Any ISO timestamp as canonical UTC "YYYY-MM-DDTHH:MM:SS" (fast when it already is)."""
    return text if _ISO_NAIVE.match(text) else iso_naive(parse_iso(text))


def parse_day(text: str) -> dt.date:
    """Parse the leading YYYY-MM-DD of a value (date filters have day granularity)."""
    return dt.date.fromisoformat(str(text).strip()[:10])
