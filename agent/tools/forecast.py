"""The cash forecast the Forecast page shows (:mod:`insights.forecast`), for the chat.

The answer fits a screenful (:data:`LIMIT` characters) on any business: per currency the
totals over the weeks asked for, the weeks themselves (summed in 4-week blocks for currencies
other than the one in focus when there are several), the biggest expected items and how close
past forecasts came; what was summarised or left out is said, with how to ask for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from pydantic import Field

from agent.tool import Tool, ToolContext
from fbclient.snapshot import Snapshot
from insights._money import dsum
from insights.forecast import DOUBTFUL_DAYS, WEEKS, Forecast, backtest, forecast
from insights.recurring import scheduled_invoices

from ._args import Args, CurrencyCode, today_of
from ._lookup import LIST_PAGES
from ._rows import compact, text

__all__ = ["LIMIT", "TOOLS", "ForecastArgs", "cash_forecast"]

LIMIT = 7_000  # characters of JSON at most: read tools stay under 8,000
BIGGEST = 10  # expected items listed, shared between the currencies shown
BLOCK = 4  # weeks summed together for the currencies not in focus
WEEK_FIGURES = ("in_expected", "in_low", "in_high", "out_expected", "net")


class ForecastArgs(Args):
    """Which currency and how many weeks."""

    currency: CurrencyCode | None = Field(
        default=None, description="Only this currency, e.g. USD; null for every currency"
    )
    weeks: int | None = Field(
        default=None, ge=1, le=WEEKS, description=f"Weeks ahead, 1 to {WEEKS}; null for {WEEKS}"
    )


def _money(value: Decimal) -> str:
    return format(value, "f")


def _snapshot(ctx: ToolContext) -> Snapshot:
    if ctx.snapshot is not None:
        return ctx.snapshot()
    books = ctx.books  # without the app's mirror: the lists the forecast reads
    return Snapshot(
        business=ctx.business,
        fetched_at=datetime.now(UTC),
        clients=list(books.clients.list(max_pages=LIST_PAGES)),
        invoices=list(books.invoices.list(max_pages=LIST_PAGES)),
        payments=list(books.payments.list(max_pages=LIST_PAGES)),
        expenses=list(books.expenses.list(max_pages=LIST_PAGES)),
        invoice_profiles=list(books.invoice_profiles.list(max_pages=LIST_PAGES)),
    )


def _day(value: Any) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def _figures(sums: dict[str, Decimal]) -> dict[str, str]:
    return {
        "in_expected": _money(sums["in_expected"]),
        "in_low": _money(sums["in_low"]),
        "in_high": _money(sums["in_high"]),
        "out": _money(sums["out_expected"]),
        "net": _money(sums["net"]),
    }


def _summed(rows: pd.DataFrame, incoming: pd.DataFrame) -> dict[str, str]:
    """The money of the weeks ``rows`` together. Its low and high are, as a week's, the least
    and the most money in comes to if every client pays early, as usual or late (``incoming``:
    the records of money in behind the weeks)."""
    start, end = rows["week"].min(), rows["week"].max() + timedelta(days=7)
    scenarios = [
        dsum(incoming["amount"][(incoming[column] >= start) & (incoming[column] < end)])
        for column in ("early", "expected", "late")
    ]
    sums = {column: dsum(rows[column]) for column in WEEK_FIGURES}
    return _figures(sums | {"in_low": min(scenarios), "in_high": max(scenarios)})


def _weekly(rows: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"week_starting": _day(row["week"]), **_figures(row)} for row in rows.to_dict("records")
    ]


def _blocks(rows: pd.DataFrame, incoming: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for first in range(0, len(rows), BLOCK):
        block = rows.iloc[first : first + BLOCK]
        last = block["week"].iloc[-1] + timedelta(days=6)
        out.append(
            {"from": _day(block["week"].iloc[0]), "to": _day(last), **_summed(block, incoming)}
        )
    return out


def _items(records: pd.DataFrame) -> list[dict[str, Any]]:
    """The records as the model reads them, biggest amount first: an invoice each, and each
    recurring series once, with how many times it falls in the weeks."""
    items: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in records.sort_values(["expected", "ref"], kind="stable").to_dict("records"):
        if r["kind"] == "invoice":
            key: tuple[Any, ...] = ("invoice", r["invoice_id"])
            what = r["ref"]
        else:
            key = (r["direction"], r["kind"], r["ref"], r["party"], r["amount"])
            what = r["ref"] if r["kind"] == "recurring invoice" else f"{r['kind']}, {r['ref']}"
        if key in items:
            items[key]["times"] += 1
            continue
        items[key] = {
            "currency": r["currency"],
            "direction": r["direction"],
            "what": what,
            "invoice_id": None if pd.isna(r["invoice_id"]) else int(r["invoice_id"]),
            "party": text(r["party"], 40),
            "amount": r["amount"],
            "expected": _day(r["expected"]),
            "early": _day(r["early"]) if r["early"] != r["expected"] else None,
            "late": _day(r["late"]) if r["late"] != r["expected"] else None,
            "times": 1,
        }
    ranked = sorted(items.values(), key=lambda i: -i["amount"])  # stable: soonest first on ties
    return [compact(_item(i)) for i in ranked]


def _item(item: dict[str, Any]) -> dict[str, Any]:
    if item["times"] == 1:
        return {**item, "amount": _money(item["amount"]), "times": None}
    # A series: when the first falls and how many times; each one's range is in the weeks.
    first = {"first_expected": item["expected"], "times": item["times"]}
    rest = {k: v for k, v in item.items() if k not in ("expected", "early", "late", "times")}
    return {**rest, "amount": _money(item["amount"]), **first}


@dataclass(frozen=True)
class _Parts:
    """Everything the answer may show, before choosing how much of it fits."""

    as_of: date
    weeks: int
    asked: str | None  # the currency asked for
    focus: str | None  # the currency shown week by week (the asked-for or usual one)
    codes: list[str]  # currencies with money expected, in the answer
    others: list[str]  # currencies with money expected that were not asked for
    blocks: dict[str, dict[str, Any]]  # per currency: totals, weeks, accuracy, doubtful
    items: dict[str, list[dict[str, Any]]]  # per currency, biggest first
    incomplete: list[str]


@dataclass(frozen=True)
class _Shape:
    """How much of the parts an answer shows."""

    by_week: bool  # the currencies not in focus week by week (else in blocks)
    summed: bool  # the currencies not in focus in blocks (else their totals only)
    per_currency: int  # items listed per currency
    kept: int  # currencies not in focus shown at all


def _parts(ctx: ToolContext, args: ForecastArgs) -> _Parts:
    snapshot = _snapshot(ctx)
    today = today_of(ctx)
    frames = ctx.frames_of(snapshot, today)
    weeks = args.weeks or WEEKS
    scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
    if ctx.figures is not None and weeks == WEEKS:
        result = ctx.figures.forecast(snapshot, frames)  # the Forecast page's own
    else:
        result = forecast(
            frames.invoices,
            frames.payments,
            frames.expenses,
            as_of=today,
            today=today,
            weeks=weeks,
            scheduled=scheduled,
        )
    every = sorted(str(c) for c in result.weeks["currency"].unique())
    codes = [c for c in every if c == args.currency] if args.currency else every
    focus = args.currency or (frames.home_currency if frames.home_currency in codes else None)
    if focus is None and codes:
        focus = codes[0]
    blocks = {code: _block(result, code) for code in codes}
    # Past accuracy is 13 past forecasts: for the currency in focus only.
    if focus in blocks:
        tested = (
            ctx.figures.backtest(snapshot, frames, focus)
            if ctx.figures is not None
            else backtest(
                frames.invoices,
                frames.payments,
                frames.expenses,
                today=today,
                currency=focus,
                scheduled=scheduled,
            )
        )
        blocks[focus]["past_accuracy"] = tested.sentence()
    records = result.records
    return _Parts(
        as_of=today,
        weeks=weeks,
        asked=args.currency,
        focus=focus,
        codes=[focus, *(c for c in codes if c != focus)] if focus in codes else codes,
        others=[c for c in every if c not in codes],
        blocks=blocks,
        items={code: _items(records[records["currency"] == code]) for code in codes},
        incomplete=list(snapshot.truncated),
    )


def _block(result: Forecast, code: str) -> dict[str, Any]:
    rows = result.weeks[result.weeks["currency"] == code]
    records = result.records
    incoming = records[(records["currency"] == code) & (records["direction"] == "in")]
    doubtful = result.doubtful[result.doubtful["currency"] == code]
    return {
        "totals": _summed(rows, incoming),
        "weekly": _weekly(rows),
        "four_weekly": _blocks(rows, incoming),
        "doubtful": {"invoices": len(doubtful), "owed": _money(dsum(doubtful["open_amount"]))}
        if len(doubtful)
        else None,
    }


def _shapes(parts: _Parts) -> Iterator[_Shape]:
    """From the richest answer to the leanest: the first that fits is given."""
    others = max(len(parts.codes) - 1, 0)
    share = max(2, BIGGEST // max(len(parts.codes), 1))
    if others <= 1 or parts.weeks <= BLOCK:  # two currencies, or a few weeks: every week
        yield _Shape(True, True, share, others)
    yield _Shape(False, True, share, others)
    yield _Shape(False, True, 1, others)
    yield _Shape(False, False, 1, others)
    for kept in range(others - 1, -1, -1):
        yield _Shape(False, False, 1, kept)


def _answer(parts: _Parts, shape: _Shape) -> dict[str, Any]:
    shown = parts.codes[: 1 + shape.kept]  # the one in focus first
    by_currency: dict[str, Any] = {}
    for code in shown:
        block = parts.blocks[code]
        detail: dict[str, Any] = {}
        if code == parts.focus or shape.by_week:
            detail["weekly"] = block["weekly"]
        elif shape.summed:
            detail["four_weekly"] = block["four_weekly"]
        by_currency[code] = compact(
            {
                **block["totals"],
                **detail,
                "past_accuracy": block.get("past_accuracy"),
                "items_in": sum(i["direction"] == "in" for i in parts.items[code]),
                "items_out": sum(i["direction"] == "out" for i in parts.items[code]),
                "not_counted": block["doubtful"],
            }
        )
    listed = [i for code in shown for i in parts.items[code][: shape.per_currency]]
    total = sum(len(parts.items[code]) for code in parts.codes)
    return compact(
        {
            "as_of": parts.as_of.isoformat(),
            "weeks": parts.weeks,
            "by_currency": by_currency,
            "biggest": listed,
            "left_out": _left_out(parts, shape, shown, len(listed), total) or None,
            "incomplete": parts.incomplete or None,
            "note": _note(any("not_counted" in block for block in by_currency.values())),
        }
    )


def _left_out(
    parts: _Parts, shape: _Shape, shown: Sequence[str], listed: int, total: int
) -> list[str]:
    notes = []
    summed = [c for c in shown if c != parts.focus and not shape.by_week]
    if summed:
        how = f"in {BLOCK}-week blocks" if shape.summed else "as totals only"
        notes.append(f"{', '.join(summed)} shown {how}; ask with currency for one week by week.")
    hidden = [c for c in parts.codes if c not in shown]
    if hidden:
        notes.append(f"{', '.join(hidden)} left out to fit; ask with currency for each.")
    if listed < total:
        notes.append(
            f"The {listed} biggest of {total} expected items are listed; ask with currency "
            "(and fewer weeks) for more of one currency's."
        )
    if len(shown) > 1 and parts.focus in shown:
        notes.append(f"Past accuracy is for {parts.focus}; ask with currency for another's.")
    if parts.asked and not parts.codes:
        notes.append(f"Nothing is expected in {parts.asked}.")
    elif not parts.codes:
        notes.append("Nothing is expected: no open invoices, recurring invoices or expenses.")
    if parts.others:
        notes.append(
            f"Money is also expected in {', '.join(parts.others)}; ask with that currency, or "
            "without one for every currency."
        )
    return notes


def _note(doubtful: bool) -> str:
    note = (
        "Money is per currency, never added across currencies. Totals are over the weeks "
        "asked for. Low and high: the least and the most money in comes to if every client "
        "pays early, as usual or late (each client's own history)."
    )
    if doubtful:
        note += f" not_counted: invoices more than {DOUBTFUL_DAYS} days past due, left out."
    return note


def _size(result: dict[str, Any]) -> int:
    return len(json.dumps(result, default=str))


def cash_forecast(ctx: ToolContext, args: ForecastArgs) -> dict[str, Any]:
    """Week by week money in (expected, low, high) and out, per currency, the biggest expected
    items and how close the 4-week forecast came over the last year, in at most
    :data:`LIMIT` characters."""
    parts = _parts(ctx, args)
    answer: dict[str, Any] = {}
    for shape in _shapes(parts):
        answer = _answer(parts, shape)
        if _size(answer) <= LIMIT:
            return answer
    return answer


TOOLS: list[Tool[Any]] = [
    Tool(
        name="cash_forecast",
        description=(
            "Cash forecast: money expected in and out week by week for up to 13 weeks, per "
            "currency, with a low-high range, the biggest expected items and past accuracy."
        ),
        args=ForecastArgs,
        handler=cash_forecast,
    )
]
