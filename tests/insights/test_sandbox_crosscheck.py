"""Cross-check: insights computed from a snapshot equal the sandbox's own report endpoints.

The same seeded books (small, seed 7) are read twice: as records (a snapshot) and as
FreshBooks reports (accounts aging, profit and loss, payments collected). Every bucket,
total and period must match to the cent.

The snapshot's invoices are re-read with ``include[]=lines``: profit and loss income
excludes the taxes collected, and an invoice's tax is only known from its lines.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from insights.cashflow import collected, monthly_revenue_expenses, profit
from insights.frames import build_frames, business_timezone
from insights.periods import last_year_to_date, month_to_date, year_to_date
from insights.receivables import FRESHBOOKS_AGING_BUCKETS, accounts_aging, accounts_aging_totals

from ..support.snapshot import fetch_snapshot

D = Decimal
ZERO = D(0)
AGING_ATTRS = dict(
    zip(
        FRESHBOOKS_AGING_BUCKETS,
        ("days_0_30", "days_31_60", "days_61_90", "days_91_plus"),
        strict=True,
    )
)


@pytest.fixture(scope="module")
def demo():
    """(books, snapshot with lines, frames, today) of the main demo business."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig
    from sandbox.demo_token import issue_token

    app = create_app(SandboxConfig(size="small", seed=7))
    transport = InProcessTransport(app)
    fb = FreshBooksClient.with_access_token(
        issue_token(app)["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        business = fb.identity().businesses[0]
        books = fb.business(business)
        plain = fetch_snapshot(books, business)
        snap = plain.replace(invoices=list(books.invoices.list(include=["lines"])))
        today = snap.fetched_at.astimezone(business_timezone(business.timezone)).date()
        yield books, plain, build_frames(snap, today), today
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()


def _by_currency(table, column):
    return dict(zip(table["currency"], table[column], strict=True))


def test_the_demo_has_several_currencies_and_taxed_invoices(demo):
    _, _, frames, _ = demo
    assert set(frames.invoices["currency"]) >= {"USD", "EUR", "GBP", "CAD"}
    assert (frames.invoices["tax"].map(lambda t: t > ZERO)).any()  # so the tax rule is exercised


@pytest.mark.parametrize("days_back", [0, 45, 200, 400])
def test_accounts_aging_matches_the_report(demo, days_back):
    books, _, frames, today = demo
    as_of = today - timedelta(days=days_back)
    mine = accounts_aging(frames.invoices, frames.payments, as_of)
    totals = accounts_aging_totals(mine).set_index("currency")
    checked = 0
    for currency in sorted(set(frames.invoices["currency"])):
        report = books.reports.accounts_aging(as_of, currency_code=currency)
        expected = {b: getattr(report.totals, a).amount for b, a in AGING_ATTRS.items()}
        expected["total"] = report.totals.total.amount
        got = (
            {k: totals.loc[currency, k] for k in expected}
            if currency in totals.index
            else dict.fromkeys(expected, ZERO)
        )
        assert got == expected, currency
        per_client = {
            row.userid: row.total.amount for row in report.accounts if row.total.amount != ZERO
        }
        rows = mine[mine["currency"] == currency]
        assert dict(zip(rows["client_id"], rows["total"], strict=True)) == per_client, currency
        checked += expected["total"] != ZERO
    assert checked >= 1  # something was owed at every date checked


@pytest.mark.parametrize("basis", ["cash", "accrual"])
@pytest.mark.parametrize("year_back", [0, 1])
def test_profit_matches_profit_and_loss(demo, basis, year_back):
    books, _, frames, today = demo
    start = date(today.year - year_back, 1, 1)
    end = today if year_back == 0 else date(start.year, 12, 31)
    mine = profit(frames.invoices, frames.payments, frames.expenses, start, end, basis=basis)
    assert mine["tax_unknown"].sum() == 0
    for currency in sorted(set(frames.invoices["currency"]) | set(frames.expenses["currency"])):
        report = books.reports.profit_loss(
            start, end, currency_code=currency, cash_based=(basis == "cash"), resolution="m"
        )
        row = (
            mine.set_index("currency").loc[currency] if currency in set(mine["currency"]) else None
        )
        got = (
            (row["income"], row["expenses"], row["profit"])
            if row is not None
            else (ZERO, ZERO, ZERO)
        )
        expected = (
            report.total_income.total.amount,
            report.total_expenses.total.amount,
            report.net_profit.total.amount,
        )
        assert got == expected, (currency, basis, start)
        monthly = monthly_revenue_expenses(
            frames.invoices, frames.payments, frames.expenses, start, end, basis=basis
        )
        monthly = monthly[monthly["currency"] == currency]
        expected_revenue = [m.amount for m in report.total_income.data]
        expected_spent = [m.amount for m in report.total_expenses.data]
        quiet = [ZERO] * len(report.labels)  # a currency without activity has no rows
        revenue = monthly.loc[monthly["measure"] == "Revenue", "amount"].tolist() or quiet
        spent = monthly.loc[monthly["measure"] == "Expenses", "amount"].tolist() or quiet
        assert (revenue, spent) == (expected_revenue, expected_spent), (currency, basis, start)


def test_last_years_cash_profit_is_positive_and_nonzero_in_usd(demo):
    # Guards the test above against comparing zeros with zeros. Last year, a whole year of
    # history on any day; this year may have no payment yet in its first days.
    _, _, frames, today = demo
    start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    usd = profit(frames.invoices, frames.payments, frames.expenses, start, end)
    row = usd.set_index("currency").loc["USD"]
    assert row["income"] > ZERO
    assert row["expenses"] > ZERO


@pytest.mark.parametrize("period", [month_to_date, year_to_date, last_year_to_date])
def test_collected_matches_payments_collected(demo, period):
    books, _, frames, today = demo
    span = period(today)
    report = books.reports.payments_collected(span.start, span.end)
    expected = {m.code: m.amount for m in report.totals}
    mine = collected(frames.payments, span.start, span.end)
    assert _by_currency(mine, "amount") == expected
    assert int(mine["count"].sum()) == len(report.payments)


def test_without_invoice_lines_tax_is_flagged_unknown(demo):
    # Invoices listed without lines: cash income then counts taxed payments in full and
    # says how many it could not split, rather than silently disagreeing with P&L.
    _, snapshot, _, today = demo
    plain = snapshot.replace(
        invoices=[i.model_copy(update={"lines": []}) for i in snapshot.invoices]
    )
    bare = build_frames(plain, today)
    start = date(today.year - 1, 1, 1)
    table = profit(bare.invoices, bare.payments, bare.expenses, start, today)
    assert table["tax_unknown"].sum() > 0
