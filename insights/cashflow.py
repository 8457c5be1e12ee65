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
from typing import Literal

import pandas as pd

from ._money import ZERO, between, cents, day, dsum, money_by, month_start
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
        row["change"] = row["this_year"] - row["last_year_to_date"]  # type: ignore[operator]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _net_share(amount: Decimal, net: Decimal | None) -> Decimal:
    if net is None or amount == ZERO:
        return Decimal(1)
    return net / amount


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
    sent = invoices[~invoices["is_draft"]]
    rows = []
    if basis == "cash":
        by_id = {int(r.invoice_id): r for r in sent.itertuples(index=False)}
        for pay in payments_in(payments, start, end).itertuples(index=False):
            invoice = by_id.get(int(pay.invoice_id)) if not pd.isna(pay.invoice_id) else None
            if invoice is None:
                continue
            net = invoice.net_amount
            rows.append(
                {
                    "kind": "payment",
                    "record_id": pay.payment_id,
                    "invoice_id": pay.invoice_id,
                    "client": invoice.client,
                    # The report files a payment under its invoice's currency.
                    "currency": invoice.currency,
                    "date": pay.date,
                    "gross": pay.amount,
                    "income": pay.amount * _net_share(invoice.amount, net),
                    "tax_known": net is not None,
                }
            )
    else:
        for inv in sent[between(sent["create_date"], start, end)].itertuples(index=False):
            net = inv.net_amount
            rows.append(
                {
                    "kind": "invoice",
                    "record_id": inv.invoice_id,
                    "invoice_id": inv.invoice_id,
                    "client": inv.client,
                    "currency": inv.currency,
                    "date": inv.create_date,
                    "gross": inv.amount,
                    "income": net if net is not None else inv.amount,
                    "tax_known": net is not None,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
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
        for (currency, month), part in frame.groupby(["currency", "month"], sort=True):
            sums[(currency, measure, month)] = dsum(part[column])
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
