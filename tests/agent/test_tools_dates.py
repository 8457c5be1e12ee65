"""Relative periods at their edges: Monday weeks, month ends, quarter edges, year start."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from agent.tools.dates import (
    PERIODS,
    business_today,
    day_window,
    local_day,
    resolve_day,
    resolve_period,
)

D = date


@pytest.mark.parametrize(
    ("period", "today", "start", "end"),
    [
        ("today", D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1)),
        ("yesterday", D(2026, 3, 1), D(2026, 2, 28), D(2026, 2, 28)),
        ("yesterday", D(2026, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
        # Weeks run Monday to Sunday, whatever day today is.
        ("this_week", D(2026, 11, 23), D(2026, 11, 23), D(2026, 11, 29)),  # a Monday
        ("this_week", D(2026, 11, 29), D(2026, 11, 23), D(2026, 11, 29)),  # a Sunday
        ("last_week", D(2026, 11, 23), D(2026, 11, 16), D(2026, 11, 22)),
        ("last_week", D(2026, 1, 2), D(2025, 12, 22), D(2025, 12, 28)),  # across the year
        ("this_month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        ("last_month", D(2026, 3, 31), D(2026, 2, 1), D(2026, 2, 28)),
        ("last_month", D(2026, 1, 15), D(2025, 12, 1), D(2025, 12, 31)),
        ("this_quarter", D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
        ("this_quarter", D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
        ("this_quarter", D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31)),
        ("last_quarter", D(2026, 1, 1), D(2025, 10, 1), D(2025, 12, 31)),
        ("last_quarter", D(2026, 7, 1), D(2026, 4, 1), D(2026, 6, 30)),
        ("this_year", D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
        ("last_year", D(2026, 1, 1), D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_periods(period, today, start, end):
    found = resolve_period(period, today)
    assert (found.start, found.end) == (start, end)
    assert today not in found or period not in ("yesterday", "last_week", "last_month")


@pytest.mark.parametrize("period", PERIODS)
def test_every_period_is_a_non_empty_range_that_ends_after_it_starts(period):
    found = resolve_period(period, D(2026, 5, 17))
    assert found.start <= found.end
    assert found.label


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="unknown period"):
        resolve_period("next_week", D(2026, 1, 1))


def test_relative_days():
    assert resolve_day("today", D(2026, 3, 1)) == D(2026, 3, 1)
    assert resolve_day("yesterday", D(2026, 3, 1)) == D(2026, 2, 28)
    with pytest.raises(ValueError, match="unknown day"):
        resolve_day("tomorrow", D(2026, 3, 1))


def test_today_is_the_business_calendar_day_not_utc():
    # 02:30 UTC on 1 January is still New Year's Eve in New York.
    now = datetime(2026, 1, 1, 2, 30, tzinfo=UTC)
    assert business_today(now, "America/New_York") == D(2025, 12, 31)
    assert business_today(now, "Asia/Tokyo") == D(2026, 1, 1)
    assert business_today(now, None) == D(2026, 1, 1)
    assert business_today(now, "Not/AZone") == D(2026, 1, 1)
    assert resolve_period("last_year", business_today(now, "America/New_York")).start == D(
        2024, 1, 1
    )
    with pytest.raises(ValueError, match="aware"):
        business_today(datetime(2026, 1, 1), "UTC")


def test_day_window_covers_whole_local_days():
    first, last = day_window(D(2026, 3, 7), D(2026, 3, 8), "America/New_York")
    # 8 March 2026 is the DST switch in New York: the window still ends at local 23:59:59.
    assert first == datetime(2026, 3, 7, 0, 0, tzinfo=ZoneInfo("America/New_York"))
    assert last.astimezone(ZoneInfo("America/New_York")).time().isoformat() == "23:59:59"
    assert local_day(first, "America/New_York") == D(2026, 3, 7)
    assert local_day(last, "America/New_York") == D(2026, 3, 8)
    assert local_day(None, "UTC") is None
