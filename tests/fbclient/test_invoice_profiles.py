"""Invoice profiles (recurring invoices): path, envelopes, includes, filters, stop, delete,
and the frequency read into dates and issues per month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from fbclient import Money
from fbclient.models.frequency import Frequency
from fbclient.models.invoice_profiles import InvoiceProfile, InvoiceProfileInput

from ..support.accounting_wire import ACCOUNTING, paged, result, sent_json

BASE = f"{ACCOUNTING}/invoice_profiles/invoice_profiles"

# Shaped like FreshBooks' sample profile (its Postman collection), lines added.
PROFILE = {
    "id": 456,
    "customerid": 31006,
    "create_date": "2019-04-25",
    "currency_code": "USD",
    "amount": {"amount": "27.00", "code": "USD"},
    "disable": False,
    "discount_value": "0",
    "due_offset_days": 0,
    "frequency": "m",
    "numberRecurring": 3,
    "occurrences_to_date": 1,
    "fname": "Nicolas",
    "lname": "one",
    "organization": "first company",
    "ownerid": 1,
    "vis_state": 0,
    "lines": [
        {
            "name": "Test Item",
            "qty": "1",
            "unit_cost": {"amount": "27.00", "code": "USD"},
            "amount": {"amount": "27.00", "code": "USD"},
        }
    ],
}


def test_get_asks_for_lines_and_the_next_issue_date(httpx2_mock, books):
    answer = {**PROFILE, "next_issue_date": "2019-05-25"}
    route = httpx2_mock.get(f"{BASE}/456").respond(json=result(invoice_profile=answer))
    profile = books.invoice_profiles.get(456)
    assert route.calls.last.request.url.params.get_list("include[]") == [
        "lines",
        "next_issue_date",
    ]
    assert profile.amount == Money.of("27.00", "USD")
    assert profile.client_name == "first company"
    assert profile.state == "active"
    assert profile.remaining == 2
    assert profile.next_date == date(2019, 5, 25)
    assert profile.upcoming(5) == [date(2019, 5, 25), date(2019, 6, 25)]
    assert profile.lines[0].name == "Test Item"


def test_list_sends_the_documented_filter_keys(httpx2_mock, books):
    route = httpx2_mock.get(BASE).mock(side_effect=paged("invoice_profiles", [[PROFILE]]))
    found = books.invoice_profiles.list(customerid=31006, currency_code="usd", profileids=[456])
    assert [p.id for p in found] == [456]
    params = route.calls.last.request.url.params
    assert params.get("search[clientid]") == "31006"
    assert params.get("search[currency_code]") == "USD"
    assert params.get_list("search[profileids][]") == ["456"]


def test_create_sends_the_envelope_and_is_never_retried(httpx2_mock, books):
    route = httpx2_mock.post(BASE).respond(503, json={"message": "busy"})
    data = InvoiceProfileInput(customerid=31006, create_date=date(2026, 1, 5), frequency="2w")
    with pytest.raises(Exception):  # noqa: B017, PT011 - the typed server error
        books.invoice_profiles.create(data)
    assert route.call_count == 1
    assert sent_json(route) == {
        "invoice_profile": {"customerid": 31006, "create_date": "2026-01-05", "frequency": "2w"}
    }


def test_stop_sets_disable_and_delete_is_a_vis_state_put(httpx2_mock, books):
    stopped = {**PROFILE, "disable": True}
    route = httpx2_mock.put(f"{BASE}/456").respond(json=result(invoice_profile=stopped))
    assert books.invoice_profiles.stop(456).state == "stopped"
    assert sent_json(route) == {"invoice_profile": {"disable": True}}
    route.respond(json=result(invoice_profile={**PROFILE, "vis_state": 1}))
    books.invoice_profiles.delete(456)
    assert sent_json(route) == {"invoice_profile": {"vis_state": 1}}


def test_an_unknown_frequency_is_refused_before_any_request():
    with pytest.raises(ValueError, match="frequency must be one of"):
        InvoiceProfileInput(customerid=1, create_date=date(2026, 1, 1), frequency="fortnightly")


@pytest.mark.parametrize(
    ("code", "per_month", "label"),
    [
        ("w", Fraction(52, 12), "Weekly"),
        ("2w", Fraction(26, 12), "Every 2 weeks"),
        ("m", Fraction(1), "Monthly"),
        ("3m", Fraction(1, 3), "Quarterly"),
        ("6m", Fraction(1, 6), "Every 6 months"),
        ("y", Fraction(1, 12), "Yearly"),
        ("2Y", Fraction(1, 24), "Every 2 years"),
    ],
)
def test_frequency_codes_read_into_issues_per_month(code, per_month, label):
    frequency = Frequency.parse(code)
    assert frequency is not None
    assert (frequency.per_month, frequency.label) == (per_month, label)


@pytest.mark.parametrize("code", [None, "", "0m", "fortnight", "3d"])
def test_unreadable_frequencies_parse_to_none(code):
    assert Frequency.parse(code) is None


def test_monthly_dates_keep_the_anchor_day_without_drifting():
    monthly = Frequency.parse("m")
    assert monthly is not None
    assert monthly.dates(date(2027, 1, 31), 4) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    weekly = Frequency.parse("2w")
    assert weekly is not None
    assert weekly.nth(date(2027, 12, 27), 1) == date(2028, 1, 10)


def test_stopped_finished_and_open_ended_profiles():
    def read(**fields: object) -> InvoiceProfile:
        return InvoiceProfile.model_validate({**PROFILE, **fields})

    assert read(disable=True).next_date is None
    assert read(occurrences_to_date=3).state == "finished"
    open_ended = read(numberRecurring=0, occurrences_to_date=40)
    assert (open_ended.state, open_ended.remaining) == ("active", None)
    assert len(open_ended.upcoming(6)) == 6
    weekly = read(frequency="w", amount={"amount": "120.00", "code": "EUR"})
    assert weekly.monthly_amount() == Decimal("520")
    assert read(frequency="weird").monthly_amount() is None
