"""An invoice profile's ``frequency`` code read into something usable: its dates and how many
issues it makes per month.

FreshBooks' own examples of invoice profiles show the codes ``"m"`` (monthly) and ``"2w"``
(every two weeks). The other codes read here (``"w"``, ``"4w"``, ``"2m"``, ``"3m"``, ``"6m"``,
``"y"``, ``"2y"``) follow the same shape and the intervals FreshBooks' classic API offered
(weekly, 2 and 4 weeks, monthly, 2, 3 and 6 months, yearly, 2 years); that the current API
names them this way is unverified [?]. A code this module cannot read parses to None.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Literal

__all__ = ["FREQUENCY_CODES", "Frequency", "Unit"]

Unit = Literal["w", "m", "y"]

# The codes offered for writing (the classic API's intervals in the current API's shape [?]).
FREQUENCY_CODES: tuple[str, ...] = ("w", "2w", "4w", "m", "2m", "3m", "6m", "y", "2y")

_CODE = re.compile(r"^\s*(\d*)\s*([wmy])\s*$", re.IGNORECASE)
_UNITS: dict[str, Unit] = {"w": "w", "m": "m", "y": "y"}
_WEEKS_PER_MONTH = Fraction(52, 12)
_UNIT_NAMES = {"w": "week", "m": "month", "y": "year"}
_PLAIN = {("w", 1): "Weekly", ("m", 1): "Monthly", ("y", 1): "Yearly", ("m", 3): "Quarterly"}


@dataclass(frozen=True)
class Frequency:
    """Every ``count`` ``unit`` (weeks, months or years)."""

    count: int
    unit: Unit

    @classmethod
    def parse(cls, code: str | None) -> Frequency | None:
        """``"m"`` → monthly, ``"2w"`` → every two weeks; None for what cannot be read."""
        if not code:
            return None
        match = _CODE.match(code)
        if match is None:
            return None
        count = int(match.group(1) or 1)
        if count < 1:
            return None
        unit = _UNITS[match.group(2).lower()]  # the pattern allows nothing else
        return cls(count, unit)

    @property
    def code(self) -> str:
        """The wire code: ``"m"``, ``"2w"``."""
        return self.unit if self.count == 1 else f"{self.count}{self.unit}"

    @property
    def label(self) -> str:
        """How a person says it: "Monthly", "Every 2 weeks"."""
        plain = _PLAIN.get((self.unit, self.count))
        return plain or f"Every {self.count} {_UNIT_NAMES[self.unit]}s"

    @property
    def per_month(self) -> Fraction:
        """Issues per month, exactly: weekly 52/12, every 2 weeks 26/12, monthly 1,
        quarterly 1/3, yearly 1/12."""
        if self.unit == "w":
            return _WEEKS_PER_MONTH / self.count
        if self.unit == "m":
            return Fraction(1, self.count)
        return Fraction(1, 12 * self.count)

    def nth(self, anchor: date, n: int) -> date:
        """The ``n``-th date after ``anchor`` (``n`` 0 is ``anchor``).

        Months are counted from the anchor, so a schedule on the 31st falls on each month's
        last day without drifting to the 28th after February.
        """
        if self.unit == "w":
            return anchor + timedelta(weeks=self.count * n)
        months = self.count * n * (12 if self.unit == "y" else 1)
        index = anchor.month - 1 + months
        year, month = anchor.year + index // 12, index % 12 + 1
        return date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))

    def dates(self, anchor: date, count: int) -> list[date]:
        """``anchor`` and the dates after it: ``count`` dates in all."""
        return [self.nth(anchor, n) for n in range(max(count, 0))]
