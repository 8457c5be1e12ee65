"""Recurring invoices (FreshBooks invoice profiles): the list and detail frames, and monthly
recurring revenue per currency.

Monthly recurring revenue (MRR) is what the active profiles bill per month on average: each
profile's amount (what one invoice bills, taxes included) times its issues per month (weekly
52/12, every two weeks 26/12, monthly 1, quarterly 1/3, yearly 1/12...). Stopped, finished
and deleted profiles count nothing, nor does one whose frequency cannot be read. Sums stay
exact per currency and are rounded to the cent once; currencies are never added together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from fbclient.models.clients import Client
from fbclient.models.invoice_profiles import InvoiceProfile

from ._columns import MONEY, columns_frame
from ._money import ZERO, cents, days

__all__ = [
    "MRR_COLUMNS",
    "PROFILE_COLUMNS",
    "UPCOMING",
    "monthly_recurring_revenue",
    "profile_lines",
    "profiles_frame",
    "scheduled_invoices",
    "upcoming_dates",
]

UPCOMING = 6  # issue dates shown per profile

PROFILE_COLUMNS: dict[str, Any] = {
    "profile_id": "Int64",
    "client_id": "Int64",
    "client": "str",
    "description": "str",  # the first line's name
    "amount": MONEY,  # what one invoice bills
    "currency": "str",
    "frequency": "str",  # "Monthly", "Every 2 weeks"
    "per_month": MONEY,  # amount x issues per month, to the cent (None: unreadable frequency)
    "next_date": "datetime64[s]",  # NaT once it makes no more
    "state": "str",  # active, stopped, finished
    "issued": "int64",  # invoices made so far
    "remaining": "Int64",  # <NA>: no end
}

MRR_COLUMNS: dict[str, Any] = {"currency": "str", "mrr": MONEY, "profiles": "int64"}

LINE_COLUMNS: dict[str, Any] = {
    "name": "str",
    "description": "str",
    "qty": MONEY,
    "unit_cost": MONEY,
    "amount": MONEY,
    "currency": "str",
    "tax": "str",
}


def _live(profiles: Iterable[InvoiceProfile]) -> list[InvoiceProfile]:
    return [p for p in profiles if p.vis_state != 1]


def _client_names(clients: Iterable[Client]) -> dict[int, str]:
    return {c.id: c.display_name for c in clients}


def profiles_frame(
    profiles: Iterable[InvoiceProfile], clients: Iterable[Client] = ()
) -> pd.DataFrame:
    """One row per profile (deleted ones left out): the client, the amount with its currency,
    the frequency, the monthly equivalent, the next date and whether it is active."""
    names = _client_names(clients)
    rows = _live(profiles)
    rows.sort(key=lambda p: (p.state != "active", p.next_date or date.max, p.id))
    monthly = [p.monthly_amount() for p in rows]
    columns: Mapping[str, Any] = {
        "profile_id": [p.id for p in rows],
        "client_id": [p.customerid for p in rows],
        "client": [names.get(p.customerid or 0) or p.client_name for p in rows],
        "description": [p.lines[0].name if p.lines else None for p in rows],
        "amount": [p.amount.amount if p.amount is not None else None for p in rows],
        "currency": [p.currency for p in rows],
        "frequency": [p.schedule.label if p.schedule is not None else p.frequency for p in rows],
        "per_month": [cents(m) if m is not None else None for m in monthly],
        "next_date": days(p.next_date for p in rows),
        "state": [p.state for p in rows],
        "issued": [p.issued for p in rows],
        "remaining": [p.remaining for p in rows],
    }
    return columns_frame(columns, PROFILE_COLUMNS)


def monthly_recurring_revenue(profiles: Iterable[InvoiceProfile]) -> pd.DataFrame:
    """MRR per currency (``currency``, ``mrr`` as a Decimal to the cent, ``profiles``
    counted), from the active profiles only; one row per currency, sorted by code."""
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for profile in profiles:
        monthly = profile.monthly_amount() if profile.is_active else None
        currency = profile.currency
        if monthly is None or currency is None:
            continue
        totals[currency] = totals.get(currency, ZERO) + monthly
        counts[currency] = counts.get(currency, 0) + 1
    codes = sorted(totals)
    columns = {
        "currency": codes,
        "mrr": [cents(totals[c]) for c in codes],
        "profiles": [counts[c] for c in codes],
    }
    return columns_frame(columns, MRR_COLUMNS)


def profile_lines(profile: InvoiceProfile) -> pd.DataFrame:
    """The lines each invoice of ``profile`` bills (empty when they were not fetched)."""
    currency = profile.currency
    columns = {
        "name": [line.name for line in profile.lines],
        "description": [line.description or None for line in profile.lines],
        "qty": [line.qty for line in profile.lines],
        "unit_cost": [
            line.unit_cost.amount if line.unit_cost is not None else None for line in profile.lines
        ],
        "amount": [
            line.amount.amount if line.amount is not None else None for line in profile.lines
        ],
        "currency": [currency for _ in profile.lines],
        "tax": [
            f"{line.taxName1} {line.taxAmount1}%" if line.taxName1 else None
            for line in profile.lines
        ],
    }
    return columns_frame(columns, LINE_COLUMNS)


def upcoming_dates(profile: InvoiceProfile, count: int = UPCOMING) -> list[date]:
    """The next issue dates (fewer when the profile ends sooner, none once it makes no more)."""
    return profile.upcoming(count)


SCHEDULED_COLUMNS = ["issue", "due_days", "client_id", "client", "currency", "amount", "ref"]
HORIZON_ISSUES = 60  # issue dates looked at per profile (a weekly one over a year and more)


def scheduled_invoices(
    profiles: Iterable[InvoiceProfile], clients: Iterable[Client] = ()
) -> Callable[[date, date], pd.DataFrame]:
    """For the cash forecast: the invoices the active profiles will issue from one day up to
    (not including) another, each with its client, amount, currency and payment terms.

    Profiles only know their next dates, so a day before a profile's next date sees only the
    dates from there on (a backtest counts the invoices they made once those exist).
    """
    live = [p for p in _live(profiles) if p.is_active and p.amount is not None]
    names = _client_names(clients)

    def between(start: date, until: date) -> pd.DataFrame:
        rows = [
            {
                "issue": issue,
                "due_days": profile.due_offset_days or 0,
                "client_id": profile.customerid,
                "client": names.get(profile.customerid or 0) or profile.client_name,
                "currency": profile.currency,
                "amount": profile.amount.amount if profile.amount is not None else ZERO,
                "ref": f"recurring invoice {profile.id}",
            }
            for profile in live
            for issue in profile.upcoming(HORIZON_ISSUES)
            if start <= issue < until
        ]
        return pd.DataFrame(rows, columns=SCHEDULED_COLUMNS)

    return between
