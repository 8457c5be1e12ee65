"""Tables now computed once for every currency (or in one pass over the rows) are exactly the
tables filtering each currency or group gave: same rows, order, index, dtypes and digits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from fbclient.models.projects import Project
from insights._columns import Codes, columns_frame, exact_key, factorize, ints
from insights._money import dsum
from insights.frames import build_frames
from insights.kpis import overview, profit_ledger
from insights.labels import invoice_labels
from insights.receivables import (
    AGING_BUCKETS,
    aging_buckets,
    aging_detail,
    open_invoices,
    overdue_invoices,
    receivables_summary,
)

from ..support.model_builders import (
    TODAY,
    client,
    entry,
    expense,
    invoice,
    line,
    payment,
    project,
    snapshot,
)
from ..support.per_row_frames import assert_same_frame


def _books():
    """USD and EUR with income and expenses this year; GBP in use only through unbilled time
    (an empty ledger); invoices of every age, drafts, and one without a currency of its own."""
    return build_frames(
        snapshot(
            clients=[client(1, "Acme", "USD"), client(2, "Bureau", "EUR"), client(3, "Ltd", "GBP")],
            invoices=[
                invoice(
                    1, "100.00", created="2026-05-01", due="2026-05-31", lines=[line("1", "100.00")]
                ),
                invoice(
                    2,
                    "120.00",
                    created="2026-06-01",
                    paid="120.00",
                    lines=[line("1", "100.00", tax="20")],
                ),
                invoice(3, "80.00", created="2025-03-01", due="2025-03-01"),
                invoice(4, "60.00", currency="EUR", client_id=2, due="2026-06-30"),
                invoice(5, "70.00", currency="EUR", client_id=2, due="2026-01-30", paid="20.00"),
                invoice(6, "500.00", state="draft"),
                invoice(7, "40.00", due="2026-06-14"),
                invoice(8, "40.00", due="2026-06-15"),
            ],
            payments=[
                payment(1, 2, "120.00", "2026-06-10"),
                payment(2, 5, "20.00", "2026-02-05", currency="EUR", client_id=2),
                payment(3, 3, "5.00", "2025-03-05"),
            ],
            expenses=[
                expense(1, "25.00", "2026-02-01"),
                expense(2, "9.00", "2026-03-01", currency="EUR"),
                expense(3, "9.00", "2025-12-31"),
            ],
            projects=[project(7, client_id=3, rate="100")],
            time_entries=[entry(1, pd.Timestamp("2026-06-01 10:00", tz="UTC"), 3600, project_id=7)],
        ),
        TODAY,
    )


def test_each_currency_ledger_is_the_one_built_for_it_alone():
    frames = _books()
    views = overview(frames)
    assert [v.currency for v in views] == ["USD", "EUR", "GBP"]
    for view in views:
        alone = profit_ledger(frames, view.currency, date(TODAY.year, 1, 1), TODAY)
        assert_same_frame(view["profit_year"].records, alone)
    assert views[2]["profit_year"].records.empty  # GBP: only unbilled time


def _summary_per_currency(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    # receivables_summary before issue 6: a filter per currency.
    found, late = open_invoices(invoices), overdue_invoices(invoices, today)
    rows = []
    for currency in sorted(found["currency"].dropna().unique()):
        mine, overdue = found[found["currency"] == currency], late[late["currency"] == currency]
        rows.append(
            {
                "currency": currency,
                "outstanding": dsum(mine["outstanding"]),
                "open_count": len(mine),
                "overdue": dsum(overdue["outstanding"]),
                "overdue_count": len(overdue),
            }
        )
    return pd.DataFrame(
        rows, columns=["currency", "outstanding", "open_count", "overdue", "overdue_count"]
    )


def _buckets_per_currency(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    # aging_buckets before issue 6: a filter per currency and bucket.
    detail = aging_detail(invoices, today)
    rows = []
    for currency in sorted(detail["currency"].dropna().unique()):
        mine = detail[detail["currency"] == currency]
        for bucket in AGING_BUCKETS:
            part = mine[mine["bucket"] == bucket]
            rows.append(
                {
                    "currency": currency,
                    "bucket": bucket,
                    "amount": dsum(part["outstanding"]),
                    "count": len(part),
                }
            )
    return pd.DataFrame(rows, columns=["currency", "bucket", "amount", "count"])


@pytest.mark.parametrize("today", [TODAY, date(2026, 7, 1), date(2027, 1, 1)])
def test_receivables_tables_are_the_per_currency_ones(today):
    invoices = _books().invoices
    assert_same_frame(receivables_summary(invoices, today), _summary_per_currency(invoices, today))
    assert_same_frame(aging_buckets(invoices, today), _buckets_per_currency(invoices, today))
    nothing = invoices.iloc[:0]
    assert_same_frame(receivables_summary(nothing, today), _summary_per_currency(nothing, today))
    assert_same_frame(aging_buckets(nothing, today), _buckets_per_currency(nothing, today))


def test_aging_labels_match_aging_bucket():
    detail = aging_detail(_books().invoices, date(2026, 9, 1))
    assert detail["bucket"].dtype == "str"
    assert detail["bucket"].tolist() == [
        "Not due"
        if d <= 0
        else "1-30"
        if d <= 30
        else "31-60"
        if d <= 60
        else "61-90"
        if d <= 90
        else "91+"
        for d in detail["days_past_due"]
    ]


def test_invoice_labels_are_what_the_picker_formatted_one_by_one():
    choices = _books().invoices.sort_values("create_date", ascending=False)
    choices = pd.concat([choices, choices.iloc[[0]].assign(client=None, number="dup")])

    def one_by_one(invoice_id: object) -> str:  # pages/invoices.py's format_func
        row = choices.loc[choices["invoice_id"] == invoice_id, ["number", "client", "status"]]
        return " · ".join(str(v) for v in row.iloc[0])

    labels = invoice_labels(choices)
    assert labels == {i: one_by_one(i) for i in choices["invoice_id"].tolist()}
    assert labels[1] == "0001 · Acme · Overdue"


def test_columns_take_the_schema_types_as_astype_gives_them():
    schema = {"id": "Int64", "name": "str", "when": "datetime64[s]", "ok": "bool", "money": object}
    columns = {
        "id": [1, None, 3],
        "name": ["a", None, 5],  # not all text: astype's own conversion
        "when": [date(2026, 1, 1), None, date(1969, 12, 31)],
        "ok": [True, False, None],
        "money": [Decimal("1.10"), None, Decimal("-0")],
    }
    expected = pd.DataFrame(
        {name: pd.Series(values, dtype=object) for name, values in columns.items()}
    ).astype(schema)
    assert_same_frame(columns_frame(columns, schema), expected)
    empty = {name: [] for name in schema}
    assert_same_frame(
        columns_frame(empty, schema),
        pd.DataFrame({n: pd.Series([], dtype=object) for n in schema}).astype(schema),
    )
    assert ints([5, 6]).tolist() == [5, 6]
    assert ints([None]).isna().all()


def test_codes_spread_keys_over_rows():
    codes, keys = factorize([30, None, 10, 30])
    assert keys == [30, 10]
    assert codes.codes.tolist() == [0, -1, 1, 0]
    assert codes.ints(keys).tolist() == [30, pd.NA, 10, 30]
    named = codes.text(["thirty", "ten"], "none")
    assert named.dtype == "str"
    assert named.tolist() == ["thirty", "none", "ten", "thirty"]
    unnamed = codes.text(["thirty", None])
    assert unnamed.isna().tolist() == [False, True, True, False]
    # Not text: converted as astype("str") converts (and missing stays missing).
    numbers = codes.text([3, 1])
    assert numbers.dtype == "str"
    assert numbers.fillna("-").tolist() == ["3", "-", "1", "3"]
    # Objects NumPy could unpack (a model is iterable) stay whole.
    model = Project.model_validate({"id": 1, "title": "P"})
    assert Codes(codes.codes, 2).spread([model, None])[0] is model


def test_exact_key_tells_equal_decimals_apart():
    assert exact_key(Decimal("100")) != exact_key(Decimal("100.00"))
    assert exact_key(Decimal("-0")) != exact_key(Decimal("0"))
    assert exact_key(None) is None
