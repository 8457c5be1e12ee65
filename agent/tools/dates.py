"""Relative dates ("last week", "yesterday") as calendar days of the business.

Pure functions of a given ``today``: nothing here reads the clock. Weeks start on Monday,
quarters on 1 January, 1 April, 1 July and 1 October. Every period is whole calendar days,
inclusive at both ends ("this_month" is the whole month, not month to date).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal, get_args

from fbclient.identity import zone_named
from insights.periods import Period

__all__ = [
    "PERIODS",
    "Period",
    "PeriodName",
    "RelativeDay",
    "business_today",
    "business_tz",
    "day_window",
    "local_day",
    "resolve_day",
    "resolve_period",
]

PeriodName = Literal[
    "today",
    "yesterday",
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_year",
    "last_year",
]
PERIODS: tuple[str, ...] = get_args(PeriodName)
RelativeDay = Literal["today", "yesterday"]


def business_tz(name: str | None) -> tzinfo:
    """The business's timezone from its IANA name; UTC when missing or unknown.

    The rule of :attr:`fbclient.identity.Business.zone`, for callers holding only the name.
    """
    return zone_named(name)


def business_today(now: datetime, timezone: str | None) -> date:
    """The calendar day it is for the business at ``now`` (an aware datetime)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone_named(timezone)).date()


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + (day.month - 1) - months_back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first, -1) - timedelta(days=1)


def _quarter_start(day: date, quarters_back: int = 0) -> date:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return _month_start(first, 3 * quarters_back)


def resolve_period(period: PeriodName | str, today: date) -> Period:
    """The days ``period`` covers, seen from ``today``."""
    if period == "today":
        return Period(today, today, "today")
    if period == "yesterday":
        day = today - timedelta(days=1)
        return Period(day, day, "yesterday")
    if period in ("this_week", "last_week"):
        monday = today - timedelta(days=today.weekday())
        if period == "last_week":
            monday -= timedelta(days=7)
        return Period(monday, monday + timedelta(days=6), period.replace("_", " "))
    if period in ("this_month", "last_month"):
        first = _month_start(today, 0 if period == "this_month" else 1)
        return Period(first, _month_end(first), f"{first:%B %Y}")
    if period in ("this_quarter", "last_quarter"):
        first = _quarter_start(today, 0 if period == "this_quarter" else 1)
        end = _month_start(first, -3) - timedelta(days=1)
        return Period(first, end, f"Q{(first.month - 1) // 3 + 1} {first.year}")
    if period in ("this_year", "last_year"):
        year = today.year - (0 if period == "this_year" else 1)
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))
    raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")


def resolve_day(day: RelativeDay | str, today: date) -> date:
    """ "today" or "yesterday" as a calendar day."""
    if day not in ("today", "yesterday"):
        raise ValueError(f"unknown day {day!r}; use today or yesterday")
    return resolve_period(day, today).start


def day_window(start: date, end: date, timezone: str | None) -> tuple[datetime, datetime]:
    """Aware datetimes from the first instant of ``start`` to the last of ``end``, locally."""
    tz = business_tz(timezone)
    first = datetime.combine(start, time.min, tzinfo=tz)
    last = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz) - timedelta(seconds=1)
    return first, last


def local_day(moment: datetime | None, timezone: str | None) -> date | None:
    """The business's calendar day of an aware timestamp (e.g. a time entry's start)."""
    if moment is None:
        return None
    return moment.astimezone(business_tz(timezone)).date()
