"""Where the hours went: by week, project, client or person; billable and unbilled time.

Totals add whole seconds and convert once (``hours`` is a Decimal to two places, so
0.1 h + 0.2 h is 0.30 h, not 0.30000000000000004). Unbilled time is billable time not yet
billed; its value uses the rate :mod:`insights.rates` finds, or is unknown (never guessed).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from ._money import between, day, dsum, group_codes, hours_of, int_sum_by

__all__ = [
    "BILLABLE",
    "NON_BILLABLE",
    "billable_split",
    "hours_by",
    "hours_by_week",
    "time_between",
    "unbilled_summary",
    "unbilled_time",
]

BILLABLE = "Billable"
NON_BILLABLE = "Non-billable"
GroupBy = Literal["project", "client", "service", "team_member"]
_KEYS: dict[str, str] = {
    "project": "project_id",
    "client": "client_id",
    "service": "service_id",
    "team_member": "identity_id",
}


def time_between(
    time: pd.DataFrame, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The entries whose local day is ``start``..``end`` (inclusive; open when None)."""
    return time[between(time["date"], start, end)].sort_values(["started_at", "entry_id"])


def _kind(billable: pd.Series) -> pd.Series:
    return billable.map({True: BILLABLE, False: NON_BILLABLE}).astype("str")


def hours_by_week(time: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Tidy ``week, kind, seconds, hours``: each Monday-based week from ``start`` to ``end``
    (the weeks holding them), billable and non-billable, zero when nothing was logged."""
    columns = ["week", "kind", "seconds", "hours"]
    found = time_between(time, start, end)
    seconds = found.assign(kind=_kind(found["billable"])).groupby(["week", "kind"])["seconds"].sum()
    totals = {key: int(value) for key, value in seconds.items()}
    first = start - timedelta(days=start.weekday())
    rows = []
    week = first
    while week <= end:
        for kind in (BILLABLE, NON_BILLABLE):
            secs = totals.get((day(week), kind), 0)
            rows.append({"week": day(week), "kind": kind, "seconds": secs, "hours": hours_of(secs)})
        week += timedelta(days=7)
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {"week": "datetime64[s]", "kind": "str", "seconds": "int64", "hours": object}
    )


def hours_by(
    time: pd.DataFrame,
    by: GroupBy,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Hours per project, client, service or team member, most hours first.

    Columns: ``<by>_id`` key as ``key``, ``name``, ``seconds``, ``hours``,
    ``billable_hours``, ``non_billable_hours``, ``unbilled_hours`` (Decimal). Entries
    without one (e.g. no project) are grouped under "(none)".
    """
    columns = [
        "key",
        "name",
        "seconds",
        "hours",
        "billable_hours",
        "non_billable_hours",
        "unbilled_hours",
    ]
    found = time_between(time, start, end)
    codes, names = group_codes(found, [_KEYS[by], by], sort=False)
    groups = len(names)
    seconds = found["seconds"].to_numpy(dtype="int64")
    totals = int_sum_by(codes, seconds, groups)
    billables = int_sum_by(
        np.where(found["billable"].to_numpy(dtype=bool), codes, -1), seconds, groups
    )
    unbilled = int_sum_by(
        np.where(found["unbilled"].to_numpy(dtype=bool), codes, -1), seconds, groups
    )
    rows = []
    for (key, name), total, billable, open_seconds in zip(
        names, totals, billables, unbilled, strict=True
    ):
        rows.append(
            {
                "key": key,
                "name": "(none)" if pd.isna(name) else name,
                "seconds": total,
                "hours": hours_of(total),
                "billable_hours": hours_of(billable),
                "non_billable_hours": hours_of(total - billable),
                "unbilled_hours": hours_of(open_seconds),
            }
        )
    rows.sort(key=lambda r: (-r["seconds"], str(r["name"])))
    return pd.DataFrame(rows, columns=columns).astype({"key": "Int64", "seconds": "int64"})


def billable_split(
    time: pd.DataFrame, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """``kind`` (Billable / Non-billable), ``seconds``, ``hours`` and float ``share``."""
    found = time_between(time, start, end)
    total = int(found["seconds"].sum())
    rows = []
    for kind, mask in ((BILLABLE, found["billable"]), (NON_BILLABLE, ~found["billable"])):
        secs = int(found.loc[mask, "seconds"].sum())
        rows.append(
            {
                "kind": kind,
                "seconds": secs,
                "hours": hours_of(secs),
                "share": secs / total if total else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["kind", "seconds", "hours", "share"])


def unbilled_time(time: pd.DataFrame) -> pd.DataFrame:
    """Billable entries not yet billed, oldest first, with ``rate``, ``rate_source``, ``value``.

    ``value`` is None where no rate is known; ``rate_source`` then says why.
    """
    return time[time["unbilled"]].sort_values(["started_at", "entry_id"])


def unbilled_summary(time: pd.DataFrame) -> pd.DataFrame:
    """Per currency: unbilled ``hours``, ``entries``, ``value`` of the entries with a known
    rate, and the ``hours_without_rate`` / ``entries_without_rate`` not valued."""
    columns = [
        "currency",
        "hours",
        "entries",
        "value",
        "hours_without_rate",
        "entries_without_rate",
    ]
    found = unbilled_time(time)
    rows = []
    for currency, part in found.groupby("currency", sort=True, dropna=False):
        unknown = part[part["value"].isna()]
        rows.append(
            {
                "currency": None if pd.isna(currency) else currency,
                "hours": hours_of(int(part["seconds"].sum())),
                "entries": len(part),
                "value": dsum(part["value"]),
                "hours_without_rate": hours_of(int(unknown["seconds"].sum())),
                "entries_without_rate": len(unknown),
            }
        )
    return pd.DataFrame(rows, columns=columns)
