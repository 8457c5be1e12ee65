"""The chat's cash forecast is the Forecast page's: the same function on the same snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from agent.tool import ToolContext
from agent.toolmatch import rank_tools
from agent.tools import all_tools
from agent.tools.forecast import ForecastArgs, cash_forecast
from fbclient.snapshot import Snapshot
from insights.forecast import forecast
from insights.frames import build_frames
from insights.recurring import scheduled_invoices

from ..support.synced_sandbox import synced_sandbox


@pytest.fixture(scope="module")
def synced_env(tmp_path_factory) -> Iterator[tuple[ToolContext, Snapshot, date]]:
    with synced_sandbox(tmp_path_factory.mktemp("forecast")) as synced:
        now = synced.business.now()
        ctx = ToolContext(
            books=synced.books, business=synced.business, now=now, snapshot=lambda: synced.snap
        )
        yield ctx, synced.snap, synced.business.today(now)


def test_the_chat_forecast_equals_the_pages(synced_env):
    ctx, snapshot, today = synced_env
    frames = build_frames(snapshot, today)
    scheduled = scheduled_invoices(snapshot.invoice_profiles, snapshot.clients)
    page = forecast(
        frames.invoices,
        frames.payments,
        frames.expenses,
        as_of=today,
        today=today,
        scheduled=scheduled,
    )
    answer = cash_forecast(ctx, ForecastArgs())
    assert (page.records["kind"] == "recurring invoice").any()  # the seed's profiles
    for code, block in answer["by_currency"].items():
        mine = page.weeks[page.weeks["currency"] == code]
        assert [w["in_expected"] for w in block["weeks"]] == [
            format(v, "f") for v in mine["in_expected"]
        ]
        if code == frames.home_currency:
            sentence = block["past_accuracy"]
            assert "forecast" in sentence or "Not enough history" in sentence
        else:
            assert "past_accuracy" not in block  # 13 forecasts each: only where asked
    assert answer["records_total"] == len(page.records)
    total = sum(
        (Decimal(r["amount"]) for r in answer["records"] if r["direction"] == "in"), Decimal(0)
    )
    assert total >= 0


def test_one_currency_and_fewer_weeks():
    args = ForecastArgs.model_validate({"currency": "USD", "weeks": 4})
    assert args.weeks == 4


def test_questions_about_getting_paid_find_the_forecast():
    assert "cash_forecast" in rank_tools(all_tools(), "cash forecast for next month", limit=3)
    assert "cash_forecast" in rank_tools(
        all_tools(), "how much cash can I expect next month", limit=3
    )
