"""Timestamps to the business's local wall time, a whole column at once.

``datetime.astimezone`` one entry at a time was the slowest step of building the time
frame (tens of thousands of entries); pandas converts a column in one call, with the
same tz database rules (it asks the ``zoneinfo`` zone itself), so the wall times are the
same: during a DST change two instants can share a wall time, and a skipped hour never
appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

import numpy as np
import pandas as pd

__all__ = ["local_wall_times", "midnight_of", "monday_of"]

_THURSDAY = 3  # 1970-01-01, day 0 of datetime64[D], was a Thursday (Monday is 0)


def local_wall_times(instants: Sequence[datetime], tz: tzinfo) -> np.ndarray:
    """Timezone-aware ``instants`` as naive wall times in ``tz`` (``datetime64[us]``).

    The same values as ``[i.astimezone(tz).replace(tzinfo=None) for i in instants]``.
    """
    if not instants:
        return np.array([], dtype="datetime64[us]")
    zones = {instant.tzinfo for instant in instants}
    if len(zones) == 1:
        # One offset or zone for all (FreshBooks sends UTC): the fast constructor takes it.
        index = pd.DatetimeIndex(list(instants))
    else:
        index = pd.to_datetime(list(instants), utc=True)
    local = index.tz_convert(tz).tz_localize(None)
    return local.as_unit("us").to_numpy()  # type: ignore[no-any-return]  # pandas has no stubs


def midnight_of(wall_times: np.ndarray) -> np.ndarray:
    """The calendar day of each wall time, as midnight (``datetime64[s]``)."""
    return wall_times.astype("datetime64[D]").astype("datetime64[s]")


def monday_of(wall_times: np.ndarray) -> np.ndarray:
    """The Monday starting each wall time's week, as midnight (``datetime64[s]``)."""
    days = wall_times.astype("datetime64[D]")
    weekday = (days.astype("int64") + _THURSDAY) % 7
    return (days - weekday.astype("timedelta64[D]")).astype("datetime64[s]")  # type: ignore[no-any-return]  # numpy types datetime64 minus timedelta64 arrays as Any
