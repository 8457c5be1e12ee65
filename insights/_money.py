"""Exact money arithmetic on pandas frames, and the date helpers every insight shares.

Money columns hold :class:`~decimal.Decimal` objects (object dtype): pandas' float columns
would round 0.1 + 0.2 to 0.30000000000000004 and then to the wrong cent. Sums here go
through Python's ``sum`` of Decimals, grouped by currency, and are never taken across
currencies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CENT",
    "ZERO",
    "between",
    "cents",
    "count_by",
    "day",
    "days",
    "dsum",
    "dsum_by",
    "dsum_running",
    "group_codes",
    "hours_of",
    "int_sum_by",
    "money_by",
    "month_start",
    "summable",
]

ZERO = Decimal("0")
CENT = Decimal("0.01")
_HOURS = Decimal("0.01")


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, Decimal) and bool(pd.isna(value)))


def summable(value: Any) -> bool:
    """Whether :func:`dsum` adds ``value`` (it skips None and NaN)."""
    return type(value) is Decimal or not _missing(value)


def dsum(values: Iterable[Any]) -> Decimal:
    """The exact sum of Decimals; missing values (None, NaN) are skipped; empty sums to 0."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)  # the same objects, without pandas' iteration
    total = ZERO
    for value in values:
        if type(value) is Decimal or not _missing(value):  # the common case checked first
            total += value
    return total


def group_codes(
    frame: pd.DataFrame, keys: Sequence[str], *, dropna: bool = False, sort: bool = True
) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """Each row's group number and the groups' keys, as ``frame.groupby(keys, sort=sort)``.

    Group ``n`` is the ``n``-th group iterating the groupby would give, with the same key
    values (always a tuple); rows in no group (a missing key with ``dropna``) get -1. One
    pass over the rows then replaces slicing the frame once per group.
    """
    grouped = frame.groupby(list(keys), sort=sort, dropna=dropna)
    codes = grouped.ngroup().fillna(-1).to_numpy(dtype="int64")
    names = [k if isinstance(k, tuple) else (k,) for k in grouped.size().index]
    return codes, names


def dsum_by(codes: np.ndarray, values: Iterable[Any], groups: int) -> list[Decimal]:
    """The :func:`dsum` of ``values`` per group ``codes`` (0..groups-1; -1 is skipped).

    Each group adds its values in row order, as :func:`dsum` of the group's rows would.
    """
    totals = [ZERO] * groups
    for code, value in zip(codes.tolist(), values, strict=True):
        if code >= 0 and (type(value) is Decimal or not _missing(value)):
            totals[code] += value
    return totals


def dsum_running(codes: Sequence[int], values: Iterable[Any]) -> list[Decimal]:
    """Per row, the :func:`dsum` of its group's values up to and including it, for rows that
    come grouped (each group's rows together, ``codes`` naming the group)."""
    running: list[Decimal] = []
    total, group = ZERO, None
    for code, value in zip(codes, values, strict=True):
        if code != group:
            total, group = ZERO, code
        if type(value) is Decimal or not _missing(value):
            total += value
        running.append(total)
    return running


def count_by(codes: np.ndarray, groups: int) -> list[int]:
    """How many rows each group ``codes`` (0..groups-1) holds; -1 is skipped."""
    kept = codes[codes >= 0]
    return [int(n) for n in np.bincount(kept, minlength=groups)[:groups]]


def int_sum_by(codes: np.ndarray, values: np.ndarray, groups: int) -> list[int]:
    """Exact integer sums of ``values`` (e.g. seconds) per group ``codes``; -1 is skipped."""
    totals = np.zeros(groups, dtype="int64")
    kept = codes >= 0
    np.add.at(totals, codes[kept], values[kept].astype("int64"))
    return [int(total) for total in totals]


def cents(value: Decimal) -> Decimal:
    """Round half-up to the cent, as FreshBooks shows money."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def hours_of(seconds: int) -> Decimal:
    """Whole seconds as hours, to two places (a sum of seconds first keeps totals exact)."""
    return (Decimal(int(seconds)) / 3600).quantize(_HOURS, rounding=ROUND_HALF_UP)


def money_by(frame: pd.DataFrame, keys: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """Exact Decimal sums of ``columns`` per group of ``keys``, plus a ``count`` of rows.

    Keys come back as columns, sorted; an empty frame gives an empty frame with the same
    column names.
    """
    out_columns = [*keys, *columns, "count"]
    if frame.empty:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in out_columns})
    codes, names = group_codes(frame, keys)
    sums = {
        column: dsum_by(codes, frame[column].to_numpy(dtype=object), len(names))
        for column in columns
    }
    counts = count_by(codes, len(names))
    rows = []
    for n, values in enumerate(names):
        row = dict(zip(keys, values, strict=True))
        for column in columns:
            row[column] = sums[column][n]
        row["count"] = counts[n]
        rows.append(row)
    return pd.DataFrame(rows, columns=out_columns)


def day(value: date) -> pd.Timestamp:
    """A calendar day as the midnight Timestamp the frames' date columns hold."""
    return pd.Timestamp(value.year, value.month, value.day)


def days(values: Iterable[date | None]) -> pd.Series:
    """Calendar days (None allowed) as a ``datetime64[s]`` column."""
    return pd.Series(list(values), dtype="datetime64[s]")


def month_start(column: pd.Series) -> pd.Series:
    """The first day of each date's month, as ``datetime64[s]``."""
    if column.empty:
        return pd.Series([], dtype="datetime64[s]", index=column.index)
    return column.dt.to_period("M").dt.start_time.astype("datetime64[s]")


def between(column: pd.Series, start: date | None, end: date | None) -> pd.Series:
    """Rows whose date lies in ``start``..``end`` inclusive (either bound may be open)."""
    mask = column.notna()
    if start is not None:
        mask &= column >= day(start)
    if end is not None:
        mask &= column <= day(end)
    return mask
