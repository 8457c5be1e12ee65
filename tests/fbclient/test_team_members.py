"""Team members: ``/auth/api/v1/businesses/{b}/team_members`` with ``meta`` lacking ``pages``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import respx

from fbclient import AuthenticationError, NotFoundError

from ..support.constants import API, BUSINESS_ID

BASE = f"{API}/auth/api/v1/businesses/{BUSINESS_ID}/team_members"

MEMBER = {
    "uuid": "a6b3c1e0-0000-4000-8000-000000000001",
    "first_name": "Grace",
    "middle_name": None,
    "last_name": "Hopper",
    "email": "grace@example.com",
    "job_title": "Engineer",
    "street_1": None,
    "city": "Toronto",
    "phone_number": None,
    "business_id": BUSINESS_ID,
    "business_role_name": "business_employee",
    "active": True,
    "identity_id": None,
    "invitation_date_accepted": None,
    "created_at": "2023-01-02T03:04:05Z",
    "updated_at": "2023-01-02T03:04:05Z",
}


def test_list_derives_pages_from_total_and_keeps_order(httpx2_mock, books):
    def answer(request):
        page = int(request.url.params["page"])
        size = 100 if page < 3 else 50
        rows = [
            {**MEMBER, "uuid": f"m-{(page - 1) * 100 + i}", "identity_id": i + 1}
            for i in range(size)
        ]
        return respx.MockResponse(
            200, json={"response": rows, "meta": {"page": page, "per_page": 100, "total": 250}}
        )

    route = httpx2_mock.get(BASE).mock(side_effect=answer)
    members = books.team_members.list(active=True)
    assert route.call_count == 3
    assert sorted(call.request.url.params["page"] for call in route.calls) == ["1", "2", "3"]
    assert all(call.request.url.params["active"] == "true" for call in route.calls)
    assert [m.uuid for m in members] == [f"m-{i}" for i in range(250)]
    assert members.total == 250
    assert members.pages == 3


def test_list_empty(httpx2_mock, books):
    route = httpx2_mock.get(BASE).respond(
        json={"response": [], "meta": {"page": 1, "per_page": 100, "total": 0}}
    )
    assert list(books.team_members.list()) == []
    assert route.call_count == 1
    assert "active" not in route.calls.last.request.url.params


def test_get_by_uuid(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/{MEMBER['uuid']}").respond(json={"response": MEMBER})
    member = books.team_members.get(MEMBER["uuid"])
    assert member.identity_id is None  # no FreshBooks login
    assert member.display_name == "Grace Hopper"
    assert member.created_at == datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert member.city == "Toronto"


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            401,
            {"error": "unauthenticated", "error_description": "Token expired"},
            AuthenticationError,
        ),
        (404, {"error": "Requested resource could not be found."}, NotFoundError),
    ],
)
def test_errors(httpx2_mock, books, status, body, error):
    httpx2_mock.get(f"{BASE}/nobody").respond(status, json=body)
    with pytest.raises(error):
        books.team_members.get("nobody")
