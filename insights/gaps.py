"""Timesheet gaps: working days (Monday to Friday, the business's calendar) with little or no
time logged.

The time frame's ``date`` is already the entry's day in the business's timezone, so a day here
is the business's day. Public holidays are not known and count as working days.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from ._money import day, hours_of

__all__ = ["GAP_COLUMNS", "timesheet_gaps", "working_days"]

GAP_COLUMNS = ["date", "weekday", "seconds", "hours", "missing_hours"]


def working_days(start: date, end: date) -> list[date]:
    """Monday to Friday from ``start`` to ``end`` inclusive."""
    count = (end - start).days + 1
    return [d for d in (start + timedelta(days=i) for i in range(count)) if d.weekday() < 5]


def timesheet_gaps(
    time: pd.DataFrame, start: date, end: date, threshold_hours: Decimal
) -> pd.DataFrame:
    """The working days of ``start``..``end`` with fewer than ``threshold_hours`` logged.

    One row per such day, oldest first: ``date`` (midnight Timestamp), ``weekday`` (Monday...),
    ``seconds`` and ``hours`` logged that day (everyone's time), and ``missing_hours`` up to
    the threshold.
    """
    days = working_days(start, end)
    if not days:
        return pd.DataFrame(columns=GAP_COLUMNS)
    logged = time.groupby("date")["seconds"].sum() if not time.empty else pd.Series(dtype="int64")
    limit = int(threshold_hours * 3600)
    rows = []
    for worked in days:
        seconds = int(logged.get(day(worked), 0))
        if seconds < limit:
            rows.append(
                {
                    "date": day(worked),
                    "weekday": f"{worked:%A}",
                    "seconds": seconds,
                    "hours": hours_of(seconds),
                    "missing_hours": hours_of(limit - seconds),
                }
            )
    frame = pd.DataFrame(rows, columns=GAP_COLUMNS)
    frame["date"] = frame["date"].astype("datetime64[s]")
    frame["seconds"] = frame["seconds"].astype("int64")
    return frame
