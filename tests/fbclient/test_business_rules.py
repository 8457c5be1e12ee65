"""A business's timezone and calendar day: one rule, UTC when FreshBooks names no zone we know."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from fbclient.identity import Business, zone_named


def _business(timezone: str | None) -> Business:
    return Business(business_id=1, name="Demo", role="owner", timezone=timezone)


@pytest.mark.parametrize(
    ("timezone", "zone", "day"),
    [
        ("America/New_York", ZoneInfo("America/New_York"), date(2025, 12, 31)),
        ("Asia/Tokyo", ZoneInfo("Asia/Tokyo"), date(2026, 1, 1)),
        (None, UTC, date(2026, 1, 1)),
        ("", UTC, date(2026, 1, 1)),
        ("Not/AZone", UTC, date(2026, 1, 1)),
        ("../etc", UTC, date(2026, 1, 1)),
    ],
)
def test_zone_and_today(timezone, zone, day):
    business = _business(timezone)
    assert business.zone == zone == zone_named(timezone)
    assert business.today(datetime(2026, 1, 1, 3, 0, tzinfo=UTC)) == day
    assert business.now().tzinfo == zone


def test_today_needs_an_aware_instant():
    with pytest.raises(ValueError, match="aware"):
        _business("UTC").today(datetime(2026, 1, 1))
