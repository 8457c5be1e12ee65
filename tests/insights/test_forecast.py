"""The cash forecast and its backtest, against figures computed a second way by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from insights.forecast import (
    DEFAULT_HABIT,
    DOUBTFUL_DAYS,
    backtest,
    forecast,
    payment_habits,
    recurring_expenses,
)
from insights.frames import build_frames

from ..support.model_builders import snapshot

TODAY = date(2026, 6, 10)  # a Wednesday: week 1 runs Monday 8 June to Sunday 14 June
D = Decimal


def ts(value: date | None) -> pd.Timestamp:
    return pd.Timestamp(value) if value is not None else pd.NaT


def invoices(rows: list[dict]) -> pd.DataFrame:
    base = {"client": "", "currency": "USD", "is_draft": False}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    for column in ("create_date", "due_date"):
        frame[column] = frame[column].map(ts).astype("datetime64[s]")
    frame["number"] = frame["invoice_id"].astype(str)
    return frame


def payments(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["invoice_id", "currency", "amount", "date"])
    frame["date"] = frame["date"].map(ts).astype("datetime64[s]")
    return frame


def expenses(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "currency", "amount", "vendor", "category"])
    frame["date"] = frame["date"].map(ts).astype("datetime64[s]")
    frame["archived"] = False
    return frame


def history() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Client 1 always pays 5 days after the due date (three paid invoices); client 2 has no
    history. Open: one of each, and one long past due."""
    rows, paid = [], []
    for n, due in enumerate((date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 31)), start=1):
        rows.append(
            {
                "invoice_id": n,
                "client_id": 1,
                "client": "Acme",
                "amount": D("100.00"),
                "outstanding": D("0"),
                "create_date": due - timedelta(30),
                "due_date": due,
            }
        )
        paid.append(
            {"invoice_id": n, "currency": "USD", "amount": D("100.00"), "date": due + timedelta(5)}
        )
    rows += [
        {
            "invoice_id": 10,
            "client_id": 1,
            "client": "Acme",
            "amount": D("250.00"),
            "outstanding": D("250.00"),
            "create_date": date(2026, 5, 12),
            "due_date": date(2026, 6, 11),
        },
        {
            "invoice_id": 11,
            "client_id": 2,
            "client": "Birch",
            "amount": D("80.00"),
            "outstanding": D("80.00"),
            "create_date": date(2026, 5, 20),
            "due_date": date(2026, 6, 19),
        },
        {
            "invoice_id": 12,
            "client_id": 2,
            "client": "Birch",
            "amount": D("999.00"),
            "outstanding": D("999.00"),
            "create_date": date(2025, 12, 1),
            "due_date": TODAY - timedelta(DOUBTFUL_DAYS + 1),
        },
        {
            "invoice_id": 13,
            "client_id": 1,
            "client": "Acme",
            "amount": D("40.00"),
            "outstanding": D("40.00"),
            "create_date": date(2026, 6, 1),
            "due_date": date(2026, 6, 5),
            "is_draft": True,
        },
    ]
    return invoices(rows), payments(paid)


def test_a_client_with_history_is_expected_on_their_habit_one_without_on_the_default():
    inv, pay = history()
    habits, default = payment_habits(inv, pay, TODAY)
    assert habits[1].typical == 5
    assert 2 not in habits
    # Three paid invoices in all: enough for a business-wide habit, the default of client 2.
    assert (default.typical, default.paid) == (5, 0)
    no_history, _ = payment_habits(inv, pay.iloc[:0], TODAY)
    assert no_history == {}
    assert payment_habits(inv, pay.iloc[:0], TODAY)[1] == DEFAULT_HABIT


def test_week_one_holds_exactly_the_invoices_expected_in_it():
    inv, pay = history()
    result = forecast(inv, pay, expenses([]), as_of=TODAY, today=TODAY)
    first = result.weeks.iloc[0]
    assert first["week"] == pd.Timestamp(2026, 6, 8)
    # By hand: invoice 10 is due 11 June, Acme pays 5 days late → 16 June (week 2). Nothing
    # else is expected in week 1: invoice 11 is due 19 June (+5 days, the business's habit →
    # 24 June, week 3), invoice 12 is doubtful, invoice 13 is a draft.
    assert first["in_expected"] == D("0")
    second = result.weeks.iloc[1]
    assert second["in_expected"] == D("250.00")
    third = result.weeks.iloc[2]
    assert third["in_expected"] == D("80.00")
    assert list(result.doubtful["invoice_id"]) == [12]
    behind = result.records[result.records["week"] == pd.Timestamp(2026, 6, 15)]
    assert list(behind["ref"]) == ["invoice 10"]


def test_every_open_invoice_is_counted_once_and_ranges_hold_the_expected_figure():
    inv, pay = history()
    result = forecast(inv, pay, expenses([]), as_of=TODAY, today=TODAY)
    counted = sorted(result.records["ref"])
    assert counted == ["invoice 10", "invoice 11"]
    weeks = result.weeks
    assert all(
        lo <= ex <= hi
        for lo, ex, hi in zip(weeks["in_low"], weeks["in_expected"], weeks["in_high"], strict=True)
    )
    assert sum(weeks["in_expected"], D(0)) == D("330.00")


def test_an_invoice_later_than_its_clients_habit_is_expected_soon_not_in_the_past():
    inv, pay = history()
    late = forecast(inv, pay, expenses([]), as_of=date(2026, 6, 30), today=date(2026, 6, 30))
    row = late.records[late.records["ref"] == "invoice 10"].iloc[0]
    assert row["early"] >= pd.Timestamp(2026, 6, 30)
    assert row["expected"] >= row["early"]


def test_currencies_are_never_added_together():
    inv, pay = history()
    inv.loc[inv["invoice_id"] == 11, "currency"] = "EUR"
    result = forecast(inv, pay, expenses([]), as_of=TODAY, today=TODAY)
    assert set(result.weeks["currency"]) == {"EUR", "USD"}
    eur = result.weeks[result.weeks["currency"] == "EUR"]
    assert sum(eur["in_expected"], D(0)) == D("80.00")


def test_a_monthly_expense_recurs_an_irregular_one_does_not():
    rows = [
        {
            "date": date(2026, m, 3),
            "currency": "USD",
            "amount": D("49.00"),
            "vendor": "Adobe",
            "category": "Software",
        }
        for m in (2, 3, 4, 5, 6)
    ] + [
        {
            "date": d,
            "currency": "USD",
            "amount": D("300"),
            "vendor": "Airline",
            "category": "Travel",
        }
        for d in (date(2026, 1, 9), date(2026, 4, 22), date(2026, 5, 1))
    ]
    expected = recurring_expenses(expenses(rows), TODAY, TODAY + timedelta(weeks=13))
    assert set(expected["party"]) == {"Adobe"}
    assert list(expected["date"]) == [date(2026, 7, 3), date(2026, 8, 2), date(2026, 9, 1)]
    assert set(expected["amount"]) == {D("49.00")}


def test_the_backtest_compares_with_what_came_in_using_only_what_was_known():
    inv, pay = history()
    result = backtest(inv, pay, expenses([]), today=TODAY, currency="USD", horizon=28, windows=6)
    assert len(result.points) == 6
    for point in result.points.itertuples():
        came = pay[
            (pay["date"] >= point.as_of) & (pay["date"] < point.as_of + pd.Timedelta(days=28))
        ]
        assert point.actual == sum(came["amount"], D(0))
    assert result.error is not None
    assert "4-week forecast" in result.sentence()


@pytest.mark.parametrize("weeks", [1, 13])
def test_the_forecast_has_a_row_per_week_and_currency(weeks):
    inv, pay = history()
    result = forecast(inv, pay, expenses([]), as_of=TODAY, today=TODAY, weeks=weeks)
    assert len(result.weeks) == weeks


def test_invoices_recurring_profiles_will_issue_are_expected_after_their_terms():
    inv, pay = history()

    def scheduled(start, until):
        rows = [
            {
                "issue": date(2026, 6, 20),
                "due_days": 10,
                "client_id": 1,
                "client": "Acme",
                "currency": "USD",
                "amount": D("500.00"),
                "ref": "recurring invoice 9",
            },
            {
                "issue": until + timedelta(1),
                "due_days": 0,
                "client_id": 1,
                "client": "Acme",
                "currency": "USD",
                "amount": D("1.00"),
                "ref": "too late",
            },
        ]
        return pd.DataFrame([r for r in rows if start <= r["issue"] < until])

    result = forecast(inv, pay, expenses([]), as_of=TODAY, today=TODAY, scheduled=scheduled)
    row = result.records[result.records["kind"] == "recurring invoice"].iloc[0]
    # Issued 20 June, due 10 days later (30 June), Acme pays 5 days after: 5 July.
    assert row["expected"] == pd.Timestamp(2026, 7, 5)
    assert row["amount"] == D("500.00")
    assert "too late" not in set(result.records["ref"])


def test_books_with_nothing_open_forecast_nothing():
    """No invoice at all, or every one paid: empty weeks and records, no error."""
    empty = build_frames(snapshot(), TODAY)
    nothing = forecast(empty.invoices, empty.payments, empty.expenses, as_of=TODAY, today=TODAY)
    assert nothing.weeks.empty
    assert nothing.records.empty
    assert nothing.doubtful.empty
    tested = backtest(empty.invoices, empty.payments, empty.expenses, today=TODAY, currency="USD")
    assert tested.error is None
    inv, pay = history()
    inv["outstanding"] = D("0")
    paid = forecast(inv, pay, expenses([]), as_of=TODAY, today=TODAY)
    assert paid.records.empty
    assert (
        "Not enough history"
        in backtest(inv, pay.iloc[:0], expenses([]), today=TODAY, currency="USD").sentence()
    )
