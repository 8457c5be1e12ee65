"""Money as receipts print it: ``1,234.56``, ``1.234,56``, ``12,50``, with a symbol or code."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["AMOUNT", "amounts_in", "currency_in", "to_decimal"]

# Thousands grouped by , . or a space, then two decimals after , or . (a receipt always
# prints cents); OCR's stray spaces around the separator are tolerated.
AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s?[.,]\s?(\d{2})(?![\d%])")

SYMBOLS: tuple[tuple[str, str], ...] = (
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("US$", "USD"),
    ("A$", "AUD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
)
CODES = ("USD", "EUR", "CAD", "GBP", "AUD", "CHF", "NZD", "JPY", "SEK", "NOK", "DKK", "MXN")
_CODE = re.compile(r"\b(" + "|".join(CODES) + r")\b")


def to_decimal(whole: str, cents: str) -> Decimal | None:
    """The amount of one :data:`AMOUNT` match's groups."""
    digits = re.sub(r"[.,\s]", "", whole)
    try:
        return Decimal(f"{digits}.{cents}")
    except InvalidOperation:
        return None


def amounts_in(line: str) -> list[Decimal]:
    """Every amount on a line, in order."""
    found = (to_decimal(m.group(1), m.group(2)) for m in AMOUNT.finditer(line))
    return [a for a in found if a is not None]


def currency_in(text: str) -> str | None:
    """The currency a receipt names: an ISO code printed on it first, else its symbol
    (``$`` alone is ambiguous and names none)."""
    codes: list[str] = _CODE.findall(text.upper())
    if codes:
        return max(set(codes), key=codes.count)
    for symbol, code in SYMBOLS:
        if symbol in text:
            return code
    if re.search(r"\bEUR\b|\bEuro\b", text, re.IGNORECASE):
        return "EUR"
    return None
