"""The chat's cash forecast is the Forecast page's (the same function on the same snapshot,
or the very figures the app keeps for the page), cut to a screenful: under 8,000 characters
on the largest demo books the suite affords, with any currency and any number of weeks,
saying what it summarised or left out. The summary's headlines are the Overview's likewise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from agent.tool import ToolContext
from agent.toolmatch import rank_tools
from agent.tools import all_tools
from agent.tools.forecast import BLOCK, ForecastArgs, cash_forecast
from agent.tools.summary import SummaryArgs, business_summary
from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.snapshot import Snapshot
from insights.forecast import WEEKS, Backtest, Forecast, backtest, forecast
from insights.frames import Frames, build_frames
from insights.kpis import CurrencyOverview, overview
from insights.recurring import scheduled_invoices
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token

from ..support.model_builders import TODAY, client, invoice, snapshot
from ..support.snapshot import fetch_snapshot
from ..support.synced_sandbox import synced_sandbox

MAX_CHARS = 8000  # every read tool's result: a screenful for the model
# The answer's figures and the page's columns they come from.
FIGURES = {
    "in_expected": "in_expected",
    "in_low": "in_low",
    "in_high": "in_high",
    "out": "out_expected",
    "net": "net",
}


def size(result: dict[str, Any]) -> int:
    return len(json.dumps(result, default=str))


def text(value: Decimal) -> str:
    return format(value, "f")


def summed(rows, column: str) -> str:
    return text(sum(rows[column], Decimal(0)))


@pytest.fixture(scope="module")
def synced_env(tmp_path_factory) -> Iterator[tuple[ToolContext, Snapshot, date]]:
    with synced_sandbox(tmp_path_factory.mktemp("forecast")) as synced:
        now = synced.business.now()
        ctx = ToolContext(
            books=synced.books, business=synced.business, now=now, snapshot=lambda: synced.snap
        )
        yield ctx, synced.snap, synced.business.today(now)


@pytest.fixture(scope="module")
def medium() -> Iterator[ToolContext]:
    """The main business of the medium demo books (about 850 invoices in four currencies), as
    a snapshot: the largest the suite affords in about a second. The large benchmark books
    (``make bench``) are ten times this."""
    app = create_app(SandboxConfig(size="medium", seed=7))
    transport = InProcessTransport(app)
    fb = FreshBooksClient.with_access_token(
        issue_token(app)["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        business = next(b for b in fb.identity().businesses if b.has_accounting)
        books = fb.business(business)
        snap = fetch_snapshot(books, business)
        yield ToolContext(books=books, business=business, now=business.now(), snapshot=lambda: snap)
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()


def page_forecast(snapshot: Snapshot, today: date, weeks: int = WEEKS) -> tuple[Frames, Forecast]:
    frames = build_frames(snapshot, today)
    scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
    return frames, forecast(
        frames.invoices,
        frames.payments,
        frames.expenses,
        as_of=today,
        today=today,
        weeks=weeks,
        scheduled=scheduled,
    )


def test_the_chat_forecast_equals_the_pages(synced_env):
    ctx, snapshot, today = synced_env
    frames, page = page_forecast(snapshot, today)
    answer = cash_forecast(ctx, ForecastArgs())
    assert (page.records["kind"] == "recurring invoice").any()  # the seed's profiles
    codes = sorted(page.weeks["currency"].unique())
    assert len(codes) > 2  # several currencies: the others are summed in blocks
    assert list(answer["by_currency"]) == [
        frames.home_currency,
        *(c for c in codes if c != frames.home_currency),
    ]
    for code, block in answer["by_currency"].items():
        mine = page.weeks[page.weeks["currency"] == code].reset_index(drop=True)
        for key in ("in_expected", "out", "net"):
            assert block[key] == summed(mine, FIGURES[key])  # totals over the weeks
        if code == frames.home_currency:
            assert [w["week_starting"] for w in block["weekly"]] == [
                w.date().isoformat() for w in mine["week"]
            ]
            for key, column in FIGURES.items():
                assert [w[key] for w in block["weekly"]] == [text(v) for v in mine[column]]
            scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
            tested = backtest(
                frames.invoices,
                frames.payments,
                frames.expenses,
                today=today,
                currency=code,
                scheduled=scheduled,
            )
            assert block["past_accuracy"] == tested.sentence()
        else:
            assert "weekly" not in block
            assert "past_accuracy" not in block
            blocks = block["four_weekly"]
            assert len(blocks) == -(-WEEKS // BLOCK)
            for n, summary in enumerate(blocks):
                rows = mine.iloc[n * BLOCK : (n + 1) * BLOCK]
                assert summary["from"] == rows["week"].iloc[0].date().isoformat()
                assert summary["in_expected"] == summed(rows, "in_expected")
                assert summary["out"] == summed(rows, "out_expected")
                assert Decimal(summary["in_low"]) <= Decimal(summary["in_expected"])
                assert Decimal(summary["in_expected"]) <= Decimal(summary["in_high"])
    notes = " ".join(answer["left_out"])
    assert "4-week blocks" in notes
    assert "ask with currency" in notes


class RecordingFigures:
    """The app's kept figures, computed here, with every ask recorded."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def forecast(self, snapshot: Snapshot, frames: Frames) -> Forecast:
        self.asked.append("forecast")
        return page_forecast(snapshot, frames.today)[1]

    def backtest(self, snapshot: Snapshot, frames: Frames, currency: str) -> Backtest:
        self.asked.append(f"backtest:{currency}")
        scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
        return backtest(
            frames.invoices,
            frames.payments,
            frames.expenses,
            today=frames.today,
            currency=currency,
            scheduled=scheduled,
        )

    def overview(self, snapshot: Snapshot, frames: Frames) -> list[CurrencyOverview]:
        self.asked.append("overview")
        return overview(frames)


def test_the_chat_takes_the_pages_kept_forecast_when_the_app_has_it(synced_env):
    ctx, _snapshot, _today = synced_env
    alone = cash_forecast(ctx, ForecastArgs())
    kept = RecordingFigures()
    with_figures = replace(ctx, figures=kept)
    assert cash_forecast(with_figures, ForecastArgs()) == alone
    home = next(iter(alone["by_currency"]))
    assert kept.asked == ["forecast", f"backtest:{home}"]
    # Another horizon than the page's is the chat's own forecast (the backtest is the page's).
    kept.asked.clear()
    assert cash_forecast(with_figures, ForecastArgs(weeks=6)) == cash_forecast(
        ctx, ForecastArgs(weeks=6)
    )
    assert kept.asked == [f"backtest:{home}"]


def test_the_summary_takes_the_overviews_kept_headlines_when_the_app_has_them(synced_env):
    ctx, _snapshot, _today = synced_env
    alone = business_summary(ctx, SummaryArgs())
    kept = RecordingFigures()
    assert business_summary(replace(ctx, figures=kept), SummaryArgs()) == alone
    assert kept.asked == ["overview"]
    assert any("collected_year" in block for block in alone["by_currency"].values())


def test_the_biggest_items_are_the_biggest_expected_in_each_currency(synced_env):
    ctx, snapshot, today = synced_env
    _, page = page_forecast(snapshot, today)
    answer = cash_forecast(ctx, ForecastArgs())
    listed = answer["biggest"]
    assert listed
    for code in answer["by_currency"]:
        mine = [i for i in listed if i["currency"] == code]
        records = page.records[page.records["currency"] == code]
        if records.empty:  # a currency whose invoices all fall after the weeks
            assert not mine
            continue
        assert Decimal(mine[0]["amount"]) == max(records["amount"])
        amounts = [Decimal(i["amount"]) for i in mine]
        assert amounts == sorted(amounts, reverse=True)
        for item in mine:
            if item["what"].startswith("invoice "):
                row = records[records["invoice_id"] == item["invoice_id"]].iloc[0]
                assert item["expected"] == row["expected"].date().isoformat()
                assert item["amount"] == text(row["amount"])


def test_one_currency_is_shown_week_by_week_with_more_items(synced_env):
    ctx, snapshot, today = synced_env
    _, page = page_forecast(snapshot, today, weeks=4)
    code = sorted(page.weeks["currency"].unique())[-1]
    answer = cash_forecast(ctx, ForecastArgs(currency=code, weeks=4))
    assert list(answer["by_currency"]) == [code]
    block = answer["by_currency"][code]
    mine = page.weeks[page.weeks["currency"] == code]
    assert [w["in_expected"] for w in block["weekly"]] == [text(v) for v in mine["in_expected"]]
    assert "past_accuracy" in block
    assert {i["currency"] for i in answer["biggest"]} == {code}
    assert len(answer["biggest"]) == min(10, block["items_in"] + block["items_out"])


def test_a_range_over_several_weeks_is_the_weeks_ranges_narrowed(synced_env):
    """Over one week, the totals' low and high are the page's; over more, they hold the
    expected figure and lie within the sums of the weeks' lows and highs."""
    ctx, _, _ = synced_env
    one = cash_forecast(ctx, ForecastArgs(weeks=1))
    for block in one["by_currency"].values():
        (week,) = block["weekly"]
        assert (block["in_low"], block["in_high"]) == (week["in_low"], week["in_high"])
    every = cash_forecast(ctx, ForecastArgs(weeks=WEEKS))
    for block in every["by_currency"].values():
        low, expected, high = (Decimal(block[k]) for k in ("in_low", "in_expected", "in_high"))
        assert low <= expected <= high
        if "weekly" in block:
            assert low >= sum((Decimal(w["in_low"]) for w in block["weekly"]), Decimal(0))
            assert high <= sum((Decimal(w["in_high"]) for w in block["weekly"]), Decimal(0))


def test_a_currency_without_money_expected_says_so(synced_env):
    ctx, _, _ = synced_env
    answer = cash_forecast(ctx, ForecastArgs(currency="JPY"))
    assert answer["by_currency"] == {}
    notes = " ".join(answer["left_out"])
    assert "Nothing is expected in JPY" in notes
    assert "USD" in notes  # where money is expected instead


ASKED = [{}, {"weeks": 4}, {"weeks": 1}, {"currency": "USD"}, {"currency": "CAD", "weeks": 13}]
ASKED += [{"currency": "GBP"}, {"currency": "EUR", "weeks": 8}]


@pytest.mark.parametrize("args", ASKED, ids=json.dumps)
def test_the_answer_fits_a_screenful_on_the_medium_books(medium, args):
    answer = cash_forecast(medium, ForecastArgs.model_validate(args))
    assert size(answer) < MAX_CHARS
    assert answer["by_currency"]
    if len(answer["by_currency"]) > 1:
        assert answer["left_out"]  # what was summarised, and how to ask for it


def test_many_currencies_still_fit_and_name_what_was_left_out():
    """Thirty currencies: the others shrink to totals, then drop out, each one named."""
    codes = [f"X{chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(30)]
    clients = [client(n + 1, f"A client paying in {code}", code) for n, code in enumerate(codes)]
    invoices = [
        invoice(
            100 * (n + 1) + k,
            f"{100 + 7 * k}.00",
            currency=code,
            client_id=n + 1,
            created=(TODAY - timedelta(days=10 + k)).isoformat(),
            due=(TODAY + timedelta(days=3 * k)).isoformat(),
        )
        for n, code in enumerate(codes)
        for k in range(12)
    ]
    snap = snapshot(clients=clients, invoices=invoices)
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=snap.business.zone)
    ctx = ToolContext(books=None, business=snap.business, now=now, snapshot=lambda: snap)  # type: ignore[arg-type]  # the snapshot is all it reads
    answer = cash_forecast(ctx, ForecastArgs())
    assert size(answer) < MAX_CHARS
    shown = set(answer["by_currency"])
    left = [c for c in codes if c not in shown]
    assert left  # thirty do not fit
    notes = " ".join(answer["left_out"])
    assert all(code in notes for code in left)


def test_questions_about_getting_paid_find_the_forecast():
    assert "cash_forecast" in rank_tools(all_tools(), "cash forecast for next month", limit=3)
    assert "cash_forecast" in rank_tools(
        all_tools(), "how much cash can I expect next month", limit=3
    )
