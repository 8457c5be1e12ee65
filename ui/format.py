"""Formatting at the edge: money with its currency, and durations. No Streamlit here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from fbclient import Money

__all__ = ["SYMBOLS", "format_hours", "format_money"]

SYMBOLS = {"USD": "$", "CAD": "CA$", "EUR": "€", "GBP": "£", "AUD": "A$", "JPY": "¥"}
_CENT = Decimal("0.01")


def format_money(value: Money | Decimal | None, code: str | None = None) -> str:
    """``$1,234.56`` style, with the code when the symbol is ambiguous or unknown."""
    if value is None:
        return "—"
    if isinstance(value, Money):
        amount, code = value.amount, value.code
    else:
        amount = value
    code = (code or "").upper()
    rounded = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.2f}"
    symbol = SYMBOLS.get(code)
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {code}".strip()


def format_hours(hours: Decimal | float) -> str:
    """``12.5 h``."""
    return f"{Decimal(str(hours)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,} h"
