"""Where the money went: expenses by category, by month and by vendor, per currency."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from ._money import ZERO, between, day, dsum, money_by, month_start
from .periods import months_between

__all__ = ["expenses_between", "spending_by_category", "spending_by_month", "spending_by_vendor"]

Level = Literal["category", "parent_category"]
NO_VENDOR = "(no vendor)"


def expenses_between(
    expenses: pd.DataFrame, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The expenses dated ``start``..``end`` (inclusive; open when None), newest first."""
    found = expenses[between(expenses["date"], start, end)]
    return found.sort_values(["date", "expense_id"], ascending=[False, False])


def _largest_first(table: pd.DataFrame, name: str) -> pd.DataFrame:
    # Python sort on Decimals: ordering never goes through float.
    rows = table.to_dict("records")
    rows.sort(key=lambda r: (r["currency"], -r["amount"], str(r[name])))
    return pd.DataFrame(rows, columns=list(table.columns))


def _with_share(table: pd.DataFrame) -> pd.DataFrame:
    totals = {c: dsum(part["amount"]) for c, part in table.groupby("currency")}
    table["share"] = [
        float(amount / totals[currency]) if totals[currency] else 0.0
        for currency, amount in zip(table["currency"], table["amount"], strict=True)
    ]
    return table


def spending_by_category(
    expenses: pd.DataFrame,
    start: date | None = None,
    end: date | None = None,
    *,
    level: Level = "category",
) -> pd.DataFrame:
    """Per currency and category: ``amount``, ``count`` and ``share`` of the currency's total.

    ``level="parent_category"`` groups subcategories under their top-level category.
    ``share`` is a float fraction (for display); amounts stay Decimal. Largest first.
    """
    found = expenses_between(expenses, start, end)
    table = money_by(found, ["currency", level], ["amount"]).rename(columns={level: "category"})
    table = _largest_first(table, "category")
    return _with_share(table) if not table.empty else table.assign(share=pd.Series(dtype=float))


def spending_by_vendor(
    expenses: pd.DataFrame,
    start: date | None = None,
    end: date | None = None,
    *,
    limit: int | None = None,
) -> pd.DataFrame:
    """Per currency and vendor: ``amount``, ``count``, ``share``; the ``limit`` largest each.

    Expenses without a vendor are grouped under "(no vendor)".
    """
    found = expenses_between(expenses, start, end)
    found = found.assign(vendor=found["vendor"].fillna(NO_VENDOR))
    table = _largest_first(money_by(found, ["currency", "vendor"], ["amount"]), "vendor")
    if table.empty:
        return table.assign(share=pd.Series(dtype=float))
    table = _with_share(table)
    if limit is not None:
        table = table.groupby("currency", sort=False).head(limit).reset_index(drop=True)
    return table


def spending_by_month(expenses: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Per currency and month (first day): ``amount`` and ``count``; quiet months are zero."""
    columns = ["currency", "month", "amount", "count"]
    found = expenses_between(expenses, start, end)
    found = found.assign(month=month_start(found["date"]))
    grouped = {
        (currency, month): part
        for (currency, month), part in found.groupby(["currency", "month"], sort=True)
    }
    rows = []
    for currency in sorted(found["currency"].dropna().unique()):
        for month in months_between(start, end):
            part = grouped.get((currency, day(month)))
            rows.append(
                {
                    "currency": currency,
                    "month": day(month),
                    "amount": dsum(part["amount"]) if part is not None else ZERO,
                    "count": len(part) if part is not None else 0,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"currency": "str", "month": "datetime64[s]", "count": "int64"})
