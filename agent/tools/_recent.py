"""Finding the record a create may have made although FreshBooks did not confirm it.

Each create tool has a ``find_created`` (see :class:`agent.tool.Tool`) built from these: a
bounded server-side filter (one page), then the fields the create set and a timestamp no
older than the attempt. A record without a timestamp still counts: a false alarm the user
checks costs less than a client billed twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

__all__ = ["SLACK", "first_day", "made_since", "same_text"]

# The app's and FreshBooks' clocks may disagree a little; FreshBooks stamps to the second.
SLACK = timedelta(minutes=5)
FOUND_PAGE = 100  # one page of candidates is plenty: the filters are narrow


def made_since(since: datetime, *stamps: datetime | None) -> bool:
    """Whether a record stamped ``stamps`` (created, updated) changed since ``since``."""
    known = [s for s in stamps if s is not None]
    return not known or max(known) >= since - SLACK


def first_day(since: datetime) -> date:
    """The earliest day for day-granular ``*_min`` filters, whatever the timezones involved."""
    return (since - SLACK - timedelta(days=1)).date()


def same_text(given: str | None, found: str | None) -> bool:
    """Whether a field the create set (``given``; None: not set) matches what was found."""
    if given is None:
        return True
    return (found or "").strip().casefold() == given.strip().casefold()


__all__ += ["FOUND_PAGE"]
