"""Identity with several businesses and a null account id; money and timezone parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import BaseModel

from fbclient import CurrencyMismatchError, Money, NoAccountingError, ResponseFormatError
from fbclient.identity import parse_identity
from fbclient.types import EasternDatetime, FlexibleDate, OptionalId, UTCDatetime

from ..support.constants import API

ME = {
    "response": {
        "id": 2192788,
        "identity_id": 2192788,
        "first_name": "Maya",
        "last_name": "Ortiz",
        "email": "maya@example.com",
        "business_memberships": [
            {
                "id": 9001,
                "role": "owner",
                "business": {
                    "id": 77001,
                    "business_uuid": "b-uuid-1",
                    "name": "Ortiz Design",
                    "account_id": "aBc12",
                    "timezone": "America/Toronto",
                    "date_format": "mm/dd/yyyy",
                },
            },
            {
                "id": 9002,
                "role": "business_employee",
                "business": {"id": 77002, "name": "Side Consulting", "account_id": "xYz9"},
            },
            {
                "id": 9003,
                "role": "owner",
                "business": {
                    "id": 77003,
                    "name": "Time Only",
                    "account_id": None,
                    "timezone": None,
                },
            },
            {"id": 9004, "role": "owner", "business": None},
        ],
    }
}


def test_identity_lists_businesses_with_their_ids(httpx2_mock, fb):
    httpx2_mock.get(f"{API}/auth/api/v1/users/me").respond(json=ME)
    me = fb.identity()
    assert me.identity_id == 2192788
    assert me.display_name == "Maya Ortiz"
    assert [b.business_id for b in me.businesses] == [77001, 77002, 77003]
    first, employee, time_only = me.businesses
    assert first.membership_id == 9001  # the membership id is not the business id
    assert first.account_id == "aBc12"
    assert first.business_uuid == "b-uuid-1"
    assert first.timezone == "America/Toronto"
    assert first.can_write
    assert employee.role == "business_employee"
    assert not employee.can_write
    assert time_only.account_id is None
    assert not time_only.has_accounting


@pytest.mark.httpx2(assert_all_called=False)
def test_business_without_account_refuses_accounting_without_a_request(httpx2_mock, fb):
    me = parse_identity(ME)
    books = fb.business(me.businesses[2])
    with pytest.raises(NoAccountingError) as caught:
        books.clients.list()
    assert "projects and time tracking" in caught.value.user_message
    assert httpx2_mock.calls.call_count == 0


@pytest.mark.parametrize("body", [{}, {"response": None}, {"response": "x"}, []])
def test_malformed_identity(body):
    with pytest.raises(ResponseFormatError):
        parse_identity(body)


class Stamp(BaseModel):
    eastern: EasternDatetime = None
    utc: UTCDatetime = None
    day: FlexibleDate = None
    ref: OptionalId = None


@pytest.mark.parametrize(
    ("raw", "expected_utc"),
    [
        ("2019-11-14 11:27:45", datetime(2019, 11, 14, 16, 27, 45, tzinfo=UTC)),  # EST, UTC-5
        ("2022-08-16 14:11:07", datetime(2022, 8, 16, 18, 11, 7, tzinfo=UTC)),  # EDT, UTC-4
    ],
)
def test_accounting_timestamps_are_eastern_with_dst(raw, expected_utc):
    assert Stamp(eastern=raw).eastern == expected_utc


@pytest.mark.parametrize(
    "raw",
    [
        "2020-10-17T05:00:00Z",
        "2020-10-17T05:00:00",
        "2020-10-17 05:00:00",
        "2020-10-17T05:00:00+00:00",
    ],
)
def test_project_and_time_timestamps_are_utc(raw):
    assert Stamp(utc=raw).utc == datetime(2020, 10, 17, 5, 0, tzinfo=UTC)


def test_dates_and_zero_ids():
    stamp = Stamp(day="2024-02-29", ref=0)
    assert stamp.day == date(2024, 2, 29)
    assert stamp.ref is None
    assert Stamp(day="0000-00-00", ref="12").ref == 12
    assert Stamp(day="0000-00-00").day is None


def test_money_is_exact_and_keeps_currency():
    total = Money.of("0.10", "usd") + Money(amount="0.20", code="USD")
    assert total == Money.of("0.30", "USD")
    assert isinstance(total.amount, Decimal)
    assert Money.model_validate(
        {"amount": "7.60133524082021936099189318", "code": "CAD"}
    ).amount == Decimal("7.60133524082021936099189318")
    assert Money.of("12.5", "EUR").to_wire() == {"amount": "12.5", "code": "EUR"}


def test_money_never_adds_across_currencies():
    with pytest.raises(CurrencyMismatchError):
        Money.of("1", "USD") + Money.of("1", "CAD")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", True, {"x": 1}])
def test_money_rejects_non_numbers(bad):
    with pytest.raises(ValueError):  # noqa: PT011 - pydantic's ValidationError is a ValueError
        Money(amount=bad, code="USD")
