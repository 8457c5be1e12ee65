"""Frames: columns, exact money, deleted records out, archived in, local days and weeks."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest

from insights.frames import (
    INVOICE_COLUMNS,
    TIME_COLUMNS,
    build_frames,
    home_currency,
    invoice_net_amount,
    lines_frame,
)

from ..support.model_builders import (
    TODAY,
    category,
    client,
    entry,
    expense,
    invoice,
    line,
    payment,
    project,
    service,
    service_rate,
    snapshot,
)


def test_invoice_money_is_decimal_objects_never_float(two_currency_frames):
    frame = two_currency_frames.invoices
    assert list(frame.columns) == list(INVOICE_COLUMNS)
    for column in ("amount", "paid", "outstanding"):
        assert frame[column].dtype == object
        assert all(type(v) is Decimal for v in frame[column])
    row = frame.set_index("invoice_id").loc[3]
    assert (row["amount"], row["paid"], row["outstanding"]) == (
        Decimal("40.00"),
        Decimal("10.00"),
        Decimal("30.00"),
    )


def test_deleted_records_are_left_out_and_archived_kept():
    snap = snapshot(
        clients=[client(1, "Acme"), client(2, "Gone", vis_state=1)],
        invoices=[invoice(1), invoice(2, vis_state=1), invoice(3, vis_state=2)],
        payments=[payment(1, 1, "5", "2026-05-02"), payment(2, 1, "6", "2026-05-03", vis_state=1)],
        expenses=[expense(1, "1", "2026-05-01"), expense(2, "2", "2026-05-01", vis_state=1)],
    )
    frames = build_frames(snap, TODAY)
    assert frames.invoices["invoice_id"].tolist() == [1, 3]
    assert frames.invoices["archived"].tolist() == [False, True]
    assert frames.payments["payment_id"].tolist() == [1]
    assert frames.expenses["expense_id"].tolist() == [1]
    assert frames.clients["client_id"].tolist() == [1]


@pytest.mark.parametrize(
    ("kwargs", "status", "overdue", "days"),
    [
        ({"state": "draft", "due": "2026-01-01"}, "Draft", False, 0),
        ({"due": "2026-06-15"}, "Sent", False, 0),  # due today is not late
        ({"due": "2026-06-14"}, "Overdue", True, 1),
        ({"due": "2026-06-14", "paid": "100.00", "date_paid": "2026-06-01"}, "Paid", False, 0),
        ({"due": "2026-07-01", "paid": "20.00"}, "Partial", False, 0),
        ({"due": "2026-03-17", "paid": "20.00"}, "Overdue", True, 90),
        ({"due": "2026-07-01", "state": "viewed"}, "Viewed", False, 0),
    ],
)
def test_status_label_and_days_overdue(kwargs, status, overdue, days):
    frames = build_frames(snapshot(invoices=[invoice(1, **kwargs)]), TODAY)
    row = frames.invoices.iloc[0]
    assert (row["status"], bool(row["is_overdue"]), int(row["days_overdue"])) == (
        status,
        overdue,
        days,
    )


def test_net_amount_comes_from_lines_and_discount():
    taxed = invoice(
        1,
        "41.94",
        lines=[line("4", "5.00", tax="13"), line("6", "4.00")],
        discount="-4.40",
    )
    assert invoice_net_amount(taxed) == Decimal("39.60")  # 20 + 24 - 4.40; tax 2.34 excluded
    assert invoice_net_amount(invoice(2, "10.00")) is None  # lines not fetched: unknown
    assert invoice_net_amount(invoice(3, "0")) == Decimal("0")
    frame = build_frames(snapshot(invoices=[taxed]), TODAY).invoices
    assert frame.loc[0, "tax"] == Decimal("2.34")


def test_lines_frame_lists_an_invoice_lines():
    lines = lines_frame(invoice(1, "24.00", lines=[line("2", "12.00", tax="20")]))
    assert lines[["line", "name", "qty", "amount", "currency", "tax_1"]].to_dict("records") == [
        {
            "line": 1,
            "name": "Work",
            "qty": Decimal("2"),
            "amount": Decimal("24.00"),
            "currency": "USD",
            "tax_1": "VAT",
        }
    ]
    assert lines_frame(invoice(2)).empty


def test_expense_category_and_parent_are_resolved():
    snap = snapshot(
        expense_categories=[category(1, "Travel"), category(2, "Airfare", parent=1)],
        expenses=[
            expense(1, "300", "2026-05-01", category_id=2),
            expense(2, "20", "2026-05-02", category_id=1),
            expense(3, "5", "2026-05-03", category_id=99),
        ],
    )
    frame = build_frames(snap, TODAY).expenses
    assert frame[["category", "parent_category"]].values.tolist() == [
        ["Airfare", "Travel"],
        ["Travel", "Travel"],
        ["Uncategorized", "Uncategorized"],
    ]


def test_time_entries_take_the_business_day_and_monday_week():
    # 03:30 UTC on Monday 8 June is still Sunday 7 June in New York.
    snap = snapshot(
        time_entries=[
            entry(1, datetime(2026, 6, 8, 3, 30, tzinfo=UTC), 1800),
            entry(2, datetime(2026, 6, 8, 4, 30, tzinfo=UTC), 1800),
        ]
    )
    frame = build_frames(snap, TODAY).time
    assert list(frame.columns) == list(TIME_COLUMNS)
    assert frame["date"].tolist() == [pd.Timestamp("2026-06-07"), pd.Timestamp("2026-06-08")]
    assert frame["week"].tolist() == [pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-08")]
    assert frame["started_at"].iloc[0] == pd.Timestamp("2026-06-07 23:30")


def test_time_without_a_business_timezone_is_utc():
    snap = snapshot(
        timezone=None, time_entries=[entry(1, datetime(2026, 6, 8, 3, 30, tzinfo=UTC), 60)]
    )
    assert build_frames(snap, TODAY).time["date"].tolist() == [pd.Timestamp("2026-06-08")]


def test_deleted_and_running_time_entries_are_left_out():
    running = entry(3, datetime(2026, 6, 1, tzinfo=UTC), 0).model_copy(update={"duration": None})
    snap = snapshot(
        time_entries=[
            entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 60),
            entry(2, datetime(2026, 6, 1, 15, tzinfo=UTC), 60, active=False),
            running,
        ]
    )
    assert build_frames(snap, TODAY).time["entry_id"].tolist() == [1]


def test_time_value_rate_and_currency():
    snap = snapshot(
        clients=[client(1, "Acme", "CAD")],
        projects=[project(7, rate="150")],
        services=[service(3, "Design")],
        service_rates=[service_rate(3, "90")],
        time_entries=[
            entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 5400, project_id=7, service_id=3),
            entry(2, datetime(2026, 6, 1, 15, tzinfo=UTC), 5400, project_id=7, billable=False),
        ],
    )
    frame = build_frames(snap, TODAY).time
    first = frame.iloc[0]
    assert (first["rate"], first["rate_source"], first["value"]) == (
        Decimal("150"),
        "project rate",
        Decimal("225.00"),
    )
    assert (first["currency"], first["client"], first["service"], first["project"]) == (
        "CAD",
        "Acme",
        "Design",
        "Project 7",
    )
    assert first["hours"] == Decimal("1.5")
    assert frame.iloc[1]["value"] is None  # non-billable time has no billing value


def test_home_currency_is_the_most_common_invoice_currency():
    assert home_currency([invoice(1, currency="EUR"), invoice(2), invoice(3)]) == "USD"
    assert home_currency([], [client(1, "A", "GBP")]) == "GBP"
    assert home_currency([]) is None
    assert home_currency([invoice(1, currency="EUR"), invoice(2)]) == "EUR"  # tie: first by code


def test_home_currency_is_read_from_the_newest_invoices():
    # 150 older invoices in EUR, then 100 newer in USD: the business bills in USD now, and a
    # live read of the newest pages agrees with the whole mirror.
    older = [invoice(n, currency="EUR", created="2025-01-10") for n in range(1, 151)]
    newer = [invoice(n, created="2026-03-01") for n in range(151, 251)]
    assert home_currency(older + newer) == "USD"
    assert home_currency(older) == "EUR"
    assert build_frames(snapshot(invoices=older + newer), TODAY).home_currency == "USD"


def test_empty_snapshot_gives_empty_frames_with_columns():
    frames = build_frames(snapshot(), TODAY)
    for name in ("invoices", "payments", "expenses", "time", "clients", "projects"):
        frame = getattr(frames, name)
        assert frame.empty, name
        assert len(frame.columns) > 3, name
    assert frames.home_currency is None
    assert frames.timezone == "America/New_York"
