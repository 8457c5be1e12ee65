"""From a receipt's text to its fields: vendor, date, total, tax and currency.

Deterministic rules, one per field; each says where its value came from so the card can
show how sure it is. A model may refine them afterwards (the chat), never before.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import amounts_in, currency_in
from .dates import date_in

__all__ = ["ReceiptFields", "parse_fields"]

# Lines naming the amount paid, strongest first; "subtotal" and "total tax" are not it.
_TOTAL_LABELS = (
    re.compile(r"grand\s*total|amount\s*due|total\s*due|balance\s*due|total\s*paid", re.I),
    re.compile(r"total\s*(ttc|eur|usd|cad|gbp)|gesamt|summe|montant|zu\s*zahlen", re.I),
    re.compile(r"(?<!sub)(?<!sub\s)total(?!\s*tax)|amount\s*paid|charged", re.I),
)
_TAX_LABEL = re.compile(r"\b(sales\s*tax|tax|vat|gst|hst|pst|qst|tva|mwst|ust|iva)\b", re.I)
_NOT_TAX = re.compile(
    r"before\s*tax|excl|pre-?tax|tax\s*id|tax\s*(no|number|reg)|vat\s*(no|reg)", re.I
)
_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d{1,3})?)\s?%")
# Lines that are never the vendor's name.
_NOT_VENDOR = re.compile(
    r"receipt|invoice|tax\s*invoice|welcome|thank|order|date|time|tel|phone|www\.|http|@|"
    r"cashier|server|table|store\s*#|^\W*$",
    re.I,
)
DAY_FIRST_CURRENCIES = frozenset({"EUR", "GBP", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK"})
KNOWN_VENDOR_MATCH = 0.8  # a line this close to a known vendor's name is that vendor


@dataclass(frozen=True)
class ReceiptFields:
    """What a receipt says, as far as it could be read. ``notes`` say how each field was
    found (e.g. "total: the largest amount, no total line"), for the card."""

    vendor: str | None = None
    date: dt.date | None = None
    total: Decimal | None = None
    tax: Decimal | None = None
    tax_name: str | None = None
    tax_percent: Decimal | None = None
    currency: str | None = None
    currency_guessed: bool = False  # no code or symbol printed: the business's own currency
    notes: list[str] = field(default_factory=list)

    @property
    def is_receipt(self) -> bool:
        """A page with an amount paid is taken for a receipt; one without is not."""
        return self.total is not None


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w&'.,\- ]", " ", line)).strip(" .,-'")


def _vendor(lines: list[str], known: list[str]) -> tuple[str | None, str | None]:
    head = [_clean(line) for line in lines[:8]]
    head = [line for line in head if line]
    if known:
        folded = {k.casefold(): k for k in known}
        for line in head:
            # OCR misreads a letter or two: the closest known name within reach is the one.
            close = difflib.get_close_matches(line.casefold(), folded, 1, KNOWN_VENDOR_MATCH)
            if close:
                return folded[close[0]], "vendor: matches a vendor you paid before"
    for line in head:
        letters = sum(c.isalpha() for c in line)
        if letters >= 3 and letters >= len(line) / 2 and not _NOT_VENDOR.search(line):
            return line[:80], None
    return None, "vendor: not found"


def _total(lines: list[str]) -> tuple[Decimal | None, str | None]:
    for label in _TOTAL_LABELS:
        for index, line in enumerate(lines):
            if label.search(line) and not re.search(r"sub\s*-?\s*total", line, re.I):
                found = amounts_in(line) or (
                    amounts_in(lines[index + 1]) if index + 1 < len(lines) else []
                )
                if found:
                    return found[-1], None
    every = [a for line in lines for a in amounts_in(line)]
    if every:
        return max(every), "total: no total line, the largest amount printed"
    return None, "total: no amount found"


def _tax(lines: list[str]) -> tuple[Decimal | None, str | None, Decimal | None]:
    total = Decimal(0)
    name: str | None = None
    percent: Decimal | None = None
    candidates = [
        line
        for line in lines
        if _TAX_LABEL.search(line)
        and not _NOT_TAX.search(line)
        and not re.search(r"total", line, re.I)
    ]
    # A line with a rate is the tax charged; "City tax 11.56" without one is a line item then.
    rated = [line for line in candidates if _PERCENT.search(line)]
    for line in rated or candidates:
        label = _TAX_LABEL.search(line)
        assert label is not None
        rate = _PERCENT.search(line)
        rest = _PERCENT.sub(" ", line)
        found = amounts_in(rest)
        if not found:
            continue
        total += found[-1]
        if name is None:
            word = " ".join(label.group(1).split())
            name = word.upper() if len(word) <= 4 else word.title()
            if rate:
                percent = Decimal(rate.group(1).replace(",", "."))
    return (total if name else None), name, percent


def parse_fields(
    text: str,
    *,
    known_vendors: Iterable[str] = (),
    default_currency: str = "USD",
    today: dt.date | None = None,
) -> ReceiptFields:
    """The fields of one receipt's text. ``known_vendors`` (the business's past vendors) fix
    OCR's misspellings of a name; ``default_currency`` is assumed when none is printed;
    dates after ``today`` are passed over."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    notes: list[str] = []
    vendor, why = _vendor(lines, [k for k in known_vendors if k])
    notes += [why] if why else []
    printed = currency_in(text)
    currency = printed or default_currency.upper()
    if printed is None:
        notes.append(f"currency: none printed, {currency} assumed")
    total, why = _total(lines)
    notes += [why] if why else []
    tax, tax_name, percent = _tax(lines)
    if tax is not None and total is not None and tax >= total:
        tax, tax_name, percent = None, None, None  # a misread: tax is a part of the total
    day = date_in(lines, day_first=currency in DAY_FIRST_CURRENCIES, latest=today)
    if day is None:
        notes.append("date: not found")
    return ReceiptFields(
        vendor=vendor,
        date=day,
        total=total,
        tax=tax,
        tax_name=tax_name,
        tax_percent=percent,
        currency=currency,
        currency_guessed=printed is None,
        notes=notes,
    )
