"""Named date ranges relative to a given ``today`` (never the machine's clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Period",
    "last_year_to_date",
    "month_to_date",
    "months_between",
    "same_day_last_year",
    "year_to_date",
]


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days and how a person would name them.

    The dashboards' periods and the agent's relative dates ("last week") are both this.
    """

    start: date
    end: date
    label: str

    def as_dict(self) -> dict[str, str]:
        """The range as the chat model reads it."""
        return {"start_date": self.start.isoformat(), "end_date": self.end.isoformat()}

    def __contains__(self, value: object) -> bool:
        return isinstance(value, date) and self.start <= value <= self.end


def same_day_last_year(today: date) -> date:
    """The same calendar day a year earlier; 29 February becomes 28 February."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def month_to_date(today: date) -> Period:
    """The 1st of ``today``'s month to ``today``."""
    return Period(today.replace(day=1), today, "this month")


def year_to_date(today: date) -> Period:
    """1 January of ``today``'s year to ``today``."""
    return Period(date(today.year, 1, 1), today, "this year")


def last_year_to_date(today: date) -> Period:
    """1 January last year to the same day last year: the period to compare this year with."""
    end = same_day_last_year(today)
    return Period(date(end.year, 1, 1), end, "same period last year")


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s month to ``end``'s month, in order."""
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months
