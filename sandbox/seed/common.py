"""Plumbing shared by the demo-data builders: the per-business context, ids, dates, timestamps."""

from __future__ import annotations

import calendar
import datetime as dt
import random
import uuid
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sandbox.seed.catalog import BusinessSeed

T = TypeVar("T")
HISTORY_DAYS = 3 * 365
# Record ids live in blocks: business i owns [STRIDE*(i+1), STRIDE*(i+2)), and each kind of record
# a BLOCK inside it, so no id is shared by two businesses or two kinds. A client that sends an
# invoice id where a client id belongs, or one business's id to another, gets a 404, not data.
STRIDE = 20_000_000
BLOCK = 1_000_000
KINDS = (
    "client", "invoice", "line", "payment", "expense", "category", "staff", "item", "tax",
    "estimate", "project", "time_entry", "service", "group", "identity", "membership",
    "profile",
)  # fmt: skip

WORK_WEEK = (1.0, 1.0, 1.0, 1.0, 0.85, 0.08, 0.04)  # Mon..Sun: time is logged on weekdays
SPEND_WEEK = (1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.2)  # card spend also happens on weekends


class Scale(NamedTuple):
    """Target record counts of one business at one size."""

    clients: int
    invoices: int
    expenses: int
    time_entries: int
    recurring: int  # how many of the business's subscriptions it pays
    trips_per_year: int


class IdAllocator:
    """Hands out increasing ids from the block of one business and kind."""

    def __init__(self, business_index: int) -> None:
        base = STRIDE * (business_index + 1)
        self._next = {kind: base + BLOCK * n + 1 for n, kind in enumerate(KINDS)}

    def take(self, kind: str) -> int:
        """The next id of `kind`."""
        value = self._next[kind]
        self._next[kind] = value + 1
        return value


class Calendar:
    """Days of the history with weekday weights, for weighted random picks in a date range."""

    def __init__(self, start: dt.date, end: dt.date, week: tuple[float, ...]) -> None:
        self.start = start
        self.end = end
        days = (end - start).days + 1
        weights = []
        for n in range(days):
            day = start + dt.timedelta(days=n)
            quiet = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)
            weights.append(week[day.weekday()] * (0.15 if quiet else 1.0))
        self._cum = list(accumulate(weights))

    def pick(self, rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
        """A day in [lo, hi] (clamped to the calendar), weekdays far likelier than weekends."""
        i = max(0, (lo - self.start).days)
        j = min(len(self._cum) - 1, (hi - self.start).days)
        if j <= i:
            return self.start + dt.timedelta(days=max(0, min(i, len(self._cum) - 1)))
        base = self._cum[i - 1] if i else 0.0
        target = base + rng.random() * (self._cum[j] - base)
        return self.start + dt.timedelta(days=bisect_right(self._cum, target, i, j))


@dataclass
class Ctx:
    """What every builder of one business needs: its seed data, size, ids and dates."""

    seed: int
    biz: BusinessSeed
    scale: Scale
    index: int
    today: dt.date
    account_id: str
    business_id: int
    owner_identity: int
    ids: IdAllocator = field(init=False)
    start: dt.date = field(init=False)
    work_days: Calendar = field(init=False)
    spend_days: Calendar = field(init=False)
    _tz_offsets: dict[dt.date, dt.timedelta] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.ids = IdAllocator(self.index)
        self.start = self.today - dt.timedelta(days=HISTORY_DAYS)
        self.work_days = Calendar(self.start, self.today, WORK_WEEK)
        self.spend_days = Calendar(self.start, self.today, SPEND_WEEK)
        self._zone = ZoneInfo(self.biz.timezone)

    @property
    def yesterday(self) -> dt.date:
        """The last day time can have been logged on."""
        return self.today - dt.timedelta(days=1)

    def rng(self, phase: str) -> random.Random:
        """An independent random stream per business and phase, so phases do not disturb
        each other's sequences when one of them changes."""
        return random.Random(f"freshbooks-demo:{self.seed}:{self.biz.key}:{phase}")

    def month(self, offset: int, day: int = 1) -> dt.date:
        """Day `day` (clamped to the month's length) of the month `offset` months after the
        history's first month."""
        return add_months(self.start.replace(day=1), offset, day)

    def months(self) -> list[dt.date]:
        """First days of every month of the history, the current month included."""
        out = []
        first = self.start.replace(day=1)
        while first <= self.today:
            out.append(first)
            first = add_months(first, 1)
        return out

    def to_utc(self, day: dt.date, seconds: int) -> dt.datetime:
        """Naive UTC datetime of a local wall-clock time in the business's timezone."""
        offset = self._tz_offsets.get(day)
        if offset is None:
            noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=self._zone)
            offset = self._tz_offsets[day] = noon.utcoffset() or dt.timedelta(0)
        return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds) - offset


def add_months(first: dt.date, months: int, day: int = 1) -> dt.date:
    """The date `months` months after `first`'s month, on `day` clamped to the month length."""
    total = first.year * 12 + first.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day, calendar.monthrange(year, month + 1)[1]))


def next_weekday(day: dt.date) -> dt.date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def clamp(day: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    """`day` moved into [lo, hi]."""
    return max(lo, min(hi, day))


def one_of(rng: random.Random, items: Sequence[T]) -> T:
    """`rng.choice` with a single float draw: the hot loops call it a hundred thousand times."""
    return items[int(rng.random() * len(items))]


def eastern_stamp(rng: random.Random, day: dt.date) -> str:
    """An accounting `updated` timestamp (naive US/Eastern) during office hours of `day`."""
    seconds = 8 * 3600 + int(rng.random() * 11 * 3600)
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def utc_stamp(rng: random.Random, day: dt.date) -> str:
    """A naive UTC "YYYY-MM-DD HH:MM:SS" during North American office hours of `day`."""
    seconds = 13 * 3600 + int(rng.random() * 10 * 3600)
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def iso_z(moment: dt.datetime) -> str:
    """ISO 8601 with a trailing Z for a naive UTC datetime (time entries, identity)."""
    return moment.isoformat() + "Z"


def make_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from `rng` (reproducible, unlike uuid.uuid4)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def amount_between(rng: random.Random, lo: str, hi: str) -> Decimal:
    """A cent amount uniformly in [lo, hi]."""
    low, high = int(Decimal(lo) * 100), int(Decimal(hi) * 100)
    return Decimal(rng.randint(low, high)) / 100


def phone(rng: random.Random, prefix: str) -> str:
    """A fictional phone number: 555-01xx in North America, drama ranges elsewhere."""
    if prefix.startswith("+"):
        return f"{prefix} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return f"({prefix}) 555-01{rng.randint(0, 99):02d}"


def weighted_counts(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to `weights` (largest remainder)."""
    norm = sum(weights)
    if total <= 0 or norm <= 0:
        return [0] * len(weights)
    raw = [total * w / norm for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
