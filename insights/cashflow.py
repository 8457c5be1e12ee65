"""Money in and out: payments collected, income, expenses and profit, per currency.

Definitions follow FreshBooks' reports (as the sandbox implements them):

- **Collected** (``payments_collected``): every payment dated in the period, its full
  amount (taxes included), in the payment's currency.
- **Income** (profit and loss): revenue **excluding the taxes collected**. On the cash basis
  each payment counts as ``payment x net / amount`` of its invoice (``net`` = the invoice's
  lines plus discount, i.e. before tax), on the day it was paid; payments on drafts or on
  invoices not in the books are not income. On the accrual basis each sent invoice counts
  its ``net`` on its invoice date. When an invoice's lines were not fetched its tax is
  unknown: its payments count in full and ``tax_unknown`` says how many did.
- **Expenses**: every expense dated in the period, full amount.
- **Profit** = income - expenses, per currency; never across currencies.

Sums are exact Decimals, rounded half-up to the cent once, at the total (as the report does).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._money import (
    ZERO,
    between,
    cents,
    day,
    dsum,
    dsum_by,
    group_codes,
    money_by,
    month_start,
)
from .periods import last_year_to_date, month_to_date, months_between, year_to_date

__all__ = [
    "Basis",
    "collected",
    "collection_summary",
    "expenses_total",
    "income_records",
    "monthly_revenue_expenses",
    "payments_in",
    "profit",
]

Basis = Literal["cash", "accrual"]
MEASURES = ("Revenue", "Expenses")


def payments_in(payments: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """The payments dated ``start``..``end`` (inclusive), oldest first."""
    found = payments[between(payments["date"], start, end)]
    return found.sort_values(["date", "payment_id"])


def collected(payments: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """Per currency: ``amount`` collected and payment ``count`` between two dates."""
    return money_by(payments_in(payments, start, end), ["currency"], ["amount"])


def collection_summary(payments: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per currency: collected ``this_month``, ``this_year`` and ``last_year_to_date``.

    ``last_year_to_date`` covers 1 January last year to the same day last year, so it is
    comparable with ``this_year``; ``change`` is ``this_year - last_year_to_date``.
    """
    columns = ["currency", "this_month", "this_year", "last_year_to_date", "change"]
    periods = {
        "this_month": month_to_date(today),
        "this_year": year_to_date(today),
        "last_year_to_date": last_year_to_date(today),
    }
    sums = {
        name: dict(zip(t["currency"], t["amount"], strict=True))
        for name, p in periods.items()
        for t in [collected(payments, p.start, p.end)]
    }
    currencies = sorted({c for found in sums.values() for c in found})
    rows = []
    for currency in currencies:
        row: dict[str, object] = {"currency": currency}
        for name in periods:
            row[name] = sums[name].get(currency, ZERO)
        row["change"] = row["this_year"] - row["last_year_to_date"]  # type: ignore[operator]  # both Decimals; row holds objects
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _net_share(amount: Decimal, net: Decimal | None) -> Decimal:
    if net is None or amount == ZERO:
        return Decimal(1)
    return net / amount


def _values(column: pd.Series) -> list[Any]:
    # Plain Python objects, as ``itertuples`` gives them (NaN for missing text).
    return column.to_numpy(dtype=object).tolist()  # type: ignore[no-any-return]  # pandas has no stubs


def _cash_income(sent: pd.DataFrame, paid: pd.DataFrame) -> dict[str, Any]:
    """Columns of :func:`income_records` for ``paid`` (in order) against the ``sent`` invoices.

    One lookup of every payment's invoice (the last row wins for a repeated id, as a dict
    would), then a single pass computing each payment's share; payments without an invoice
    in ``sent`` are dropped.
    """
    ids = sent["invoice_id"]
    last = ~ids.duplicated(keep="last") & ids.notna()
    books = sent[last]
    position = pd.Index(books["invoice_id"].to_numpy(dtype="float64")).get_indexer(
        paid["invoice_id"].to_numpy(dtype="float64", na_value=np.nan)
    )
    found = position >= 0
    paid, position = paid[found], position[found]
    matched = books.iloc[position]
    gross = _values(paid["amount"])
    amounts = _values(matched["amount"])
    nets = _values(matched["net_amount"])
    return {
        "kind": ["payment"] * len(paid),
        # Typed columns pass as they are (income_records casts them to what they are).
        "record_id": paid["payment_id"].array,
        "invoice_id": paid["invoice_id"].array,
        "client": matched["client"].array,
        # The report files a payment under its invoice's currency.
        "currency": matched["currency"].array,
        "date": paid["date"].to_numpy(),
        "gross": gross,
        "income": [
            pay * _net_share(amount, net)
            for pay, amount, net in zip(gross, amounts, nets, strict=True)
        ],
        "tax_known": [net is not None for net in nets],
    }


def _accrual_income(invoiced: pd.DataFrame) -> dict[str, Any]:
    """Columns of :func:`income_records` for the sent invoices ``invoiced``, in order."""
    gross = _values(invoiced["amount"])
    nets = _values(invoiced["net_amount"])
    return {
        "kind": ["invoice"] * len(invoiced),
        "record_id": invoiced["invoice_id"].array,
        "invoice_id": invoiced["invoice_id"].array,
        "client": invoiced["client"].array,
        "currency": invoiced["currency"].array,
        "date": invoiced["create_date"].to_numpy(),
        "gross": gross,
        "income": [
            net if net is not None else amount for net, amount in zip(nets, gross, strict=True)
        ],
        "tax_known": [net is not None for net in nets],
    }


def income_records(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    start: date | None,
    end: date | None,
    basis: Basis = "cash",
) -> pd.DataFrame:
    """The records behind income: payments (cash) or invoices (accrual) with ``income``.

    Columns: ``kind`` ("payment" / "invoice"), ``record_id``, ``invoice_id``, ``client``,
    ``currency``, ``date``, ``gross`` (taxes included), ``income`` (taxes excluded, exact,
    not rounded) and ``tax_known``.
    """
    columns = [
        "kind",
        "record_id",
        "invoice_id",
        "client",
        "currency",
        "date",
        "gross",
        "income",
        "tax_known",
    ]
    # Only the columns read below are filtered and sorted (the others would be copied for
    # nothing); the rows and their order are the same.
    read = ["invoice_id", "client", "currency", "amount", "net_amount", "create_date"]
    sent = invoices.loc[~invoices["is_draft"], read]
    if basis == "cash":
        paid = payments[["payment_id", "invoice_id", "amount", "date"]]
        data = _cash_income(sent, payments_in(paid, start, end))
    else:
        data = _accrual_income(sent[between(sent["create_date"], start, end)])
    frame = pd.DataFrame(data, columns=columns)
    return frame.astype(
        {
            "kind": "str",
            "record_id": "Int64",
            "invoice_id": "Int64",
            "client": "str",
            "currency": "str",
            "date": "datetime64[s]",
            "gross": object,
            "income": object,
            "tax_known": "bool",
        }
    )


def expenses_total(expenses: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """Per currency: ``amount`` spent and expense ``count`` between two dates."""
    return money_by(expenses[between(expenses["date"], start, end)], ["currency"], ["amount"])


def profit(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    expenses: pd.DataFrame,
    start: date | None,
    end: date | None,
    basis: Basis = "cash",
) -> pd.DataFrame:
    """Per currency: ``income``, ``expenses``, ``profit`` (to the cent) and ``tax_unknown``.

    Matches FreshBooks' profit and loss ``total_income``, ``total_expenses`` and
    ``net_profit`` for the same period, basis and currency.
    """
    columns = ["currency", "income", "expenses", "profit", "tax_unknown"]
    income = income_records(invoices, payments, start, end, basis)
    spent = expenses[between(expenses["date"], start, end)]
    currencies = sorted(set(income["currency"].dropna()) | set(spent["currency"].dropna()))
    rows = []
    for currency in currencies:
        mine = income[income["currency"] == currency]
        earned = dsum(mine["income"])
        cost = dsum(spent.loc[spent["currency"] == currency, "amount"])
        rows.append(
            {
                "currency": currency,
                "income": cents(earned),
                "expenses": cents(cost),
                "profit": cents(earned - cost),
                "tax_unknown": int((~mine["tax_known"]).sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def monthly_revenue_expenses(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    expenses: pd.DataFrame,
    start: date,
    end: date,
    basis: Basis = "cash",
) -> pd.DataFrame:
    """Tidy ``currency, month, measure, amount`` for a revenue-against-expenses chart.

    ``measure`` is "Revenue" (income as in :func:`profit`) or "Expenses"; every month from
    ``start`` to ``end`` appears for every currency with any activity, zero when quiet.
    ``month`` is the month's first day; amounts are Decimal, rounded to the cent.
    """
    columns = ["currency", "month", "measure", "amount"]
    income = income_records(invoices, payments, start, end, basis)
    income = income.assign(month=month_start(income["date"]))
    spent = expenses[between(expenses["date"], start, end)]
    spent = spent.assign(month=month_start(spent["date"]))
    sources = {"Revenue": (income, "income"), "Expenses": (spent, "amount")}
    sums: dict[tuple[str, str, pd.Timestamp], Decimal] = {}
    for measure, (frame, column) in sources.items():
        codes, names = group_codes(frame, ["currency", "month"], dropna=True)
        totals = dsum_by(codes, frame[column].to_numpy(dtype=object), len(names))
        for (currency, month), total in zip(names, totals, strict=True):
            sums[(currency, measure, month)] = total
    currencies = sorted({key[0] for key in sums})
    rows = [
        {
            "currency": currency,
            "month": day(month),
            "measure": measure,
            "amount": cents(sums.get((currency, measure, day(month)), ZERO)),
        }
        for currency in currencies
        for month in months_between(start, end)
        for measure in MEASURES
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"currency": "str", "month": "datetime64[s]", "measure": "str"})
