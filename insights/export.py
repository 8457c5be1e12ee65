"""CSV export of any insights frame: exact money, ISO dates, a currency beside money."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MissingCurrencyError", "to_csv", "to_csv_bytes"]


class MissingCurrencyError(ValueError):
    """Money without a currency column would be ambiguous in a spreadsheet."""


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # plain decimal text: "1200.50", never "1.2005E+3"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _object_cells(values: Iterable[Any]) -> list[Any]:
    # The common types first, without the general checks of :func:`_cell`.
    cells = []
    for value in values:
        kind = type(value)
        if kind is Decimal:
            cells.append(format(value, "f"))
        elif kind is str:
            cells.append(value)
        else:
            cells.append(_cell(value))
    return cells


_FIRST_YEAR, _LAST_YEAR = np.datetime64("0001-01-01", "s"), np.datetime64("9999-12-31", "s")


def _datetime_cells(column: pd.Series) -> list[Any] | None:
    """:func:`_cell` of a naive datetime column, all rows at once; None when the column is
    not one this shortcut covers (sub-second times, years outside 1-9999)."""
    stamps = column.to_numpy()
    missing = np.isnat(stamps)
    seconds = stamps.astype("datetime64[s]")
    present = seconds[~missing]
    if (present != stamps[~missing]).any():
        return None  # sub-second parts: isoformat adds digits the text here would not
    if present.size and (present.min() < _FIRST_YEAR or present.max() > _LAST_YEAR):
        return None
    days = seconds.astype("datetime64[D]")
    # Midnight is a calendar day ("2026-06-01"), any other time the full ISO timestamp.
    text = np.where(
        days == seconds,
        np.datetime_as_string(days, unit="D"),
        np.datetime_as_string(seconds, unit="s"),
    )
    return [
        "" if gone else cell for cell, gone in zip(text.tolist(), missing.tolist(), strict=True)
    ]


def _cells(column: pd.Series) -> list[Any]:
    """``[_cell(v) for v in column]``, with a faster way for the common column types.

    Only the text the cells become counts (``to_csv`` writes ``5`` for a NumPy or a Python
    5): integers, booleans and strings pass as they are, missing values become blanks.
    """
    dtype = column.dtype
    kind = dtype.kind if isinstance(dtype, np.dtype) else None
    if kind == "M":
        cells = _datetime_cells(column)
        if cells is not None:
            return cells
    elif kind in ("b", "i", "u"):
        return column.tolist()  # type: ignore[no-any-return]  # pandas has no stubs; never missing
    elif kind == "O":
        return _object_cells(column.to_numpy())
    elif isinstance(dtype, pd.StringDtype | pd.BooleanDtype | pd.Int64Dtype):
        return column.to_numpy(dtype=object, na_value="").tolist()  # type: ignore[no-any-return]  # pandas has no stubs
    return [_cell(v) for v in column]


def _has_money(frame: pd.DataFrame) -> bool:
    return any(
        any(isinstance(v, Decimal) for v in frame[c])
        for c in frame.columns
        if frame[c].dtype == object
    )


def to_csv(frame: pd.DataFrame, *, decimals_are_money: bool = True) -> str:
    """``frame`` as CSV text: Decimals as plain decimal strings, dates as ISO, blanks for
    missing values, no index. Frames with money must carry a ``currency`` column (or else
    :class:`MissingCurrencyError`), so an amount is never read without its currency.
    ``decimals_are_money=False`` says the Decimals are something else (hours, percentages).
    """
    if decimals_are_money and _has_money(frame) and "currency" not in frame.columns:
        raise MissingCurrencyError("a frame with money needs a 'currency' column to be exported")
    columns = frame.columns
    if columns.empty or not columns.is_unique or isinstance(columns, pd.MultiIndex):
        # No columns, names that do not pick one column each, or header rows: pandas' way.
        cells = pd.DataFrame({c: [_cell(v) for v in frame[c]] for c in frame.columns}, dtype=object)
        cells = cells.reindex(columns=list(frame.columns))
        return cells.to_csv(index=False, lineterminator="\n")  # type: ignore[no-any-return]  # pandas has no stubs
    # The csv module is what DataFrame.to_csv writes with (minimal quoting); fed the cells
    # directly it skips building a frame of them.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows(zip(*(_cells(frame[c]) for c in frame.columns), strict=True))
    return out.getvalue()


def to_csv_bytes(frame: pd.DataFrame, *, decimals_are_money: bool = True) -> bytes:
    """:func:`to_csv` encoded as UTF-8 with a byte-order mark, which spreadsheet apps read."""
    return to_csv(frame, decimals_are_money=decimals_are_money).encode("utf-8-sig")
