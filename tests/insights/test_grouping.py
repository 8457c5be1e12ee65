"""The one-pass grouping helpers of ``insights._money`` agree with pandas' groupby."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from insights._money import count_by, dsum, dsum_by, group_codes, int_sum_by


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "currency": pd.array(["USD", "CAD", None, "USD", "CAD"], dtype="str"),
            "client_id": pd.array([2, 1, 3, None, 1], dtype="Int64"),
            "amount": pd.Series(
                [Decimal("1.10"), Decimal("2.205"), Decimal("3"), None, Decimal("0.1")],
                dtype=object,
            ),
            "seconds": [60, 120, 30, 15, 45],
        }
    )


def test_group_codes_follow_groupby_order_and_keys() -> None:
    frame = _frame()
    codes, names = group_codes(frame, ["currency", "client_id"])
    expected = list(frame.groupby(["currency", "client_id"], sort=True, dropna=False))
    assert names == [key for key, _ in expected]
    for n, (_, part) in enumerate(expected):
        assert list(np.flatnonzero(codes == n)) == list(part.index)


def test_group_codes_single_key_gives_tuples_and_minus_one_for_dropped() -> None:
    codes, names = group_codes(_frame(), ["currency"], dropna=True)
    assert names == [("CAD",), ("USD",)]
    assert codes.tolist() == [1, 0, -1, 1, 0]


def test_sums_and_counts_match_per_group_dsum() -> None:
    frame = _frame()
    codes, names = group_codes(frame, ["currency"])
    sums = dsum_by(codes, frame["amount"].to_numpy(dtype=object), len(names))
    expected = [dsum(part["amount"]) for _, part in frame.groupby(["currency"], dropna=False)]
    assert sums == expected
    assert [str(s) for s in sums] == [str(e) for e in expected]  # same exponent too
    assert count_by(codes, len(names)) == [2, 2, 1]
    assert int_sum_by(codes, frame["seconds"].to_numpy(), len(names)) == [165, 75, 30]


def test_skipped_rows_count_nowhere() -> None:
    codes = np.array([0, -1, 1, -1])
    assert dsum_by(codes, [Decimal(1), Decimal(2), Decimal(3), Decimal(4)], 2) == [1, 3]
    assert count_by(codes, 3) == [1, 1, 0]
    assert int_sum_by(codes, np.array([5, 6, 7, 8]), 2) == [5, 7]
