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
