"""CSV export of any insights frame: exact money, ISO dates, a currency beside money."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    cells = pd.DataFrame({c: [_cell(v) for v in frame[c]] for c in frame.columns}, dtype=object)
    cells = cells.reindex(columns=list(frame.columns))
    return cells.to_csv(index=False, lineterminator="\n")


def to_csv_bytes(frame: pd.DataFrame, *, decimals_are_money: bool = True) -> bytes:
    """:func:`to_csv` encoded as UTF-8 with a byte-order mark, which spreadsheet apps read."""
    return to_csv(frame, decimals_are_money=decimals_are_money).encode("utf-8-sig")
