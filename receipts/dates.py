"""The purchase date printed on a receipt, in the forms tills print it."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["date_in"]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "januar"),
            ("feb", "february", "fev", "février", "februar"),
            ("mar", "march", "mars", "märz", "marz"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juil", "juillet", "juli"),
            ("aug", "august", "aout", "août"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "okt", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "décembre", "dez", "dezember"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"\b(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](20\d{2}|\d{2})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-zéû]{3,9})\.?,?[ -](20\d{2})\b")
_MONTH_DAY = re.compile(r"\b([A-Za-zéû]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (20\d{2})\b")


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _candidates(line: str, day_first: bool) -> list[dt.date]:
    found: list[dt.date | None] = []
    for m in _ISO.finditer(line):
        found.append(_day(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _NUMERIC.finditer(line):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        # 13/02 can only be day first and 02/13 only month first; otherwise the currency's
        # habit decides (day first outside North America).
        first_is_day = a > 12 or (b <= 12 and day_first)
        found.append(_day(year, b, a) if first_is_day else _day(year, a, b))
    for m in _DAY_MONTH.finditer(line):
        month = MONTHS.get(m.group(2).lower())
        found.append(_day(int(m.group(3)), month, int(m.group(1))) if month else None)
    for m in _MONTH_DAY.finditer(line):
        month = MONTHS.get(m.group(1).lower())
        found.append(_day(int(m.group(3)), month, int(m.group(2))) if month else None)
    return [d for d in found if d is not None]


def date_in(lines: list[str], *, day_first: bool, latest: dt.date | None = None) -> dt.date | None:
    """The receipt's date: one on a line that says "date" first, else the first one printed.
    Dates after ``latest`` (a due date, an expiry) are passed over."""
    labelled: list[dt.date] = []
    other: list[dt.date] = []
    for line in lines:
        found = [d for d in _candidates(line, day_first) if latest is None or d <= latest]
        (labelled if re.search(r"date|datum", line, re.IGNORECASE) else other).extend(found)
    chosen = labelled or other
    return chosen[0] if chosen else None
