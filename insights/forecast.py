"""Cash forecast: money expected in and out, week by week, per currency, with the records behind
every number, and a backtest of how close it came in the past.

Money in is the open invoices, each expected on the day its client usually pays (their own
history of days from due date to payment), plus the invoices recurring profiles will issue
(``scheduled``). Money out is the expenses that recur: the same vendor (or category) in the
same currency, at a steady interval and a steady amount. Each invoice has three dates, from
the client's early, usual and late payments; a week's range is the least and the most its
total comes to across those three. Invoices more than :data:`DOUBTFUL_DAYS` past due are left
out (listed as doubtful): a forecast that counts them is a forecast of hope.

Everything is computed ``as_of`` a day from what was known then (invoices created by then,
payments dated by then), so the same code forecasts today and backtests the past.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

import numpy as np
import pandas as pd

from ._money import ZERO, day, dsum, dsum_running, summable

__all__ = [
    "DEFAULT_HABIT",
    "DOUBTFUL_DAYS",
    "WEEKS",
    "Backtest",
    "Forecast",
    "Habit",
    "backtest",
    "forecast",
    "habits_of",
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
    ordered = sorted(days_late)  # once: sorting a sorted list again takes one pass
    return Habit(
        typical=round(median(ordered)),
        early=_quantile(ordered, 0.25),
        late=_quantile(ordered, 0.75),
        paid=len(ordered),
    )


class _Paid:
    """What the payments had paid each invoice (each row of ``invoices``) by any day.

    Every payment that names an invoice and has a day is sorted once by invoice and day, with
    each invoice's running sum, so a day's figures are one binary search per invoice instead of
    a pass over every payment: the backtest asks for 13 days. A running sum adds an invoice's
    payments in day order where a sum over a day's payments added them in row order: the same
    Decimal, as adding amounts in cents rounds nothing.
    """

    def __init__(self, invoices: pd.DataFrame, payments: pd.DataFrame) -> None:
        known = payments[payments["date"].notna() & payments["invoice_id"].notna()]
        codes, ids = pd.factorize(known["invoice_id"])
        when = known["date"].to_numpy().astype("datetime64[s]")
        seconds = when.astype("int64")
        order = np.lexsort((np.arange(len(known)), seconds, codes))  # ties keep row order
        self._base = int(seconds.min()) if len(known) else 0
        offsets = seconds[order] - self._base
        # Keys sort by invoice, then time: an invoice's payments by a day are its keys up to
        # the key of that day, and no two invoices' keys overlap.
        self._span = int(offsets.max()) + 2 if len(known) else 2
        self._keys = codes[order] * self._span + offsets
        self._sorted = np.sort(offsets)
        # Per sorted payment: its day and its invoice's running sum; the last entries (NaT, 0)
        # stand for an invoice paid nothing yet.
        self._days = np.append(when[order], np.datetime64("NaT", "s"))
        amounts = known["amount"].to_numpy(dtype=object)[order]
        self._running = np.array([*dsum_running(codes[order].tolist(), amounts), ZERO], object)
        # Per invoice: its payments' code (-1: none) and where they start among the keys.
        self._code = pd.Index(ids).get_indexer(invoices["invoice_id"])
        self._first = np.searchsorted(self._keys, self._code * self._span)

    def any_by(self, as_of: date) -> bool:
        """Whether any payment naming an invoice is dated on or before ``as_of``."""
        return bool(np.searchsorted(self._sorted, self._offset(as_of), side="right"))

    def by(self, as_of: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per invoice: whether a payment named it by ``as_of``, the day of the last one and
        the exact sum received (NaT and 0 for an invoice paid nothing yet)."""
        query = self._code * self._span + self._offset(as_of)
        last = np.searchsorted(self._keys, query, side="right") - 1
        some = (self._code >= 0) & (last >= self._first)
        last = np.where(some, last, -1)
        return some, self._days[last], self._running[last]

    def _offset(self, as_of: date) -> int:
        # Payments dated on or before the day's midnight (the frames' days are midnights);
        # clamped so that a key never reaches into another invoice's.
        offset = int(np.datetime64(as_of, "s").astype("int64")) - self._base
        return min(max(offset, -1), self._span - 2)


def _kept(flags: list[bool]) -> np.ndarray:
    """Flags as a boolean mask (a plain list would pick columns when it is empty)."""
    return np.array(flags, dtype=bool)


def _paid_days(invoices: pd.DataFrame, paid: _Paid, as_of: date) -> pd.DataFrame:
    if not paid.any_by(as_of):
        return pd.DataFrame(columns=["client_id", "days_late"])
    some, last, received = paid.by(as_of)
    amounts = invoices["amount"].to_numpy(dtype=object)
    rows = np.flatnonzero(some)
    full = _kept(
        [a is not None and p >= a for p, a in zip(received[rows], amounts[rows], strict=True)]
    )
    rows = rows[full]
    client = invoices["client_id"].iloc[rows]
    due = invoices["due_date"].iloc[rows].fillna(invoices["create_date"].iloc[rows])
    days = (pd.Series(last[rows], index=client.index) - due).dt.days
    return pd.DataFrame({"client_id": client, "days_late": days}).dropna()


def paid_days(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Invoices paid in full by ``as_of``: client and days from due date to the last payment."""
    return _paid_days(invoices, _Paid(invoices, payments), as_of)


def _habits(paid: pd.DataFrame) -> tuple[dict[int, Habit], Habit]:
    every = [int(d) for d in paid["days_late"].tolist()]
    default = _habit(every) if len(every) >= RECURRING_MIN else DEFAULT_HABIT
    by_client: dict[int, list[int]] = {}
    for client, days_late in zip(paid["client_id"].tolist(), every, strict=True):
        by_client.setdefault(int(client), []).append(days_late)
    habits = {
        client: _habit(days_late)
        for client, days_late in by_client.items()
        if len(days_late) >= MIN_HISTORY
    }
    return habits, Habit(default.typical, default.early, default.late, 0)


def payment_habits(
    invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date
) -> tuple[dict[int, Habit], Habit]:
    """Each client's habit from what they had paid by ``as_of``, and the business's (the
    default for clients with too little history)."""
    return habits_of(paid_days(invoices, payments, as_of))


def habits_of(paid: pd.DataFrame) -> tuple[dict[int, Habit], Habit]:
    """:func:`payment_habits` from :func:`paid_days`' answer, for a caller that has it."""
    return _habits(paid)


def _open_invoices(
    invoices: pd.DataFrame, paid: _Paid | None, as_of: date, currency: str | None = None
) -> pd.DataFrame:
    """:func:`open_invoices_as_of`, owed per ``paid`` (None: FreshBooks' outstanding figure,
    today's); only those in ``currency`` when given."""
    created = invoices["create_date"]
    sent = ~invoices["is_draft"] & created.notna() & (created <= day(as_of))
    if currency is not None:
        sent &= invoices["currency"] == currency
    where = np.flatnonzero(sent.to_numpy())
    if paid is None:
        owed = invoices["outstanding"].to_numpy(dtype=object)[where]
    else:
        received = paid.by(as_of)[2][where]
        amounts = invoices["amount"].to_numpy(dtype=object)[where]
        owed = np.array(
            [
                amount - got if amount is not None else None
                for amount, got in zip(amounts, received, strict=True)
            ],
            dtype=object,
        )
    keep = _kept([v is not None and v > ZERO for v in owed])
    # Rows are taken from the wide frame once, after the sums.
    rows = np.zeros(len(invoices), dtype=bool)
    rows[where[keep]] = True
    open_ = invoices[rows].copy()
    open_["open_amount"] = (
        open_["outstanding"] if paid is None else pd.Series(owed[keep], index=open_.index)
    )
    return open_


def open_invoices_as_of(
    invoices: pd.DataFrame, payments: pd.DataFrame, as_of: date, today: date
) -> pd.DataFrame:
    """Invoices sent by ``as_of`` with money still owed then (``open_amount``).

    Today's is FreshBooks' own outstanding figure; a past day's is the amount less the
    payments dated by then (what was known that day).
    """
    paid = _Paid(invoices, payments) if as_of < today else None
    return _open_invoices(invoices, paid, as_of)


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
    # The columns read, not the whole wide frame: the backtest asks 13 times.
    read = ("invoice_id", "due_date", "create_date", "client_id", "currency", "number", "client")
    columns = [invoices[c] for c in (*read, "open_amount")]
    for invoice_id, due_date, created, client_id, currency, number, party, owed in zip(
        *columns, strict=True
    ):
        due_ts = due_date if pd.notna(due_date) else created
        due = due_ts.date()
        if (as_of - due).days > DOUBTFUL_DAYS:
            doubtful.append(invoice_id)
            continue
        client = int(client_id) if pd.notna(client_id) else None
        habit = habits.get(client, default) if client is not None else default
        early, usual, late = _dates(due, habit, as_of)
        rows.append(
            {
                "currency": currency,
                "direction": "in",
                "kind": "invoice",
                "invoice_id": invoice_id,
                "ref": f"invoice {number}",
                "party": party,
                "amount": owed,
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


def _money_in(
    invoices: pd.DataFrame,
    paid: _Paid,
    as_of: date,
    today: date,
    until: date,
    scheduled: Scheduled | None,
    currency: str | None = None,
) -> tuple[list[dict[str, object]], pd.DataFrame]:
    """The forecast's money in from ``as_of``: a record per open invoice and per invoice the
    profiles will issue before ``until``, and the doubtful invoices left out; only those in
    ``currency`` when given (habits still come from every currency's payments)."""
    habits, default = _habits(_paid_days(invoices, paid, as_of))
    open_ = _open_invoices(invoices, paid if as_of < today else None, as_of, currency)
    rows, doubtful = _incoming(open_, habits, default, as_of)
    if scheduled is not None:
        planned = scheduled(as_of, until)
        if currency is not None and not planned.empty:
            planned = planned[planned["currency"] == currency]
        rows += _scheduled_in(planned, habits, default, as_of)
    return rows, doubtful


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
    rows, doubtful = _money_in(invoices, _Paid(invoices, payments), as_of, today, until, scheduled)
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


def _week_numbers(dates: pd.Series, start: date) -> list[int]:
    """Each day's week, counted from the one starting ``start`` (-1 for a missing day)."""
    offsets = (dates - day(start)).dt.days
    return [int(d) // 7 if pd.notna(d) else -1 for d in offsets]


def _weeks(records: pd.DataFrame, currencies: list[str], start: date, weeks: int) -> pd.DataFrame:
    """Per week and currency: expected in, its low and high across early/usual/late dates,
    expected out, net. Every week of every currency with money expected, in the horizon or
    after it, is listed.

    One pass over the records puts each amount in its week's sums (early, expected and late
    for money in, expected for money out), adding in the records' order as a sum over each
    week's rows would.
    """
    place = {currency: n for n, currency in enumerate(currencies)}
    # Per currency and week: money in on the early, expected and late days, and money out.
    sums = [[[ZERO, ZERO, ZERO, ZERO] for _ in range(weeks)] for _ in currencies]
    early, expected, late = (
        _week_numbers(records[c], start) for c in ("early", "expected", "late")
    )
    columns = (records["currency"], records["direction"], records["amount"].to_numpy(dtype=object))
    for n, (currency, direction, amount) in enumerate(zip(*columns, strict=True)):
        mine = place.get(currency) if isinstance(currency, str) else None
        if mine is None or not summable(amount):
            continue
        if direction == "in":
            for slot, week in enumerate((early[n], expected[n], late[n])):
                if 0 <= week < weeks:
                    sums[mine][week][slot] += amount
        elif direction == "out" and 0 <= expected[n] < weeks:
            sums[mine][expected[n]][3] += amount
    rows = []
    for currency, per_week in zip(currencies, sums, strict=True):
        for n, (*scenarios, money_out) in enumerate(per_week):
            rows.append(
                {
                    "week": day(start + timedelta(weeks=n)),
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


def _before(when: object, until: date) -> bool:
    return isinstance(when, date) and when < until


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
    paid = _Paid(invoices, payments)
    for n in range(windows, 0, -1):
        as_of = today - timedelta(days=horizon * n)
        until = as_of + timedelta(days=horizon)
        # The money forecast(as_of, weeks=horizon // 7 + 2).total_in(currency, until) counts,
        # without building the rest of that forecast (money out, weeks, frames): 13 times over.
        start = as_of - timedelta(days=as_of.weekday())
        horizon_end = start + timedelta(weeks=horizon // 7 + 2)
        rows, _ = _money_in(invoices, paid, as_of, today, horizon_end, scheduled, currency)
        end = min(until, horizon_end)
        predicted = dsum(row["amount"] for row in rows if _before(row["expected"], end))
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
