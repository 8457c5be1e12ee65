"""Collections: whom to chase, in what order, with what words; and each open invoice's risk of
being paid late.

The chase list holds every overdue invoice (never a first page of them) and those due within
:data:`SOON_DAYS`. It is ranked by what matters to a freelancer: the amount (against the
business's usual invoice in that currency, so currencies are never converted), how late it
is, the client's own habit, and the reminders already sent (each one makes the next less
likely to help). The risk is the client's share of invoices paid more than
:data:`LATE_DAYS` after their due date, pulled toward the business's share when the client
has little history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from statistics import median
from typing import Any

import pandas as pd

from fbclient import Money
from fbclient.models.invoices import Invoice

from ._money import ZERO, day
from .forecast import habits_of, open_invoices_as_of, paid_days
from .labels import plain_text

__all__ = [
    "LATE_DAYS",
    "SOON_DAYS",
    "TONES",
    "Chased",
    "chase_list",
    "draft_reminder",
    "invoice_risks",
    "late_payment_risk",
    "reminder_for",
    "tone_for",
]

SOON_DAYS = 7  # due within this many days: worth a heads-up
LATE_DAYS = 30  # "paid late" for the risk: more than this many days after the due date
PRIOR_WEIGHT = 3  # invoices' worth of the business's rate in a client's risk
TONES = ("heads-up", "friendly", "firm", "final")


@dataclass(frozen=True)
class Chased:
    """The reminders the app sent for one invoice: how many and the last one's moment."""

    count: int
    last: datetime


def late_payment_risk(
    invoices: pd.DataFrame, payments: pd.DataFrame, today: date
) -> dict[int, float]:
    """Per client id: the chance an invoice of theirs is paid more than :data:`LATE_DAYS` late
    (their history, smoothed toward the business's with :data:`PRIOR_WEIGHT` invoices)."""
    return _risks(paid_days(invoices, payments, today))


def _risks(paid: pd.DataFrame) -> dict[int, float]:
    """:func:`late_payment_risk` from :func:`paid_days`' answer."""
    if paid.empty:
        return {}
    late = paid["days_late"] > LATE_DAYS
    prior = float(late.mean())
    # Per client, in the order clients first appear: their late invoices and all of them.
    counts = late.groupby(paid["client_id"], sort=False).agg(["sum", "count"])
    out = {
        int(client): (float(late_ones) + prior * PRIOR_WEIGHT) / (int(every) + PRIOR_WEIGHT)
        for client, late_ones, every in zip(
            counts.index, counts["sum"], counts["count"], strict=True
        )
    }
    out[-1] = prior  # the business's own rate, for clients without history
    return out


def risk_of(risks: Mapping[int, float], client_id: object, days_late: int) -> float:
    """One invoice's risk: certain once it is already that late; else its client's rate."""
    if days_late > LATE_DAYS:
        return 1.0
    if isinstance(client_id, int) and client_id in risks:
        return risks[client_id]
    return risks.get(-1, 0.0)


def invoice_risks(invoices: pd.DataFrame, payments: pd.DataFrame, today: date) -> pd.Series:
    """Each open invoice's late-payment risk (see :func:`risk_of`), by invoice id."""
    risks = late_payment_risk(invoices, payments, today)
    open_ = open_invoices_as_of(invoices, payments, today, today)
    values = {
        int(inv.invoice_id): risk_of(
            risks,
            int(inv.client_id) if pd.notna(inv.client_id) else None,
            (today - inv.due_date.date()).days if pd.notna(inv.due_date) else 0,
        )
        for inv in open_.itertuples(index=False)
    }
    return pd.Series(values, dtype="float64")


def tone_for(days_late: int, reminders: int) -> str:
    """The tone a reminder calls for: a heads-up before the due date, then friendly, firm
    and final as it gets later; each reminder already sent moves it one step firmer."""
    if days_late <= 0:
        step = 0
    elif days_late <= 14:
        step = 1
    elif days_late <= 45:
        step = 2
    else:
        step = 3
    if days_late > 0:
        step = min(3, step + reminders)
    return TONES[step]


def draft_reminder(
    *,
    number: str,
    greeting: str | None,
    owed: str,
    due: date | None,
    days_late: int,
    tone: str,
    business: str,
    reminders: int = 0,
) -> dict[str, str]:
    """A reminder's subject and body in ``tone`` (see :data:`TONES`), mentioning earlier
    reminders only when ``reminders`` were sent. Names from FreshBooks fill the greeting and
    signature as plain text."""
    hello = f"Hi {greeting or 'there'},"
    when = f"{due:%d %B %Y}" if due else "its due date"
    if tone == "heads-up":
        subject = f"Invoice {number} ({owed}) is due {when}"
        lead = f"A quick heads-up that invoice {number} for {owed} is due on {when}."
        ask = "If it is already on its way, thank you, and please ignore this note."
    elif tone == "friendly":
        subject = f"Reminder: invoice {number} ({owed})"
        lead = (
            f"A friendly reminder that invoice {number} was due on {when} ({days_late} "
            f"day{'s' if days_late != 1 else ''} ago); {owed} is still outstanding."
        )
        ask = "If it has already been paid, thank you. If not, could you arrange payment soon?"
    elif tone == "firm":
        subject = f"Overdue: invoice {number} ({owed})"
        lead = (
            f"Invoice {number} was due on {when}, {days_late} days ago, and {owed} is still "
            "outstanding."
        )
        ask = "Please arrange payment this week, or tell me when I can expect it."
    else:
        subject = f"Final reminder: invoice {number} ({owed}) is {days_late} days overdue"
        earlier = ", despite earlier reminders" if reminders else ""
        lead = (
            f"Invoice {number} for {owed} was due on {when} and is now {days_late} days "
            f"overdue{earlier}."
        )
        ask = (
            "Please pay it within 7 days, or reply today to agree a date. Otherwise I will "
            "have to pause further work until it is settled."
        )
    body = (
        f"{hello}\n\n{lead}\n\n{ask} Do tell me if anything is holding it up.\n\n"
        f"Kind regards,\n{business}"
    )
    return {"subject": subject, "body": body}


CHASE_COLUMNS = [
    "invoice_id",
    "number",
    "client_id",
    "client",
    "currency",
    "outstanding",
    "due_date",
    "days_late",
    "habit_days",
    "risk",
    "reminders_sent",
    "last_chased",
    "tone",
    "score",
]


def _usual_amounts(invoices: pd.DataFrame) -> dict[str, Decimal]:
    usual: dict[str, Decimal] = {}
    sent = invoices[~invoices["is_draft"]]
    for currency, group in sent.groupby("currency", sort=False):
        amounts = [a for a in group["amount"] if a is not None and a > ZERO]
        if amounts:
            usual[str(currency)] = Decimal(median(amounts))
    return usual


def chase_list(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    today: date,
    chased: Mapping[int, Chased] | None = None,
) -> pd.DataFrame:
    """Every overdue invoice and those due within :data:`SOON_DAYS`, most worth chasing first
    (see the module docstring), with the tone of its reminder."""
    chased = chased or {}
    open_ = open_invoices_as_of(invoices, payments, today, today)
    due = open_["due_date"]
    soon = due.notna() & (due <= day(today) + pd.Timedelta(days=SOON_DAYS))
    candidates = open_[soon]
    paid = paid_days(invoices, payments, today)  # once: habits and risks both read it
    habits, default = habits_of(paid)
    risks = _risks(paid)
    usual = _usual_amounts(invoices)
    rows = []
    for inv in candidates.itertuples(index=False):
        days_late = (today - inv.due_date.date()).days
        client = int(inv.client_id) if pd.notna(inv.client_id) else None
        habit = habits.get(client, default) if client is not None else default
        mark = chased.get(int(inv.invoice_id))
        sent = mark.count if mark else 0
        risk = risk_of(risks, client, days_late)
        size = float(inv.open_amount / usual.get(inv.currency, inv.open_amount))
        # Later than the client's own habit counts more than late for a client always late.
        lateness = max(days_late, -SOON_DAYS) + max(0, days_late - habit.typical)
        score = size * (1 + max(lateness, 0) / 30) * (1 + risk) / (1 + 0.5 * sent)
        if days_late <= 0:
            score *= 0.25  # not yet late: a heads-up, after everything that is
        rows.append(
            {
                "invoice_id": int(inv.invoice_id),
                "number": inv.number,
                "client_id": client,
                "client": inv.client,
                "currency": inv.currency,
                "outstanding": inv.open_amount,
                "due_date": inv.due_date,
                "days_late": days_late,
                "habit_days": habit.typical,
                "risk": round(risk, 2),
                "reminders_sent": sent,
                "last_chased": pd.Timestamp(mark.last) if mark else pd.NaT,
                "tone": tone_for(days_late, sent),
                "score": round(score, 4),
            }
        )
    frame = pd.DataFrame(rows, columns=CHASE_COLUMNS)
    if frame.empty:
        return frame
    ordered = frame.sort_values(
        ["score", "days_late", "invoice_id"], ascending=[False, False, True]
    )
    return ordered.reset_index(drop=True)


def reminder_for(invoice: Invoice, row: Mapping[str, Any], business: str) -> dict[str, str]:
    """The drafted reminder of one :func:`chase_list` row (subject and body), greeting the
    invoice's contact and signed with the business's name."""
    due = row["due_date"]
    return draft_reminder(
        number=invoice.invoice_number or str(invoice.id),
        greeting=plain_text(invoice.fname, 40),
        owed=str(Money.of(row["outstanding"], invoice.currency or "USD")),
        due=None if pd.isna(due) else due.date(),
        days_late=int(row["days_late"]),
        tone=str(row["tone"]),
        business=plain_text(business, 80) or "",
        reminders=int(row["reminders_sent"]),
    )
