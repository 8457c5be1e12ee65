"""Recurring schedules of invoice profiles: frequency codes and the dates they fall on.

Codes as FreshBooks' examples write them ("m", "2w") and the classic API's intervals in that
shape ("w", "4w", "3m", "6m", "y", "2y"): an optional count and a unit, weeks, months or
years. Months count from the anchor, so a schedule on the 31st keeps the month's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_CODE = re.compile(r"^(\d*)([wmy])$")


def parse(code: object) -> tuple[int, str] | None:
    """`(count, unit)` of a frequency code, or None when it is not one."""
    match = _CODE.match(str(code).strip().lower()) if isinstance(code, str) else None
    if match is None:
        return None
    count = int(match.group(1) or 1)
    return (count, match.group(2)) if count > 0 else None


def nth(anchor: dt.date, code: str, n: int) -> dt.date:
    """The `n`-th issue date of a schedule that started on `anchor` (`n` 0: `anchor`)."""
    parsed = parse(code)
    if parsed is None:
        raise ValueError(f"not a frequency code: {code!r}")
    count, unit = parsed
    if unit == "w":
        return anchor + dt.timedelta(weeks=count * n)
    months = count * n * (12 if unit == "y" else 1)
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))
