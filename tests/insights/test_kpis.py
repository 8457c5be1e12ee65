"""Overview headlines: per currency, each with the records that add up to it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from insights._money import cents, dsum
from insights.frames import build_frames
from insights.kpis import HEADLINES, currencies_in_use, overview

from ..support.model_builders import (
    TODAY,
    client,
    entry,
    expense,
    invoice,
    line,
    payment,
    project,
    snapshot,
)

D = Decimal


def _frames():
    snap = snapshot(
        clients=[client(1, "Acme", "USD"), client(2, "Bureau", "EUR")],
        invoices=[
            invoice(
                1, "100.00", created="2026-05-01", due="2026-05-31", lines=[line("1", "100.00")]
            ),
            invoice(
                2,
                "120.00",
                created="2026-06-01",
                due="2026-07-01",
                paid="120.00",
                date_paid="2026-06-10",
                lines=[line("1", "100.00", tax="20")],
            ),
            invoice(3, "80.00", created="2025-03-01", paid="80.00", lines=[line("1", "80.00")]),
            invoice(
                4,
                "60.00",
                currency="EUR",
                client_id=2,
                due="2026-06-30",
                lines=[line("1", "60.00", "EUR")],
            ),
            invoice(5, "500.00", state="draft"),
        ],
        payments=[
            payment(1, 2, "120.00", "2026-06-10"),
            payment(2, 3, "80.00", "2025-03-05"),
        ],
        expenses=[expense(1, "25.00", "2026-02-01"), expense(2, "9.00", "2025-12-31")],
        projects=[project(7, client_id=1, rate="100")],
        time_entries=[
            entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 5400, project_id=7),
            entry(2, datetime(2026, 6, 1, 15, tzinfo=UTC), 3600, project_id=7, billed=True),
        ],
    )
    return build_frames(snap, TODAY)


def test_one_overview_per_currency_home_first():
    frames = _frames()
    assert currencies_in_use(frames) == ["USD", "EUR"]
    result = overview(frames)
    assert [o.currency for o in result] == ["USD", "EUR"]
    assert all(set(o.headlines) == set(HEADLINES) for o in result)


def test_headline_values():
    usd, eur = overview(_frames())
    values = {key: h.value for key, h in usd.headlines.items()}
    assert values == {
        "outstanding": D("100.00"),
        "overdue": D("100.00"),
        "collected_month": D("120.00"),
        "collected_year": D("120.00"),
        "collected_last_year": D("80.00"),
        "expenses_year": D("25.00"),
        "profit_year": D("75.00"),  # 100.00 income (tax of 20 excluded) - 25.00
        "unbilled_hours": D("1.50"),
        "unbilled_value": D("150.00"),
    }
    assert usd["collected_year"].compare == D("80.00")
    assert usd["unbilled_hours"].unit == "hours"
    assert (eur["outstanding"].value, eur["overdue"].value, eur["profit_year"].value) == (
        D("60.00"),
        D(0),
        D(0),
    )


def test_every_money_headline_is_the_sum_of_its_records():
    for currency_overview in overview(_frames()):
        for headline in currency_overview.headlines.values():
            records = headline.records
            assert len(records) == headline.count, headline.key
            assert set(records["currency"]) <= {currency_overview.currency}, headline.key
            if headline.key == "profit_year":
                assert cents(dsum(records["amount"])) == headline.value
            elif headline.key == "unbilled_hours":
                assert D(int(records["seconds"].sum())) / 3600 == headline.value
            else:
                column = {
                    "outstanding": "outstanding",
                    "overdue": "outstanding",
                    "unbilled_value": "value",
                }.get(headline.key, "amount")
                assert dsum(records[column]) == headline.value, headline.key


def test_records_behind_the_headlines_are_the_right_ones():
    usd = overview(_frames())[0]
    assert usd["overdue"].records["invoice_id"].tolist() == [1]
    assert usd["collected_last_year"].records["payment_id"].tolist() == [2]
    assert usd["profit_year"].records[["kind", "record_id"]].values.tolist() == [
        ["expense", 1],
        ["payment", 1],
    ]
    assert usd["unbilled_value"].records["entry_id"].tolist() == [1]


def test_unbilled_value_notes_hours_without_a_rate():
    snap = snapshot(
        clients=[client(1, "Acme")],
        projects=[project(7, method="business_rate", rate=None)],
        time_entries=[entry(1, datetime(2026, 6, 1, 15, tzinfo=UTC), 7200, project_id=7)],
    )
    (usd,) = overview(build_frames(snap, TODAY))
    assert usd["unbilled_value"].value == D(0)
    assert usd["unbilled_hours"].value == D("2.00")
    assert (
        usd["unbilled_value"].note
        == "2.00 hours in 1 entries have no known rate and are not valued."
    )


def test_empty_business_has_no_currencies():
    assert overview(build_frames(snapshot(), TODAY)) == []
