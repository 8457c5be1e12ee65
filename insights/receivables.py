"""What clients owe: outstanding and overdue totals, aging, top debtors, days to pay.

Receivables are the sent invoices (drafts never count: nothing is owed on an unsent draft)
with money outstanding. Everything is per currency.

Two aging conventions are offered:

- :func:`aging_buckets` (the Overview chart): days **past the due date** as of ``today``, in
  :data:`AGING_BUCKETS` — "Not due" (due today or later), 1-30, 31-60, 61-90, 91+ days late.
- :func:`accounts_aging` matches FreshBooks' *Accounts Aging* report (the sandbox's
  ``accounts_aging``): the amount owed **at** ``as_of`` (invoice amount minus the payments
  dated on or before it, for invoices dated on or before it) by days past due in
  :data:`FRESHBOOKS_AGING_BUCKETS` — "0-30" holds both not-yet-due and up to 30 days late.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from ._money import ZERO, count_by, day, dsum, dsum_by, group_codes, money_by
from .frames import owed_mask, past_due_mask

__all__ = [
    "AGING_BUCKETS",
    "FRESHBOOKS_AGING_BUCKETS",
    "accounts_aging",
    "accounts_aging_detail",
    "accounts_aging_totals",
    "aging_bucket",
    "aging_buckets",
    "aging_detail",
    "days_to_pay",
    "freshbooks_aging_bucket",
    "open_invoices",
    "overdue_among",
    "overdue_invoices",
    "receivables_summary",
    "top_debtors",
]

AGING_BUCKETS: tuple[str, ...] = ("Not due", "1-30", "31-60", "61-90", "91+")
FRESHBOOKS_AGING_BUCKETS: tuple[str, ...] = ("0-30", "31-60", "61-90", "91+")


def aging_bucket(days_past_due: int) -> str:
    """The :data:`AGING_BUCKETS` label for a number of days past due (<= 0: not due)."""
    if days_past_due <= 0:
        return "Not due"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "91+"


def freshbooks_aging_bucket(days_past_due: int) -> str:
    """The FreshBooks report's label: 0-30 (including not yet due), 31-60, 61-90, 91+."""
    label = aging_bucket(days_past_due)
    return "0-30" if label in ("Not due", "1-30") else label


def _days_past_due(invoices: pd.DataFrame, today: date) -> pd.Series:
    # Invoices without a due date are due on their invoice date (FreshBooks' "due on receipt").
    due = invoices["due_date"].fillna(invoices["create_date"])
    return (day(today) - due).dt.days.fillna(0).astype("int64")


def open_invoices(invoices: pd.DataFrame) -> pd.DataFrame:
    """Sent invoices with money outstanding (drafts and paid invoices left out)."""
    return invoices[~invoices["is_draft"] & owed_mask(invoices)]


def overdue_invoices(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open invoices due before ``today`` (due today is not overdue), most overdue first."""
    return overdue_among(open_invoices(invoices), today)


def overdue_among(open_: pd.DataFrame, today: date) -> pd.DataFrame:
    """:func:`overdue_invoices` from the :func:`open_invoices` already found (one pass less)."""
    found = open_[past_due_mask(open_, today)].copy()
    found["days_overdue"] = (day(today) - found["due_date"]).dt.days.astype("int64")
    return found.sort_values(["days_overdue", "invoice_id"], ascending=[False, True])


# What the per-currency and per-client tables read: filtering only these columns (not every
# column of the invoices) gives the same rows for less copying.
_OWED = [
    "invoice_id",
    "client_id",
    "client",
    "currency",
    "outstanding",
    "is_draft",
    "due_date",
    "v3_status",
]


def receivables_summary(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per currency: ``outstanding``, ``open_count``, ``overdue``, ``overdue_count``."""
    columns = ["currency", "outstanding", "open_count", "overdue", "overdue_count"]
    found = open_invoices(invoices[_OWED])
    late = overdue_among(found, today)
    currencies = sorted(found["currency"].dropna().unique())
    # Each sum adds its rows in the order of ``found`` / ``late``, as a filter then dsum would.
    codes = pd.Categorical(found["currency"], categories=currencies).codes.astype("int64")
    late_codes = pd.Categorical(late["currency"], categories=currencies).codes.astype("int64")
    owed = dsum_by(codes, found["outstanding"].to_numpy(dtype=object), len(currencies))
    overdue = dsum_by(late_codes, late["outstanding"].to_numpy(dtype=object), len(currencies))
    counts = count_by(codes, len(currencies))
    late_counts = count_by(late_codes, len(currencies))
    rows = [
        {
            "currency": currency,
            "outstanding": owed[n],
            "open_count": counts[n],
            "overdue": overdue[n],
            "overdue_count": late_counts[n],
        }
        for n, currency in enumerate(currencies)
    ]
    return pd.DataFrame(rows, columns=columns)


def aging_detail(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open invoices with ``days_past_due`` and their :data:`AGING_BUCKETS` ``bucket``."""
    found = open_invoices(invoices).copy()
    found["days_past_due"] = _days_past_due(found, today)
    found["bucket"] = _labels(found["days_past_due"], aging_bucket)
    return found


def _labels(days: pd.Series, label: Callable[[int], str]) -> pd.Series:
    """``days.map(label)`` as text, calling ``label`` once per distinct number of days."""
    distinct, inverse = np.unique(days.to_numpy(dtype="int64"), return_inverse=True)
    names = np.array([label(d) for d in distinct.tolist()], dtype=object)
    return pd.Series(names[inverse.reshape(-1)], index=days.index, dtype=object).astype("str")


def _bucket_table(detail: pd.DataFrame, buckets: tuple[str, ...], amount: str) -> pd.DataFrame:
    """Per currency (sorted) and bucket (in order): the ``amount`` summed and the count.

    One pass over the rows: each row's (currency, bucket) cell number, then the exact sums.
    """
    currencies = sorted(detail["currency"].dropna().unique())
    currency_codes = pd.Categorical(detail["currency"], categories=currencies).codes
    bucket_codes = pd.Categorical(detail["bucket"], categories=list(buckets)).codes
    cells = np.where(
        (currency_codes >= 0) & (bucket_codes >= 0),
        currency_codes.astype("int64") * len(buckets) + bucket_codes,
        -1,
    )
    size = len(currencies) * len(buckets)
    sums = dsum_by(cells, detail[amount].to_numpy(dtype=object), size)
    counts = count_by(cells, size)
    rows = [
        {
            "currency": currency,
            "bucket": bucket,
            "amount": sums[n * len(buckets) + b],
            "count": counts[n * len(buckets) + b],
        }
        for n, currency in enumerate(currencies)
        for b, bucket in enumerate(buckets)
    ]
    return pd.DataFrame(rows, columns=["currency", "bucket", "amount", "count"])


def aging_buckets(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    """Tidy ``currency, bucket, amount, count``: every bucket of every currency owed, in order."""
    return _bucket_table(aging_detail(invoices, today), AGING_BUCKETS, "outstanding")


def accounts_aging_detail(
    invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """The invoices behind :func:`accounts_aging`: ``owed`` at ``as_of`` and their ``bucket``.

    ``owed`` = amount minus the payments dated on or before ``as_of``; invoices dated after
    ``as_of``, drafts, and invoices not owing anything at ``as_of`` are left out.
    """
    cutoff = day(as_of)
    paid_by_invoice: dict[int, object] = {}
    if not payments.empty:
        early = payments[payments["date"].notna() & (payments["date"] <= cutoff)]
        early = early[early["invoice_id"].notna()]
        for invoice_id, part in early.groupby("invoice_id"):
            paid_by_invoice[int(invoice_id)] = dsum(part["amount"])
    found = invoices[
        ~invoices["is_draft"]
        & invoices["create_date"].notna()
        & (invoices["create_date"] <= cutoff)
    ].copy()
    found["owed"] = pd.Series(
        [
            amount - paid_by_invoice.get(int(invoice_id), ZERO)
            for invoice_id, amount in zip(found["invoice_id"], found["amount"], strict=True)
        ],
        index=found.index,
        dtype=object,
    )
    found = found[found["owed"].map(lambda v: v > ZERO).astype(bool)].copy()
    found["days_past_due"] = _days_past_due(found, as_of)
    found["bucket"] = found["days_past_due"].map(freshbooks_aging_bucket).astype("str")
    return found


def accounts_aging(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """FreshBooks' Accounts Aging: per currency and client, owed by bucket, plus ``total``.

    Columns: ``currency, client_id, client``, one per :data:`FRESHBOOKS_AGING_BUCKETS`,
    ``total`` (all Decimal).
    """
    columns = ["currency", "client_id", "client", *FRESHBOOKS_AGING_BUCKETS, "total"]
    detail = accounts_aging_detail(invoices, payments, as_of)
    rows = []
    groups = detail.groupby(["currency", "client_id"], sort=True, dropna=False)
    for (currency, client_id), part in groups:
        row: dict[str, object] = {
            "currency": currency,
            "client_id": client_id,
            "client": part["client"].iloc[0],
        }
        for bucket in FRESHBOOKS_AGING_BUCKETS:
            row[bucket] = dsum(part.loc[part["bucket"] == bucket, "owed"])
        row["total"] = dsum(part["owed"])
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def accounts_aging_totals(aging: pd.DataFrame) -> pd.DataFrame:
    """Per currency, the sum of each bucket and of ``total`` of :func:`accounts_aging`."""
    summed = money_by(aging, ["currency"], [*FRESHBOOKS_AGING_BUCKETS, "total"])
    return summed.rename(columns={"count": "clients"})


def top_debtors(invoices: pd.DataFrame, today: date, limit: int = 5) -> pd.DataFrame:
    """Per currency, the ``limit`` clients owing the most: outstanding, overdue, counts.

    Columns: ``currency, client_id, client, outstanding, overdue, open_count,
    overdue_count, max_days_overdue``; largest outstanding first within each currency.
    """
    columns = [
        "currency",
        "client_id",
        "client",
        "outstanding",
        "overdue",
        "open_count",
        "overdue_count",
        "max_days_overdue",
    ]
    found = open_invoices(invoices[_OWED])
    late = overdue_among(found, today)
    codes, names = group_codes(found, ["currency", "client_id"])
    groups = len(names)
    is_late = found.index.isin(late.index)
    late_codes = np.where(is_late, codes, -1)
    outstanding = found["outstanding"].to_numpy(dtype=object)
    owed = dsum_by(codes, outstanding, groups)
    overdue = dsum_by(late_codes, outstanding, groups)
    counts = count_by(codes, groups)
    overdue_counts = count_by(late_codes, groups)
    first_client: dict[int, object] = {}
    for code, client in zip(codes.tolist(), found["client"].to_numpy(dtype=object), strict=True):
        first_client.setdefault(code, client)
    most_days = [0] * groups
    days_late = late["days_overdue"].reindex(found.index[is_late]).to_numpy(dtype="int64")
    for code, days in zip(late_codes[is_late].tolist(), days_late.tolist(), strict=True):
        most_days[code] = max(most_days[code], days)
    rows = [
        {
            "currency": currency,
            "client_id": client_id,
            "client": first_client[n],
            "outstanding": owed[n],
            "overdue": overdue[n],
            "open_count": counts[n],
            "overdue_count": overdue_counts[n],
            "max_days_overdue": most_days[n] if overdue_counts[n] else 0,
        }
        for n, (currency, client_id) in enumerate(names)
    ]
    rows.sort(key=lambda r: (r["currency"], -r["outstanding"], _id_key(r["client_id"])))
    kept: dict[str, int] = {}
    top = []
    for row in rows:
        if kept.get(row["currency"], 0) < limit:
            kept[row["currency"]] = kept.get(row["currency"], 0) + 1
            top.append(row)
    return pd.DataFrame(top, columns=columns)


def _id_key(value: object) -> int:
    return -1 if pd.isna(value) else int(value)  # type: ignore[call-overload]  # pd.isna (no stubs) does not narrow: a number here


def days_to_pay(invoices: pd.DataFrame) -> pd.DataFrame:
    """Per client: paid invoices and the average days from invoice date to paid in full.

    Only invoices paid in full with a ``date_paid`` count (a partial payment says little
    about when the rest will come). Columns: ``client_id, client, paid_invoices,
    avg_days_to_pay`` (float, one decimal: a duration, not money).
    """
    columns = ["client_id", "client", "paid_invoices", "avg_days_to_pay"]
    paid = invoices.loc[
        ~invoices["is_draft"] & invoices["date_paid"].notna() & invoices["create_date"].notna(),
        ["client_id", "client", "create_date", "date_paid"],  # only what is read below
    ]
    if paid.empty:
        empty = pd.DataFrame(columns=columns)
        return empty.astype(
            {"client_id": "Int64", "paid_invoices": "int64", "avg_days_to_pay": "float64"}
        )
    days = (paid["date_paid"] - paid["create_date"]).dt.days
    grouped = paid.assign(days=days).groupby(["client_id", "client"], sort=True, dropna=False)
    days_by_client = grouped["days"]  # size and mean of one column: cheaper than named agg
    table = pd.DataFrame(
        {"paid_invoices": days_by_client.size(), "avg_days_to_pay": days_by_client.mean()}
    ).reset_index()
    table["avg_days_to_pay"] = table["avg_days_to_pay"].round(1)
    return table[columns]
