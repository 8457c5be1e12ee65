"""Clients and projects: balances, billed and paid to date, days to pay, budgets used."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ._money import count_by, dsum_by, group_codes, hours_of
from .frames import owed_mask, past_due_mask
from .receivables import days_to_pay

__all__ = ["client_balances", "project_budgets"]


def client_balances(invoices: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per client and currency: ``billed`` (sent invoices' amounts), ``paid``, ``outstanding``,
    ``overdue`` (Decimal), ``invoices``, ``overdue_count``, ``paid_invoices`` and
    ``avg_days_to_pay``. Drafts are not billed. Largest outstanding first, then by name.
    """
    columns = [
        "client_id",
        "client",
        "currency",
        "billed",
        "paid",
        "outstanding",
        "overdue",
        "invoices",
        "overdue_count",
        "paid_invoices",
        "avg_days_to_pay",
    ]
    # Only the columns read below (filtering every column would copy them for nothing).
    read = [
        "client_id",
        "client",
        "currency",
        "amount",
        "paid",
        "outstanding",
        "due_date",
        "v3_status",
    ]
    sent = invoices.loc[~invoices["is_draft"], read]
    late = owed_mask(sent) & past_due_mask(sent, today)
    speed = {
        row.client_id: (row.paid_invoices, row.avg_days_to_pay)
        for row in days_to_pay(invoices).itertuples(index=False)
    }
    codes, names = group_codes(sent, ["client_id", "client", "currency"])
    groups = len(names)
    outstanding = sent["outstanding"].to_numpy(dtype=object)
    late_codes = np.where(late.to_numpy(dtype=bool), codes, -1)
    billed = dsum_by(codes, sent["amount"].to_numpy(dtype=object), groups)
    paid = dsum_by(codes, sent["paid"].to_numpy(dtype=object), groups)
    owed = dsum_by(codes, outstanding, groups)
    overdue = dsum_by(late_codes, outstanding, groups)
    counts = count_by(codes, groups)
    overdue_counts = count_by(late_codes, groups)
    rows = []
    for n, (client_id, client, currency) in enumerate(names):
        paid_invoices, avg_days = speed.get(client_id, (0, float("nan")))
        rows.append(
            {
                "client_id": client_id,
                "client": client,
                "currency": currency,
                "billed": billed[n],
                "paid": paid[n],
                "outstanding": owed[n],
                "overdue": overdue[n],
                "invoices": counts[n],
                "overdue_count": overdue_counts[n],
                "paid_invoices": paid_invoices,
                "avg_days_to_pay": avg_days,
            }
        )
    rows.sort(key=lambda r: (-r["outstanding"], str(r["client"]), str(r["currency"])))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {"client_id": "Int64", "paid_invoices": "int64", "avg_days_to_pay": "float64"}
    )


def project_budgets(projects: pd.DataFrame, time: pd.DataFrame) -> pd.DataFrame:
    """Per project: ``budget_hours``, ``logged_hours``, ``remaining_hours`` (Decimal, None
    without a budget), ``used_pct`` (Decimal percent to one place) and ``over_budget``.

    FreshBooks stores a project budget as time in seconds; hours logged are every logged
    entry on the project, billable or not.
    """
    columns = [
        "project_id",
        "project",
        "client",
        "active",
        "complete",
        "budget_hours",
        "logged_hours",
        "remaining_hours",
        "used_pct",
        "over_budget",
    ]
    logged = time.groupby("project_id")["seconds"].sum()
    rows = []
    for p in projects.itertuples(index=False):
        seconds = int(logged.get(p.project_id, 0))
        budget = None if pd.isna(p.budget_seconds) else int(p.budget_seconds)
        used = (
            (Decimal(seconds) * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if budget
            else None
        )
        rows.append(
            {
                "project_id": p.project_id,
                "project": p.project,
                "client": p.client,
                "active": p.active,
                "complete": p.complete,
                "budget_hours": hours_of(budget) if budget is not None else None,
                "logged_hours": hours_of(seconds),
                "remaining_hours": hours_of(budget - seconds) if budget is not None else None,
                "used_pct": used,
                "over_budget": bool(budget) and seconds > (budget or 0),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"project_id": "Int64", "over_budget": "bool"})
