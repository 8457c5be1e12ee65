"""CSV export: plain decimal money beside its currency, ISO dates, blanks for missing."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from insights.export import MissingCurrencyError, to_csv, to_csv_bytes


def test_money_is_plain_decimal_text_with_its_currency():
    frame = pd.DataFrame(
        {
            "currency": ["USD", "EUR"],
            "amount": pd.Series([Decimal("1E+3"), Decimal("0.10")], dtype=object),
            "due": pd.Series([pd.Timestamp("2026-06-01"), pd.NaT], dtype="datetime64[s]"),
            "at": pd.Series([pd.Timestamp("2026-06-01 09:30"), pd.NaT], dtype="datetime64[s]"),
            "note": ["a, b", None],
        }
    )
    assert to_csv(frame) == (
        'currency,amount,due,at,note\nUSD,1000,2026-06-01,2026-06-01T09:30:00,"a, b"\nEUR,0.10,,,\n'
    )
    assert to_csv_bytes(frame).startswith(b"\xef\xbb\xbfcurrency,")


def test_money_without_currency_is_refused():
    frame = pd.DataFrame({"amount": pd.Series([Decimal("1.00")], dtype=object)})
    with pytest.raises(MissingCurrencyError):
        to_csv(frame)


def test_frames_without_money_or_rows_export():
    assert to_csv(pd.DataFrame({"hours": [1.5]})) == "hours\n1.5\n"
    assert to_csv(pd.DataFrame(columns=["currency", "amount"])) == "currency,amount\n"


def test_hours_only_frames_export_without_a_currency():
    from decimal import Decimal

    import pandas as pd

    from insights.export import to_csv

    frame = pd.DataFrame({"project": ["Site"], "logged_hours": [Decimal("12.50")]})
    assert to_csv(frame, decimals_are_money=False).splitlines() == [
        "project,logged_hours",
        "Site,12.50",
    ]


def _per_value_csv(frame: pd.DataFrame) -> str:
    """How to_csv wrote frames before issue 6: every cell through ``_cell``, then pandas."""
    from insights.export import _cell

    cells = pd.DataFrame({c: [_cell(v) for v in frame[c]] for c in frame.columns}, dtype=object)
    return cells.reindex(columns=list(frame.columns)).to_csv(index=False, lineterminator="\n")


def _every_kind_of_column() -> pd.DataFrame:
    from datetime import date, datetime

    import numpy as np

    return pd.DataFrame(
        {
            "currency": ["USD", "EUR", None, "GBP"],
            "amount": pd.Series(
                [Decimal("1E+3"), Decimal("-0.00"), None, Decimal("NaN")], dtype=object
            ),
            "mixed": pd.Series(
                [date(2026, 1, 2), datetime(2026, 1, 2, 3, 4), float("nan"), np.int64(7)],
                dtype=object,
            ),
            "text": pd.Series(['a, "quoted"', "line\nbreak", None, "é"], dtype="str"),
            "id": pd.Series([1, None, 3, 4], dtype="Int64"),
            "flag": pd.Series([True, None, False, True], dtype="boolean"),
            "count": [1, 2, 3, 4],
            "yes": [True, False, True, False],
            "share": [0.5, float("nan"), float("inf"), 1 / 3],
            "day": pd.Series(
                [pd.Timestamp("2026-06-01"), pd.NaT, pd.Timestamp("1970-01-01"), None],
                dtype="datetime64[s]",
            ),
            "at": pd.Series(
                ["2026-06-01 09:30", "1969-12-31 23:59:59", None, "2026-06-01"],
                dtype="datetime64[s]",
            ),
            "precise": pd.Series(
                ["2026-06-01 09:30:00.25", None, "2026-06-01", "2026-06-01 00:00:01"],
                dtype="datetime64[ns]",
            ),
            "aware": pd.Series(
                [pd.Timestamp("2026-06-01 09:30", tz="UTC"), pd.NaT, None, None],
                dtype="datetime64[s, UTC]",
            ),
        }
    )


def test_csv_is_what_formatting_each_cell_gave():
    frame = _every_kind_of_column()
    assert to_csv(frame) == _per_value_csv(frame)
    assert to_csv(frame.iloc[:0]) == _per_value_csv(frame.iloc[:0])
    # Rows taken out of order, as filtered and sorted frames are.
    assert to_csv(frame.iloc[[3, 1]]) == _per_value_csv(frame.iloc[[3, 1]])


def test_csv_of_a_frame_without_columns_is_what_it_was():
    assert to_csv(pd.DataFrame()) == _per_value_csv(pd.DataFrame())
