"""The cash forecast as it was before its per-group pandas work became plain loops and the
backtest stopped building whole forecasts: a verbatim copy of ``insights/forecast.py`` then
(one import made absolute). Tests hold today's faster forecast to it on the demo books."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

import pandas as pd

from insights._money import ZERO, day, dsum

__all__ = [
    "DEFAULT_HABIT",
    "DOUBTFUL_DAYS",
    "WEEKS",
    "Backtest",
    "Forecast",
    "Habit",
    "backtest",
    "forecast",
    "open_invoices_as_of",
    "paid_days",
    "payment_habits",
    "recurring_expenses",
]

WEEKS = 13
DOUBTFUL_DAYS = 120  # past due by more than this: not counted on
MIN_HISTORY = 2  # paid invoices before a client's own habit is used
RECURRING_MIN = 3  # occurrences before an expense counts as recurring
LOOKBACK_DAYS = 400  # how far back recurring expenses are looked for

Scheduled = Callable[[date, date], pd.DataFrame]
RECORD_COLUMNS = [
    "week",
    "invoice_id",
    "currency",
    "direction",
    "kind",
    "ref",
    "party",
    "amount",
    "expected",
    "early",
    "late",
]
WEEK_COLUMNS = ["week", "currency", "in_expected", "in_low", "in_high", "out_expected", "net"]


@dataclass(frozen=True)
class Habit:
    """How many days after the due date a client pays: usually, early, late; from how many
    paid invoices (0: the business-wide default)."""

    typical: int
    early: int
    late: int
    paid: int = 0


# No history anywhere: a week after the due date, between the due date and a month late.
DEFAULT_HABIT = Habit(typical=7, early=0, late=30)


def _quantile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def _habit(days_late: list[int]) -> Habit:
    return Habit(
        typical=round(median(days_late)),
        early=_quantile(days_late, 0.25),
        late=_quantile(days_late, 0.75),
        paid=len(days_late),
    )


def _payments_by(payments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Payments dated on or before ``as_of`` that name an invoice."""
    known = payments[payments["date"].notna() & (payments["date"] <= day(as_of))]
    return known[known["invoice_id"].notna()]


def paid_days(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Invoices paid in full by ``as_of``: client and days from due date to the last payment."""
    known = _payments_by(payments, as_of)
    if known.empty:
        return pd.DataFrame(columns=["client_id", "days_late"])
    by_invoice = known.groupby("invoice_id", sort=False).agg(
        last=("date", "max"), received=("amount", dsum)
    )
    merged = invoices.merge(by_invoice, left_on="invoice_id", right_index=True, how="inner")
    full = merged[
        [
            a is not None and p >= a
            for p, a in zip(merged["received"], merged["amount"], strict=True)
        ]
    ]
    due = full["due_date"].fillna(full["create_date"])
    days = (full["last"] - due).dt.days
    return pd.DataFrame({"client_id": full["client_id"], "days_late": days}).dropna()


def payment_habits(
    invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date
) -> tuple[dict[int, Habit], Habit]:
    """Each client's habit from what they had paid by ``as_of``, and the business's (the
    default for clients with too little history)."""
    paid = paid_days(invoices, payments, as_of)
    every = [int(d) for d in paid["days_late"]]
    default = _habit(every) if len(every) >= RECURRING_MIN else DEFAULT_HABIT
    habits = {
        int(client): _habit([int(d) for d in group["days_late"]])
        for client, group in paid.groupby("client_id", sort=False)
        if len(group) >= MIN_HISTORY
    }
    return habits, Habit(default.typical, default.early, default.late, 0)


def open_invoices_as_of(
    invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date, today: date
) -> pd.DataFrame:
    """Invoices sent by ``as_of`` with money still owed then (``open_amount``).

    Today's is FreshBooks' own outstanding figure; a past day's is the amount less the
    payments dated by then (what was known that day).
    """
    sent = invoices[~invoices["is_draft"] & invoices["create_date"].notna()]
    sent = sent[sent["create_date"] <= day(as_of)].copy()
    if as_of >= today:
        sent["open_amount"] = sent["outstanding"]
    else:
        known = _payments_by(payments, as_of)
        paid = known.groupby("invoice_id", sort=False)["amount"].agg(dsum)
        sent["open_amount"] = [
            amount - paid.get(invoice, ZERO) if amount is not None else None
            for invoice, amount in zip(sent["invoice_id"], sent["amount"], strict=True)
        ]
    return sent[[v is not None and v > ZERO for v in sent["open_amount"]]]


def _week_of(when: date, start: date) -> date:
    return start + timedelta(days=7 * ((when - start).days // 7))


@dataclass(frozen=True)
class Forecast:
    """The forecast ``as_of`` a day: ``weeks`` (per week and currency: money in expected, its
    low and high, money out, net) and ``records`` (every invoice, scheduled invoice and
    recurring expense behind them, with its dates); ``doubtful`` the invoices left out."""

    as_of: date
    start: date  # the Monday of the first week
    weeks: pd.DataFrame
    records: pd.DataFrame
    doubtful: pd.DataFrame

    def total_in(self, currency: str, until: date) -> Decimal:
        """Money expected in ``currency`` from ``as_of`` up to (not including) ``until``."""
        rows = self.records[
            (self.records["direction"] == "in")
            & (self.records["currency"] == currency)
            & (self.records["expected"] < day(until))
        ]
        return dsum(rows["amount"])


def _dates(due: date, habit: Habit, as_of: date) -> tuple[date, date, date]:
    """(early, expected, late) payment days for an invoice due on ``due``, none before as_of."""
    early, usual, late = (due + timedelta(days=d) for d in (habit.early, habit.typical, habit.late))
    if usual < as_of:
        # Later than this client usually pays: expected soon, within the spread of their habit.
        spread = max(7, habit.late - habit.typical)
        return as_of, as_of + timedelta(days=min(7, spread)), as_of + timedelta(days=spread)
    return max(early, as_of), usual, max(late, usual)


def _incoming(
    invoices: pd.DataFrame, habits: dict[int, Habit], default: Habit, as_of: date
) -> tuple[list[dict[str, object]], pd.DataFrame]:
    rows: list[dict[str, object]] = []
    doubtful = []
    for inv in invoices.itertuples(index=False):
        due_ts = inv.due_date if pd.notna(inv.due_date) else inv.create_date
        due = due_ts.date()
        if (as_of - due).days > DOUBTFUL_DAYS:
            doubtful.append(inv.invoice_id)
            continue
        client = int(inv.client_id) if pd.notna(inv.client_id) else None
        habit = habits.get(client, default) if client is not None else default
        early, usual, late = _dates(due, habit, as_of)
        rows.append(
            {
                "currency": inv.currency,
                "direction": "in",
                "kind": "invoice",
                "invoice_id": inv.invoice_id,
                "ref": f"invoice {inv.number}",
                "party": inv.client,
                "amount": inv.open_amount,
                "expected": usual,
                "early": early,
                "late": late,
            }
        )
    return rows, invoices[invoices["invoice_id"].isin(doubtful)]


def _scheduled_in(
    scheduled: pd.DataFrame, habits: dict[int, Habit], default: Habit, as_of: date
) -> list[dict[str, object]]:
    """Invoices recurring profiles will issue (``issue``, ``due_days``, client, amount)."""
    rows: list[dict[str, object]] = []
    for item in scheduled.itertuples(index=False):
        client = int(item.client_id) if pd.notna(item.client_id) else None
        habit = habits.get(client, default) if client is not None else default
        due = item.issue + timedelta(days=int(item.due_days))
        early, usual, late = _dates(due, habit, as_of)
        rows.append(
            {
                "currency": item.currency,
                "direction": "in",
                "kind": "recurring invoice",
                "ref": str(item.ref),
                "party": item.client,
                "amount": item.amount,
                "expected": usual,
                "early": early,
                "late": late,
            }
        )
    return rows


def recurring_expenses(expenses: pd.DataFrame, as_of: date, until: date) -> pd.DataFrame:
    """Expenses expected from ``as_of`` up to ``until`` because they recur: the same vendor
    (else category) and currency, at least :data:`RECURRING_MIN` times in the last
    :data:`LOOKBACK_DAYS`, at a steady interval (weekly to quarterly) and a steady amount
    (each within a quarter of the median). One row per expected expense."""
    columns = ["currency", "party", "amount", "date", "interval"]
    since = day(as_of - timedelta(days=LOOKBACK_DAYS))
    known = expenses[expenses["date"].notna() & (expenses["date"] <= day(as_of))]
    known = known[(known["date"] >= since) & ~known["archived"]]
    if known.empty:
        return pd.DataFrame(columns=columns)
    party = known["vendor"].where(known["vendor"].fillna("").str.strip() != "", known["category"])
    out: list[dict[str, object]] = []
    for (name, currency), group in known.assign(party=party).groupby(["party", "currency"]):
        if len(group) < RECURRING_MIN:
            continue
        dates = sorted(group["date"].dt.date)
        gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
        interval = round(median(gaps))
        if not 6 <= interval <= 95 or any(abs(g - interval) > max(3, interval // 5) for g in gaps):
            continue
        amounts = [a for a in group["amount"] if a is not None]
        typical = Decimal(median(amounts))
        if typical <= ZERO or any(abs(a - typical) > typical / 4 for a in amounts):
            continue
        next_day = dates[-1] + timedelta(days=interval)
        while next_day < until:
            if next_day >= as_of:
                row = {"currency": currency, "party": name, "amount": typical}
                out.append({**row, "date": next_day, "interval": interval})
            next_day += timedelta(days=interval)
    return pd.DataFrame(out, columns=columns)


def forecast(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    expenses: pd.DataFrame,
    *,
    as_of: date,
    today: date,
    weeks: int = WEEKS,
    scheduled: Scheduled | None = None,
) -> Forecast:
    """The forecast from ``as_of`` for ``weeks`` weeks (Monday to Sunday, the first holding
    ``as_of``), from what was known on ``as_of`` (see the module docstring)."""
    start = as_of - timedelta(days=as_of.weekday())
    until = start + timedelta(weeks=weeks)
    habits, default = payment_habits(invoices, payments, as_of)
    open_ = open_invoices_as_of(invoices, payments, as_of, today)
    rows, doubtful = _incoming(open_, habits, default, as_of)
    if scheduled is not None:
        rows += _scheduled_in(scheduled(as_of, until), habits, default, as_of)
    for exp in recurring_expenses(expenses, as_of, until).itertuples(index=False):
        rows.append(
            {
                "currency": exp.currency,
                "direction": "out",
                "kind": "recurring expense",
                "ref": f"every {exp.interval} days",
                "party": exp.party,
                "amount": exp.amount,
                "expected": exp.date,
                "early": exp.date,
                "late": exp.date,
            }
        )
    records = pd.DataFrame(rows, columns=RECORD_COLUMNS[1:])
    records["invoice_id"] = records["invoice_id"].astype("Int64")
    for column in ("expected", "early", "late"):
        records[column] = pd.to_datetime(records[column]).astype("datetime64[s]")
    currencies = sorted(records["currency"].dropna().unique())
    records = records[records["expected"] < day(until)]
    records.insert(0, "week", [day(_week_of(d.date(), start)) for d in records["expected"]])
    return Forecast(as_of, start, _weeks(records, currencies, start, weeks), records, doubtful)


def _within(records: pd.DataFrame, column: str, week: date) -> Decimal:
    """The money of ``records`` whose ``column`` day falls in the week starting ``week``."""
    dates = records[column]
    inside = (dates >= day(week)) & (dates < day(week + timedelta(days=7)))
    return dsum(records["amount"][inside])


def _weeks(records: pd.DataFrame, currencies: list[str], start: date, weeks: int) -> pd.DataFrame:
    """Per week and currency: expected in, its low and high across early/usual/late dates,
    expected out, net. Every week of every currency with money expected, in the horizon or
    after it, is listed."""
    rows = []
    weeks_list = [start + timedelta(weeks=n) for n in range(weeks)]
    for currency in currencies:
        mine = records[records["currency"] == currency]
        incoming = mine[mine["direction"] == "in"]
        outgoing = mine[mine["direction"] == "out"]
        for week in weeks_list:
            scenarios = [_within(incoming, c, week) for c in ("early", "expected", "late")]
            money_out = _within(outgoing, "expected", week)
            rows.append(
                {
                    "week": day(week),
                    "currency": currency,
                    "in_expected": scenarios[1],
                    "in_low": min(scenarios),
                    "in_high": max(scenarios),
                    "out_expected": money_out,
                    "net": scenarios[1] - money_out,
                }
            )
    return pd.DataFrame(rows, columns=WEEK_COLUMNS)


@dataclass(frozen=True)
class Backtest:
    """How the ``horizon``-day forecast did from past days, in one currency: per day the
    money forecast to come in and what did (``points``), and the error over all of them
    (sum of absolute misses over the sum of what came in; None when nothing came in)."""

    currency: str
    horizon: int
    points: pd.DataFrame  # as_of, forecast, actual
    error: Decimal | None

    def sentence(self) -> str:
        """The error in plain words."""
        if self.error is None or self.points.empty:
            return f"Not enough history in {self.currency} to say how close past forecasts came."
        span = len(self.points)
        weeks = self.horizon // 7
        pct = (self.error * 100).quantize(Decimal("1"))
        return (
            f"Over the last {span} four-week windows, the {weeks}-week forecast of money in "
            f"({self.currency}) was within {pct}% of what came in."
            if weeks == 4
            else f"Over {span} past windows, the {weeks}-week forecast ({self.currency}) was "
            f"within {pct}% of what came in."
        )


def backtest(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    expenses: pd.DataFrame,
    *,
    today: date,
    currency: str,
    horizon: int = 28,
    windows: int = 13,
    scheduled: Scheduled | None = None,
) -> Backtest:
    """Forecast from ``windows`` past days, ``horizon`` days apart and ending ``horizon``
    days before ``today``, each using only what was known then, and compare the money
    forecast to come in over the next ``horizon`` days with the payments dated in them."""
    points = []
    for n in range(windows, 0, -1):
        as_of = today - timedelta(days=horizon * n)
        until = as_of + timedelta(days=horizon)
        past = forecast(
            invoices,
            payments,
            expenses,
            as_of=as_of,
            today=today,
            weeks=horizon // 7 + 2,
            scheduled=scheduled,
        )
        predicted = past.total_in(currency, until)
        came = payments[
            (payments["currency"] == currency)
            & (payments["date"] >= day(as_of))
            & (payments["date"] < day(until))
        ]
        points.append({"as_of": day(as_of), "forecast": predicted, "actual": dsum(came["amount"])})
    frame = pd.DataFrame(points, columns=["as_of", "forecast", "actual"])
    came_in = dsum(frame["actual"])
    missed = sum(
        (abs(f - a) for f, a in zip(frame["forecast"], frame["actual"], strict=True)), ZERO
    )
    return Backtest(currency, horizon, frame, missed / came_in if came_in > ZERO else None)
