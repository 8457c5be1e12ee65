"""The dashboards' computations, page by page, as the pages make them by default; timed
for ``make bench`` (:mod:`bench.perf`, :mod:`bench.cold_open`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from copilot.context import OwnerKey
from fbclient.snapshot import Snapshot

__all__ = ["DASHBOARD_REPEATS", "median_seconds", "pages_of", "time_dashboards"]

DASHBOARD_REPEATS = 3  # each dashboard is computed this many times; the median is reported


def pages_of(
    snapshot: Snapshot,
    today: date,
    folder: Path | None = None,
    whose: OwnerKey = ("bench", 0, 0),
) -> dict[str, Callable[[Any], None]]:
    """Each dashboard page's computations from frames, as the page makes them by default
    (the default period and filters; charts built, not rendered; no CSV: a download is
    written when its button is clicked).

    The Overview's and the Forecast's figures come through the frames cache as the pages
    get them, a new cache each time (what a process that starts has): with ``folder``, the
    frames files' folder, they are read from their file when one is there for ``whose``
    (and saved when not); without, they are computed every time."""
    from copilot.cache import FramesCache
    from copilot.forecasting import business_backtest, business_forecast
    from copilot.overview import business_overview
    from insights import charts, receivables
    from insights.clients import client_balances, project_budgets
    from insights.collections import chase_list, invoice_risks, reminder_for
    from insights.frames import lines_frame
    from insights.labels import invoice_labels
    from insights.spending import (
        expenses_between,
        spending_by_category,
        spending_by_month,
        spending_by_vendor,
    )
    from insights.time import (
        billable_split,
        hours_by,
        hours_by_week,
        time_between,
        unbilled_summary,
        unbilled_time,
    )

    def overview_page(frames: Any) -> None:
        # As pages/overview.py does: the figures of every currency once, then one tab per
        # currency (its headlines, its rows of the shared tables, its charts).
        figures = business_overview(FramesCache(directory=folder), whose, snapshot, frames)
        for view in figures.per_currency:
            code = view.currency
            monthly = figures.of(figures.monthly, code)
            if not monthly.empty:
                charts.revenue_expenses_chart(monthly, code)
            buckets = figures.of(figures.buckets, code)
            if not buckets.empty and buckets["count"].sum():
                charts.aging_chart(buckets, code)
            balances = figures.of(figures.balances, code)
            if not balances.empty:
                charts.top_clients_chart(balances, code, value="billed", limit=8)
                figures.of(figures.debtors, code)

    def invoices_page(frames: Any) -> None:
        invoices = frames.invoices
        if invoices.empty:
            return
        first_day = invoices["create_date"].min().date()
        for column in ("status", "client", "currency"):  # the filters' choices
            sorted(invoices[column].dropna().unique())
        start, end = max(first_day, today - timedelta(days=365)), today
        dates = invoices["create_date"].dt.date
        view = invoices[(dates >= start) & (dates <= end)]
        receivables.receivables_summary(view, today)
        risks = invoice_risks(frames.invoices, frames.payments, today)  # the table's risk column
        view = view.assign(
            risk=[f"{risks[i]:.0%}" if i in risks.index else "" for i in view["invoice_id"]]
        )
        view.sort_values("create_date", ascending=False)  # the table
        receivables.aging_buckets(view, today)
        choices = view.sort_values("create_date", ascending=False)
        labels = invoice_labels(choices)  # the picker's labels, as pages/invoices.py makes them
        [labels[i] for i in choices["invoice_id"].tolist()]
        if not choices.empty:
            picked = choices["invoice_id"].iloc[0]  # the picker's default: the newest
            invoice = snapshot.find("invoices", int(picked))
            if invoice is not None:
                lines_frame(invoice)

    def expenses_page(frames: Any) -> None:
        start, end = date(today.year, 1, 1), today  # "This year", the default period
        found = expenses_between(frames.expenses, start, end)
        if found.empty:
            return
        currency = sorted(found["currency"].dropna().unique())[0]
        mine = found[found["currency"] == currency]
        by_category = spending_by_category(found, start, end)
        charts.expenses_by_category_chart(
            by_category[by_category["currency"] == currency], currency
        )
        spending_by_month(found, start, end)
        spending_by_vendor(found, start, end, limit=15)
        mine.sort_values("date", ascending=False)  # the table

    def time_page(frames: Any) -> None:
        start, end = today - timedelta(days=90), today  # "Last 90 days", the default period
        entries = time_between(frames.time, start, end)
        billable_split(frames.time, start, end)
        weekly = hours_by_week(frames.time, start, end)
        if not weekly.empty:
            charts.hours_by_week_chart(weekly)
        hours_by(frames.time, "project", start, end)
        hours_by(frames.time, "client", start, end)
        unbilled_summary(frames.time)
        unbilled_time(frames.time)
        entries.sort_values("started_at", ascending=False)  # the table

    def clients_projects_page(frames: Any) -> None:
        balances = client_balances(frames.invoices, frames.today)
        if not balances.empty:
            balances.sort_values(["currency", "outstanding"], ascending=[True, False])
        budgets = project_budgets(frames.projects, frames.time)
        if not budgets.empty:
            budgets[budgets["active"] & ~budgets["complete"]]  # "Active only", on

    def forecast_page(frames: Any) -> None:
        # As pages/forecast.py does: the forecast, then the backtest of the shown currency.
        cache = FramesCache(directory=folder)
        result = business_forecast(cache, whose, snapshot, frames)
        currencies = sorted(result.weeks["currency"].unique())
        if not currencies:
            return
        shown = frames.home_currency if frames.home_currency in currencies else currencies[0]
        weeks = result.weeks[result.weeks["currency"] == shown].reset_index(drop=True)
        business_backtest(cache, whose, snapshot, frames, shown)
        charts.forecast_chart(weeks, shown)
        invoice_risks(frames.invoices, frames.payments, frames.today)  # "Behind one week"

    def chase_page(frames: Any) -> None:
        # As pages/chase.py does: the list (no reminder sent yet), the overdue totals, and
        # the draft for the first invoice of the list.
        rows = chase_list(frames.invoices, frames.payments, frames.today, {})
        receivables.receivables_summary(frames.invoices, frames.today)
        if not rows.empty:
            invoice = snapshot.find("invoices", int(rows["invoice_id"].iloc[0]))
            if invoice is not None:
                reminder_for(invoice, rows.iloc[0].to_dict(), snapshot.business.name)

    return {
        "overview": overview_page,
        "invoices": invoices_page,
        "expenses": expenses_page,
        "time": time_page,
        "clients_projects": clients_projects_page,
        "forecast": forecast_page,
        "chase": chase_page,
    }


def median_seconds(call: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def time_dashboards(
    snapshot: Snapshot, today: date, repeats: int = DASHBOARD_REPEATS
) -> dict[str, Any]:
    """Seconds to build the frames, then each page's insights (median of ``repeats``).

    A page's figure judged against the target is frames + its insights: the app builds the
    frames once per snapshot, so the first page opened after a load pays for them.
    """
    from insights.frames import build_frames

    frames_s, frames = median_seconds(lambda: build_frames(snapshot, today), repeats)
    pages = pages_of(snapshot, today)
    out: dict[str, Any] = {}
    for name, page in pages.items():
        seconds, _ = median_seconds(lambda page=page: page(frames), repeats)  # type: ignore[misc]  # mypy cannot infer a lambda with defaults
        out[name] = {"insights_s": seconds, "with_frames_s": frames_s + seconds}
    return {
        "frames_s": frames_s,
        "pages": out,
        "total_s": frames_s + sum(p["insights_s"] for p in out.values()),
        "max_s": max(p["with_frames_s"] for p in out.values()),
        "repeats": repeats,
    }
