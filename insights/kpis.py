"""The Overview page's headline numbers, per currency, each with the records behind it.

One call, :func:`overview`, gives a :class:`CurrencyOverview` per currency (the business's
home currency first). Each :class:`Headline` carries ``records``: the rows that make up the
number (invoices, payments, expenses or time entries), so the page can show them on demand.
Money headlines' records have a ``currency`` column and sum to the headline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._money import between, cents, dsum, hours_of
from .cashflow import income_records, payments_in
from .frames import Frames
from .periods import last_year_to_date, month_to_date, year_to_date
from .receivables import open_invoices, overdue_among
from .time import unbilled_time

__all__ = [
    "HEADLINES",
    "CurrencyOverview",
    "Headline",
    "currencies_in_use",
    "overview",
    "profit_ledger",
]

Unit = Literal["money", "hours"]

HEADLINES: dict[str, str] = {
    "outstanding": "Outstanding",
    "overdue": "Overdue",
    "collected_month": "Collected this month",
    "collected_year": "Collected this year",
    "collected_last_year": "Collected same period last year",
    "expenses_year": "Expenses this year",
    "profit_year": "Profit this year (cash basis)",
    "unbilled_hours": "Unbilled hours",
    "unbilled_value": "Unbilled time value",
}


@dataclass(frozen=True)
class Headline:
    """One number on the Overview, its unit, how many records make it and those records.

    ``compare`` is the value to set it against (e.g. last year's), when there is one.
    ``note`` says what a person should know to read it (e.g. hours without a known rate).
    """

    key: str
    label: str
    currency: str | None
    value: Decimal
    unit: Unit
    count: int
    records: pd.DataFrame = field(repr=False)
    compare: Decimal | None = None
    compare_label: str | None = None
    note: str = ""


@dataclass(frozen=True)
class CurrencyOverview:
    """Every headline of one currency, keyed as in :data:`HEADLINES`."""

    currency: str
    headlines: dict[str, Headline]

    def __getitem__(self, key: str) -> Headline:
        return self.headlines[key]


def currencies_in_use(frames: Frames, unbilled: pd.DataFrame | None = None) -> list[str]:
    """Currencies with sent invoices, payments, expenses or unbilled time; home currency first.

    ``unbilled`` is ``unbilled_time(frames.time)`` when the caller already has it.
    """
    if unbilled is None:
        unbilled = unbilled_time(frames.time)
    found: set[str] = set()
    # ``unique`` first: a set built from a few codes, not from every row.
    found |= set(frames.invoices.loc[~frames.invoices["is_draft"], "currency"].dropna().unique())
    found |= set(frames.payments["currency"].dropna().unique())
    found |= set(frames.expenses["currency"].dropna().unique())
    found |= set(unbilled["currency"].dropna().unique())
    return sorted(found, key=lambda c: (c != frames.home_currency, c))


def _money(
    key: str,
    currency: str,
    records: pd.DataFrame,
    column: str,
    **extra: object,
) -> Headline:
    return Headline(
        key=key,
        label=HEADLINES[key],
        currency=currency,
        value=dsum(records[column]),
        unit="money",
        count=len(records),
        records=records,
        **extra,  # type: ignore[arg-type]  # keyword fields of Headline, passed through untyped
    )


def _values(column: pd.Series) -> list[Any]:
    # Plain Python objects, as ``itertuples`` gives them.
    return column.to_numpy(dtype=object).tolist()  # type: ignore[no-any-return]  # pandas has no stubs


def profit_ledger(frames: Frames, currency: str, start: date, end: date) -> pd.DataFrame:
    """Income (positive) and expenses (negative) of one currency between two dates.

    Columns ``kind, record_id, date, currency, description, amount``; the amounts sum to
    the cash-basis profit of :func:`insights.cashflow.profit` (before its rounding to the cent).
    """
    income = income_records(frames.invoices, frames.payments, start, end, "cash")
    spent = frames.expenses[between(frames.expenses["date"], start, end)]
    return _ledger(income, spent, currency)


def _ledger(income: pd.DataFrame, spent: pd.DataFrame, currency: str | None) -> pd.DataFrame:
    """:func:`profit_ledger` from the period's income records and expenses (every currency):
    the rows of ``currency``, or of every currency when None (each row with its own)."""
    columns = ["kind", "record_id", "date", "currency", "description", "amount"]
    # Only the columns read below are filtered.
    read_income = ["record_id", "date", "client", "invoice_id", "income", "currency"]
    read_spent = ["expense_id", "date", "vendor", "category", "amount", "currency"]
    if currency is None:
        income, spent = income[read_income], spent[read_spent]
        codes = [*_values(income["currency"]), *_values(spent["currency"])]
    else:
        income = income.loc[income["currency"] == currency, read_income]
        spent = spent.loc[spent["currency"] == currency, read_spent]
        codes = [currency] * (len(income) + len(spent))
    vendors = spent["vendor"].to_numpy(dtype=object).tolist()
    categories = spent["category"].to_numpy(dtype=object).tolist()
    data = {
        "kind": ["payment"] * len(income) + ["expense"] * len(spent),
        "record_id": pd.concat([income["record_id"], spent["expense_id"]], ignore_index=True),
        # One datetime64 array: Timestamp objects per row cost more than the rest together.
        "date": np.concatenate([income["date"].to_numpy(), spent["date"].to_numpy()]),
        "currency": codes,
        "description": [
            f"{client} (invoice {invoice_id})"
            for client, invoice_id in zip(
                _values(income["client"]), _values(income["invoice_id"]), strict=True
            )
        ]
        + [
            f"{category}: {vendor}" if isinstance(vendor, str) else category
            for category, vendor in zip(categories, vendors, strict=True)
        ],
        "amount": [*_values(income["income"]), *[-amount for amount in _values(spent["amount"])]],
    }
    frame = pd.DataFrame(data, columns=columns)
    frame = frame.astype({"record_id": "Int64", "date": "datetime64[s]", "amount": object})
    return frame.sort_values(["date", "kind", "record_id"]).reset_index(drop=True)


def _ledgers(
    income: pd.DataFrame, spent: pd.DataFrame, currencies: list[str]
) -> dict[str, pd.DataFrame]:
    """The :func:`_ledger` of each currency, built and sorted once for all of them.

    A sort on several columns is stable, so each currency's rows come out in the order
    sorting them alone gives. A currency without rows is built alone: the columns of an
    empty ledger take their types from empty lists.
    """
    every = _ledger(income, spent, None)
    found = {}
    for currency in currencies:
        mine = every[every["currency"] == currency]
        found[currency] = (
            mine.reset_index(drop=True) if len(mine) else _ledger(income, spent, currency)
        )
    return found


def _of(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    return frame[frame["currency"] == currency]


@dataclass(frozen=True)
class _Shared:
    """What every currency's headlines filter from, computed once per :func:`overview`."""

    unbilled: pd.DataFrame
    open: pd.DataFrame
    overdue: pd.DataFrame
    spent_year: pd.DataFrame
    income_year: pd.DataFrame


def _shared(frames: Frames) -> _Shared:
    today = frames.today
    year = year_to_date(today)
    open_ = open_invoices(frames.invoices)
    return _Shared(
        unbilled=unbilled_time(frames.time),
        open=open_,
        overdue=overdue_among(open_, today),
        spent_year=frames.expenses[between(frames.expenses["date"], year.start, year.end)],
        income_year=income_records(frames.invoices, frames.payments, year.start, year.end),
    )


def _currency_overview(
    frames: Frames, currency: str, shared: _Shared, ledger: pd.DataFrame
) -> CurrencyOverview:
    today = frames.today
    month, year, last_year = month_to_date(today), year_to_date(today), last_year_to_date(today)
    # Per currency, then per period, as before: the records' index (a RangeIndex or not)
    # depends on the order of the filters.
    payments = _of(frames.payments, currency)
    this_year = payments_in(payments, year.start, year.end)
    before = payments_in(payments, last_year.start, last_year.end)
    unbilled = _of(shared.unbilled, currency)
    unknown = unbilled["value"].isna()  # entries without a known rate
    headlines = [
        _money("outstanding", currency, _of(shared.open, currency), "outstanding"),
        _money(
            "overdue",
            currency,
            _of(shared.overdue, currency),
            "outstanding",
        ),
        _money(
            "collected_month", currency, payments_in(payments, month.start, month.end), "amount"
        ),
        _money(
            "collected_year",
            currency,
            this_year,
            "amount",
            compare=dsum(before["amount"]),
            compare_label=f"{last_year.start:%d %b %Y} to {last_year.end:%d %b %Y}",
        ),
        _money("collected_last_year", currency, before, "amount"),
        _money("expenses_year", currency, _of(shared.spent_year, currency), "amount"),
        Headline(
            key="profit_year",
            label=HEADLINES["profit_year"],
            currency=currency,
            value=cents(dsum(ledger["amount"])),
            unit="money",
            count=len(ledger),
            records=ledger,
            note="Payments received (before tax) minus expenses, since 1 January.",
        ),
        Headline(
            key="unbilled_hours",
            label=HEADLINES["unbilled_hours"],
            currency=currency,
            value=hours_of(int(unbilled["seconds"].sum())),
            unit="hours",
            count=len(unbilled),
            records=unbilled,
        ),
        _money(
            "unbilled_value",
            currency,
            unbilled,
            "value",
            note=(
                f"{hours_of(int(unbilled.loc[unknown, 'seconds'].sum()))} hours in "
                f"{int(unknown.sum())} entries have no known rate and are not valued."
                if unknown.any()
                else ""
            ),
        ),
    ]
    return CurrencyOverview(currency=currency, headlines={h.key: h for h in headlines})


def overview(frames: Frames) -> list[CurrencyOverview]:
    """The Overview headlines for every currency in use (home currency first).

    Periods are relative to ``frames.today``: this month and this year to date, and the same
    span last year. An empty business gives an empty list.
    """
    shared = _shared(frames)
    currencies = currencies_in_use(frames, shared.unbilled)
    ledgers = _ledgers(shared.income_year, shared.spent_year, currencies)
    return [
        _currency_overview(frames, currency, shared, ledgers[currency]) for currency in currencies
    ]
