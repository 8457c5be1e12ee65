"""Staff resource: id first, no create, update and vis_state delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fbclient.models.staff import StaffMember, StaffUpdate
from fbclient.resources.staff import Staff

from ..support.accounting_wire import ACCOUNTING, empty, paged, result, sent_json

BASE = f"{ACCOUNTING}/users/staffs"

STAFF = {
    "id": 1,
    "fname": "Ada",
    "lname": "Byron",
    "email": "ada@example.test",
    "display_name": "",
    "signup_date": "2020-01-01 12:00:00",
    "last_login": "2024-07-01 09:30:00",
    "updated": "2024-07-01 09:30:00",
    "vis_state": 0,
}


def test_get_parses(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/1").respond(json=result(staff=STAFF))
    staff = books.staff.get(1)
    assert (staff.id, staff.full_name) == (1, "Ada Byron")
    assert staff.signup_date == datetime(2020, 1, 1, 12, tzinfo=UTC)
    assert staff.updated == datetime(2024, 7, 1, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"id": 1, "userid": 99}, 1),  # id wins over its twin
        ({"userid": 7}, 7),
        ({"staffid": 8}, 8),
    ],
)
def test_id_comes_from_id_then_twins(keys, expected):
    row = {k: v for k, v in STAFF.items() if k != "id"}
    assert StaffMember.model_validate({**row, **keys}).id == expected


def test_list_pages_in_order(httpx2_mock, books):
    pages = [[{**STAFF, "id": n}] for n in (1, 2)]
    httpx2_mock.get(BASE).mock(side_effect=paged("staffs", pages, per_page=1))
    staff = books.staff.list()
    assert [s.id for s in staff] == [1, 2]
    assert staff.total == 2


def test_empty_list(httpx2_mock, books):
    httpx2_mock.get(BASE).respond(json=empty("staffs"))
    assert books.staff.list().total == 0


def test_update_and_delete(httpx2_mock, books):
    route = httpx2_mock.put(f"{BASE}/1").respond(json=result(staff={**STAFF, "vis_state": 1}))
    books.staff.update(1, StaffUpdate(note="Bookkeeper"))
    assert sent_json(route) == {"staff": {"note": "Bookkeeper"}}
    assert books.staff.delete(1).vis_state == 1
    assert sent_json(route) == {"staff": {"vis_state": 1}}


def test_has_no_create(books):
    assert not hasattr(Staff, "create")
    assert not hasattr(books.staff, "create")
