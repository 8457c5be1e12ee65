"""Recurring invoices: monthly recurring revenue per currency and the profiles frame.

The MRR of the seeded demo is checked against a second computation that shares nothing with
the product's: the seed generator's own records, read as plain dicts, each amount summed from
its lines and normalized to a month by a table written here, added up per currency in a loop.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from fbclient import FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.models.invoice_profiles import InvoiceProfile
from insights.recurring import monthly_recurring_revenue, profile_lines, profiles_frame

D = Decimal
# Issues per month as (numerator, denominator), written out independently of fbclient.
PER_MONTH = {"w": (52, 12), "2w": (26, 12), "4w": (13, 12), "m": (1, 1), "2m": (1, 2),
             "3m": (1, 3), "6m": (1, 6), "y": (1, 12), "2y": (1, 24)}  # fmt: skip


def profile(
    key: int, amount: str, frequency: str, currency: str = "USD", **extra
) -> InvoiceProfile:
    return InvoiceProfile.model_validate(
        {
            "id": key,
            "customerid": 1,
            "organization": f"Client {key}",
            "create_date": "2027-03-01",
            "frequency": frequency,
            "amount": {"amount": amount, "code": currency},
            "currency_code": currency,
            "lines": [
                {
                    "name": f"Plan {key}",
                    "qty": "1",
                    "unit_cost": {"amount": amount, "code": currency},
                    "amount": {"amount": amount, "code": currency},
                }
            ],
            **extra,
        }
    )


def _mrr(table: pd.DataFrame) -> dict[str, Decimal]:
    return dict(zip(table["currency"], table["mrr"], strict=True))


def test_each_frequency_is_normalized_to_a_month_and_currencies_stay_apart():
    profiles = [
        profile(1, "100.00", "w"),  # 433.333...
        profile(2, "120.00", "2w"),  # 260.00
        profile(3, "300.00", "3m", "GBP"),  # 100.00
        profile(4, "1200.00", "y", "GBP"),  # 100.00
        profile(5, "50.00", "m", "EUR"),
        profile(6, "999.00", "m", disable=True),  # stopped
        profile(7, "999.00", "m", numberRecurring=2, occurrences_to_date=2),  # finished
        profile(8, "999.00", "m", vis_state=1),  # deleted
        profile(9, "999.00", "fortnightly"),  # unreadable frequency
    ]
    table = monthly_recurring_revenue(profiles)
    assert _mrr(table) == {"EUR": D("50.00"), "GBP": D("200.00"), "USD": D("693.33")}
    assert dict(zip(table["currency"], table["profiles"], strict=True)) == {
        "EUR": 1,
        "GBP": 2,
        "USD": 2,
    }
    assert all(isinstance(value, Decimal) for value in table["mrr"])


def test_the_frame_lists_active_profiles_first_and_leaves_deleted_ones_out():
    frame = profiles_frame(
        [
            profile(1, "100.00", "w", create_date="2027-03-09"),
            profile(2, "80.00", "m", disable=True),
            profile(3, "40.00", "m", create_date="2027-03-02", numberRecurring=12),
            profile(4, "1.00", "m", vis_state=1),
        ]
    )
    assert list(frame["profile_id"]) == [3, 1, 2]
    assert list(frame["state"]) == ["active", "active", "stopped"]
    assert list(frame["frequency"]) == ["Monthly", "Weekly", "Monthly"]
    assert frame.loc[frame["profile_id"] == 1, "per_month"].item() == D("433.33")
    assert frame.loc[frame["profile_id"] == 3, "remaining"].item() == 12
    assert pd.isna(frame.loc[frame["profile_id"] == 2, "next_date"].item())
    assert frame.loc[frame["profile_id"] == 3, "next_date"].item() == pd.Timestamp(2027, 3, 2)
    lines = profile_lines(profile(5, "75.50", "m", "EUR"))
    assert list(lines["amount"]) == [D("75.50")]
    assert list(lines["currency"]) == ["EUR"]


def test_no_profiles_gives_empty_tables():
    assert monthly_recurring_revenue([]).empty
    assert profiles_frame([]).empty


@pytest.fixture(scope="module")
def seeded():
    """(seed data, {account_id: profiles read from the sandbox}) on one anchored day."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig
    from sandbox.demo_token import issue_token
    from sandbox.seed import generate

    today = date.today()
    app = create_app(SandboxConfig(size="small", seed=7, today=today))
    transport = InProcessTransport(app)
    fb = FreshBooksClient.with_access_token(
        issue_token(app)["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        read = {
            business.account_id: list(fb.business(business).invoice_profiles.list())
            for business in fb.identity().businesses
            if business.account_id
        }
        yield generate(seed=7, size="small", today=today), read
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()


def _ground_truth(records: list[dict]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for record in records:
        total = record["numberRecurring"]
        if record["disable"] or (total and record["occurrences_to_date"] >= total):
            continue
        amount = Decimal(0)
        for line in record["lines"]:
            amount += Decimal(line["qty"]) * Decimal(line["unit_cost"]["amount"])
        numerator, denominator = PER_MONTH[record["frequency"]]
        totals[record["currency_code"]] += amount * numerator / denominator
    return {code: value.quantize(D("0.01"), ROUND_HALF_UP) for code, value in totals.items()}


def test_mrr_of_the_demo_equals_the_seeds_own_records_summed_per_currency(seeded):
    data, read = seeded
    checked = 0
    for business in data.businesses:
        expected = _ground_truth(business.invoice_profiles)
        assert _mrr(monthly_recurring_revenue(read[business.account_id])) == expected
        checked += len(expected)
    assert checked >= 3  # retainers in several currencies were really compared


def test_the_demo_has_the_profiles_the_overview_shows(seeded):
    data, read = seeded
    studio = data.businesses[0]
    profiles = read[studio.account_id]
    assert {p.frequency for p in profiles} >= {"m", "w"}
    assert len({p.currency for p in profiles if p.frequency == "m" and p.is_active}) >= 2
    assert [p.state for p in profiles].count("stopped") == 1
    # Nothing is due on the seed's day: no invoice was made from them while loading.
    assert all(p.next_date is None or p.next_date > date.today() for p in profiles)
    assert [p.issued for p in profiles] == [
        r["occurrences_to_date"] for r in studio.invoice_profiles
    ]
