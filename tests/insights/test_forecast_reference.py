"""The forecast, its backtest and their parts give exactly what the forecast of old gave
(tests/support/forecast_reference.py) on the demo books: the same rows, order, dtypes and
digits, for every currency, from today and from past days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from insights import forecast as new
from insights.frames import Frames, build_frames
from insights.recurring import scheduled_invoices
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.demo_token import issue_token

from ..support import forecast_reference as old
from ..support.snapshot import fetch_snapshot

pytestmark = pytest.mark.slow  # the medium books, and the old forecast is the slow one

# Days before today the forecast is made from (as the backtest does), today included.
PAST = [0, 1, 30, 95, 200, 365, 700]
SOME_PAST = [0, 95]


@pytest.fixture(scope="module")
def demo() -> Iterator[list[tuple[Frames, Any]]]:
    """(frames, scheduled invoices) of each demo business with invoices, at size medium: the
    largest the suite affords in a second or so."""
    app = create_app(SandboxConfig(size="medium", seed=7))
    transport = InProcessTransport(app)
    fb = FreshBooksClient.with_access_token(
        issue_token(app)["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        books = []
        for business in fb.identity().businesses:
            if not business.has_accounting:
                continue
            snap = fetch_snapshot(fb.business(business), business)
            if snap.invoices:
                today = business.today(business.now())
                scheduled = scheduled_invoices(snap.invoice_profiles, snap.clients)
                books.append((build_frames(snap, today), scheduled))
        yield books
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()


def assert_same_frame(new: pd.DataFrame, old: pd.DataFrame) -> None:
    """Equal columns, dtypes, index values, values and each Decimal's digits. The index may be
    a RangeIndex on one side and the same integers on the other: pandas picks the kind from the
    pattern of rows a selection kept, and the new code selects once where the old did thrice."""
    pd.testing.assert_frame_equal(
        new, old, check_exact=True, check_index_type="equiv", check_column_type=True
    )
    for column in old.columns:
        if old[column].dtype == object:
            assert [repr(v) for v in new[column]] == [repr(v) for v in old[column]], column


def _same_forecast(a: new.Forecast, b: old.Forecast) -> None:
    assert (a.as_of, a.start) == (b.as_of, b.start)
    assert_same_frame(a.weeks, b.weeks)
    assert_same_frame(a.records, b.records)
    assert_same_frame(a.doubtful, b.doubtful)


def test_the_parts_are_the_old_ones(demo):
    for frames, _ in demo:
        inv, pay, exp, today = frames.invoices, frames.payments, frames.expenses, frames.today
        for back in PAST:
            as_of = today - timedelta(days=back)
            assert_same_frame(new.paid_days(inv, pay, as_of), old.paid_days(inv, pay, as_of))
            habits, default = new.payment_habits(inv, pay, as_of)
            then, then_default = old.payment_habits(inv, pay, as_of)
            assert {c: astuple(h) for c, h in habits.items()} == {
                c: astuple(h) for c, h in then.items()
            }
            assert astuple(default) == astuple(then_default)
            assert_same_frame(
                new.open_invoices_as_of(inv, pay, as_of, today),
                old.open_invoices_as_of(inv, pay, as_of, today),
            )
            until = as_of + timedelta(weeks=new.WEEKS)
            assert_same_frame(
                new.recurring_expenses(exp, as_of, until), old.recurring_expenses(exp, as_of, until)
            )


@pytest.mark.parametrize(("weeks", "past"), [(new.WEEKS, PAST), (1, SOME_PAST), (6, SOME_PAST)])
def test_the_forecast_is_the_old_one(demo, weeks, past):
    for frames, scheduled in demo:
        args = (frames.invoices, frames.payments, frames.expenses)
        for back in past:
            as_of = frames.today - timedelta(days=back)
            for plans in (scheduled, None):
                kwargs: dict[str, Any] = {
                    "as_of": as_of,
                    "today": frames.today,
                    "weeks": weeks,
                    "scheduled": plans,
                }
                _same_forecast(new.forecast(*args, **kwargs), old.forecast(*args, **kwargs))


# (horizon, windows, days before today): the page's backtest and a shorter one from earlier.
BACKTESTS = [(28, 13, 0), (14, 5, 60)]


@pytest.mark.parametrize(("horizon", "windows", "back"), BACKTESTS)
def test_the_backtest_is_the_old_one(demo, horizon, windows, back):
    for frames, scheduled in demo:
        args = (frames.invoices, frames.payments, frames.expenses)
        codes = sorted(frames.payments["currency"].dropna().unique())
        for currency in codes if windows > 5 else [*codes, "JPY"]:  # JPY: no history at all
            kwargs: dict[str, Any] = {
                "today": frames.today - timedelta(days=back),
                "currency": currency,
                "horizon": horizon,
                "windows": windows,
                "scheduled": scheduled,
            }
            now, then = new.backtest(*args, **kwargs), old.backtest(*args, **kwargs)
            assert_same_frame(now.points, then.points)
            assert repr(now.error) == repr(then.error)
            assert now.sentence() == then.sentence()


def test_a_day_before_any_invoice_is_the_old_forecast(demo):
    frames, scheduled = demo[0]
    first = frames.invoices["create_date"].min().date()
    as_of: date = first + timedelta(days=3)  # a few invoices, none paid in full yet
    args = (frames.invoices, frames.payments, frames.expenses)
    _same_forecast(
        new.forecast(*args, as_of=as_of, today=frames.today, scheduled=scheduled),
        old.forecast(*args, as_of=as_of, today=frames.today, scheduled=scheduled),
    )
