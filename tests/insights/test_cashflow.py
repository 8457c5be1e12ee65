"""Cash in and out: collected periods, income net of tax, profit and months, per currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from insights.cashflow import (
    collected,
    collection_summary,
    expenses_total,
    income_records,
    monthly_revenue_expenses,
    profit,
)
from insights.frames import build_frames
from insights.periods import last_year_to_date, month_to_date, months_between, same_day_last_year

from ..support.model_builders import TODAY, expense, invoice, line, payment, snapshot

D = Decimal


def test_collected_is_per_currency_and_inclusive(two_currency_frames):
    table = collected(two_currency_frames.payments, date(2026, 6, 2), date(2026, 6, 3))
    assert table.to_dict("records") == [
        {"currency": "EUR", "amount": D("0.00"), "count": 1},
        {"currency": "USD", "amount": D("10.00"), "count": 1},
    ]
    assert collected(two_currency_frames.payments, date(2026, 6, 3), date(2026, 6, 30))[
        "currency"
    ].tolist() == ["EUR"]


def test_collection_summary_compares_with_the_same_span_last_year():
    payments = [
        payment(1, 1, "10.00", "2026-06-15"),  # today: this month and this year
        payment(2, 1, "20.00", "2026-05-31"),  # this year, not this month
        payment(3, 1, "40.00", "2025-06-15"),  # same day last year: counted
        payment(4, 1, "80.00", "2025-06-16"),  # a day later last year: not comparable
        payment(5, 1, "5.00", "2026-06-16"),  # tomorrow: not yet
        payment(6, 1, "7.00", "2026-01-01", currency="EUR"),
    ]
    frames = build_frames(snapshot(payments=payments), TODAY)
    table = collection_summary(frames.payments, TODAY)
    assert table.to_dict("records") == [
        {
            "currency": "EUR",
            "this_month": D(0),
            "this_year": D("7.00"),
            "last_year_to_date": D(0),
            "change": D("7.00"),
        },
        {
            "currency": "USD",
            "this_month": D("10.00"),
            "this_year": D("30.00"),
            "last_year_to_date": D("40.00"),
            "change": D("-10.00"),
        },
    ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2024, 2, 29), date(2023, 2, 28)), (date(2026, 3, 1), date(2025, 3, 1))],
)
def test_same_day_last_year(today, expected):
    assert same_day_last_year(today) == expected
    assert last_year_to_date(today).start == date(expected.year, 1, 1)


def test_periods_and_months():
    assert month_to_date(TODAY).start == date(2026, 6, 1)
    assert TODAY in month_to_date(TODAY)
    assert months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def _taxed_books() -> object:
    # 41.94 = lines 44.00 - discount 4.40 + tax 2.34; paid 20.97 (half) in June.
    taxed = invoice(
        1,
        "41.94",
        created="2026-05-01",
        paid="20.97",
        lines=[line("4", "5.00", tax="13"), line("6", "4.00")],
        discount="-4.40",
    )
    plain = invoice(2, "100.00", created="2026-06-01", lines=[line("1", "100.00")], paid="100.00")
    draft = invoice(3, "50.00", state="draft", lines=[line("1", "50.00")])
    eur = invoice(4, "10.00", currency="EUR", lines=[line("1", "10.00", "EUR")], paid="10.00")
    payments = [
        payment(1, 1, "20.97", "2026-06-02"),
        payment(2, 2, "100.00", "2026-06-03"),
        payment(3, 3, "50.00", "2026-06-03"),  # on a draft: not income
        payment(4, 99, "5.00", "2026-06-03"),  # no such invoice: not income
        payment(5, 4, "10.00", "2026-06-04", currency="EUR"),
    ]
    expenses = [
        expense(1, "12.34", "2026-06-05"),
        expense(2, "1.00", "2026-05-31"),
        expense(3, "3.00", "2026-06-05", currency="EUR"),
    ]
    return build_frames(
        snapshot(invoices=[taxed, plain, draft, eur], payments=payments, expenses=expenses), TODAY
    )


def test_cash_income_excludes_tax_in_proportion_to_the_payment():
    frames = _taxed_books()
    records = income_records(frames.invoices, frames.payments, date(2026, 6, 1), date(2026, 6, 30))
    assert records["record_id"].tolist() == [1, 2, 5]
    assert records["income"].iloc[0] == D("20.97") * (D("39.60") / D("41.94"))
    table = profit(
        frames.invoices, frames.payments, frames.expenses, date(2026, 6, 1), date(2026, 6, 30)
    )
    assert table.to_dict("records") == [
        {
            "currency": "EUR",
            "income": D("10.00"),
            "expenses": D("3.00"),
            "profit": D("7.00"),
            "tax_unknown": 0,
        },
        # 19.80 (half of 39.60) + 100.00 income; 12.34 spent in June (not the May 1.00).
        {
            "currency": "USD",
            "income": D("119.80"),
            "expenses": D("12.34"),
            "profit": D("107.46"),
            "tax_unknown": 0,
        },
    ]


def test_accrual_income_is_invoices_net_of_tax_by_invoice_date():
    frames = _taxed_books()
    table = profit(
        frames.invoices,
        frames.payments,
        frames.expenses,
        date(2026, 5, 1),
        date(2026, 5, 31),
        basis="accrual",
    )
    assert table[["currency", "income", "expenses", "profit"]].values.tolist() == [
        ["EUR", D("10.00"), D("0.00"), D("10.00")],  # invoice 4 dated 2026-05-01 by default
        ["USD", D("39.60"), D("1.00"), D("38.60")],
    ]


def test_unknown_tax_counts_the_payment_in_full_and_says_so():
    frames = build_frames(
        snapshot(
            invoices=[invoice(1, "50.00", paid="50.00")],
            payments=[payment(1, 1, "50.00", "2026-06-01")],
        ),
        TODAY,
    )
    table = profit(frames.invoices, frames.payments, frames.expenses, date(2026, 1, 1), TODAY)
    assert table[["income", "tax_unknown"]].values.tolist() == [[D("50.00"), 1]]


def test_expenses_total_per_currency(two_currency_frames):
    table = expenses_total(two_currency_frames.expenses, date(2026, 1, 1), TODAY)
    assert table.to_dict("records") == [
        {"currency": "EUR", "amount": D("7.50"), "count": 1},
        {"currency": "USD", "amount": D("30.00"), "count": 1},
    ]


def test_monthly_revenue_expenses_is_tidy_with_quiet_months_zero():
    frames = _taxed_books()
    table = monthly_revenue_expenses(
        frames.invoices, frames.payments, frames.expenses, date(2026, 4, 1), date(2026, 6, 30)
    )
    usd = table[table["currency"] == "USD"]
    assert usd[["month", "measure", "amount"]].values.tolist() == [
        [pd.Timestamp("2026-04-01"), "Revenue", D("0")],
        [pd.Timestamp("2026-04-01"), "Expenses", D("0")],
        [pd.Timestamp("2026-05-01"), "Revenue", D("0")],
        [pd.Timestamp("2026-05-01"), "Expenses", D("1.00")],
        [pd.Timestamp("2026-06-01"), "Revenue", D("119.80")],
        [pd.Timestamp("2026-06-01"), "Expenses", D("12.34")],
    ]
    assert sorted(table["currency"].unique()) == ["EUR", "USD"]
    assert all(type(v) is Decimal for v in table["amount"])
