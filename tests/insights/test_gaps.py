"""Timesheet gaps against a hand-computed ground truth, in the business's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from insights.frames import build_frames
from insights.gaps import timesheet_gaps, working_days

from ..support.model_builders import entry, snapshot

D = Decimal


def _time():
    # June 2026: Mon 1 .. Sun 14. The business is in New York (UTC-4 in June).
    entries = [
        entry(1, datetime(2026, 6, 1, 13, tzinfo=UTC), 8 * 3600),  # Mon 1: full day
        entry(2, datetime(2026, 6, 2, 13, tzinfo=UTC), 3 * 3600),  # Tue 2: 3 h ...
        entry(3, datetime(2026, 6, 2, 20, tzinfo=UTC), 2 * 3600),  # ... + 2 h = 5 h
        # 02:00 UTC on Thu 4 is 22:00 on Wed 3 in New York: Wednesday's time.
        entry(4, datetime(2026, 6, 4, 2, tzinfo=UTC), 7 * 3600),
        # Thu 4: nothing. Fri 5: 6 h exactly.
        entry(5, datetime(2026, 6, 5, 14, tzinfo=UTC), 6 * 3600),
        entry(6, datetime(2026, 6, 6, 14, tzinfo=UTC), 9 * 3600),  # Sat 6: not a working day
        entry(7, datetime(2026, 6, 8, 14, tzinfo=UTC), 4 * 3600, active=False),  # deleted
    ]
    return build_frames(snapshot(time_entries=entries), date(2026, 6, 15)).time


def test_working_days_skip_the_weekend():
    assert working_days(date(2026, 6, 5), date(2026, 6, 8)) == [date(2026, 6, 5), date(2026, 6, 8)]


def test_gaps_match_the_hand_computed_days():
    gaps = timesheet_gaps(_time(), date(2026, 6, 1), date(2026, 6, 9), D(6))
    # Mon 1: 8 h, Tue 2: 5 h, Wed 3: 7 h, Thu 4: 0, Fri 5: 6 h (not under 6),
    # Mon 8: 0 (its entry was deleted), Tue 9: 0.
    assert [d.date() for d in gaps["date"]] == [
        date(2026, 6, 2),
        date(2026, 6, 4),
        date(2026, 6, 8),
        date(2026, 6, 9),
    ]
    assert list(gaps["weekday"]) == ["Tuesday", "Thursday", "Monday", "Tuesday"]
    assert list(gaps["hours"]) == [D("5.00"), D("0.00"), D("0.00"), D("0.00")]
    assert list(gaps["missing_hours"]) == [D("1.00"), D("6.00"), D("6.00"), D("6.00")]


def test_a_lower_threshold_leaves_only_empty_days():
    gaps = timesheet_gaps(_time(), date(2026, 6, 1), date(2026, 6, 5), D("4.5"))
    assert [d.date() for d in gaps["date"]] == [date(2026, 6, 4)]


def test_no_time_at_all_and_a_weekend_period():
    empty = _time().iloc[0:0]
    gaps = timesheet_gaps(empty, date(2026, 6, 5), date(2026, 6, 8), D(1))
    assert [d.date() for d in gaps["date"]] == [date(2026, 6, 5), date(2026, 6, 8)]
    assert timesheet_gaps(_time(), date(2026, 6, 6), date(2026, 6, 7), D(8)).empty
