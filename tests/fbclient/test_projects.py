"""Projects resource: paths, bare parameters, envelopes, abilities, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import respx
from pydantic import ValidationError

from fbclient import AuthenticationError, InvalidRequestError, NotFoundError, RateLimitError

from ..support.constants import API, BUSINESS_ID

BASE = f"{API}/projects/business/{BUSINESS_ID}"
LIST = f"{BASE}/projects"
ONE = f"{BASE}/project"

PROJECT = {
    "id": 654,
    "title": "Website redesign",
    "description": "New site",
    "due_date": "2024-06-30",
    "client_id": 12,
    "internal": False,
    "budget": 21600,
    "fixed_price": "1500.00",
    "rate": "85.50",
    "billing_method": "project_rate",
    "project_type": "hourly_rate",
    "project_manager_id": None,
    "active": True,
    "complete": False,
    "sample": False,
    "created_at": "2020-09-13T03:10:14",
    "updated_at": "2020-09-13T03:10:14",
    "logged_duration": 5400,
    "services": [{"business_id": BUSINESS_ID, "id": 3, "name": "Design", "billable": True}],
    "billed_amount": "0.10",
    "billed_status": "unbilled",
    "retainer_id": None,
    "expense_markup": "0",
    "group_id": 99,
    "a_new_field": [1, 2],
}


def page_body(rows, page, pages, total):
    return {
        "projects": rows,
        "meta": {"sort": [], "total": total, "per_page": 100, "page": page, "pages": pages},
    }


def test_list_sends_bare_filters_and_parses(httpx2_mock, books):
    route = httpx2_mock.get(LIST).respond(json=page_body([PROJECT], 1, 1, 1))
    projects = books.projects.list(
        active=True,
        complete=False,
        include_logged_duration=True,
        updated_since=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        client_id=12,
    )
    sent = route.calls.last.request.url.params
    assert dict(sent) == {
        "active": "true",
        "complete": "false",
        "include_logged_duration": "true",
        "updated_since": "2024-01-02T03:04:05Z",
        "client_id": "12",
        "page": "1",
        "per_page": "100",
    }
    assert not any(key.startswith("search[") for key in sent)
    (project,) = projects
    assert project.fixed_price == Decimal("1500.00")
    assert project.rate == Decimal("85.50")
    assert project.billed_amount + Decimal("0.20") == Decimal("0.30")
    assert project.due_date == date(2024, 6, 30)
    assert project.logged_hours == Decimal("1.50")
    assert project.services[0].name == "Design"
    assert project.model_extra["a_new_field"] == [1, 2]


@pytest.mark.parametrize(("direction", "expected"), [("asc", "due_date"), ("desc", "-due_date")])
def test_list_sort_direction(httpx2_mock, books, direction, expected):
    route = httpx2_mock.get(LIST).respond(json=page_body([], 1, 0, 0))
    books.projects.list(sort="due_date", direction=direction)
    assert route.calls.last.request.url.params["sort"] == expected


def test_list_fetches_every_page_in_order(httpx2_mock, books):
    pages = {
        1: page_body([{**PROJECT, "id": 1}, {**PROJECT, "id": 2}], 1, 3, 5),
        2: page_body([{**PROJECT, "id": 3}, {**PROJECT, "id": 4}], 2, 3, 5),
        3: page_body([{**PROJECT, "id": 5}], 3, 3, 5),
    }
    route = httpx2_mock.get(LIST).mock(
        side_effect=lambda request: respx.MockResponse(
            200, json=pages[int(request.url.params["page"])]
        )
    )
    projects = books.projects.list()
    assert [p.id for p in projects] == [1, 2, 3, 4, 5]
    assert projects.total == 5
    assert sorted(call.request.url.params["page"] for call in route.calls) == ["1", "2", "3"]


def test_list_empty(httpx2_mock, books):
    route = httpx2_mock.get(LIST).respond(json=page_body([], 1, 0, 0))
    projects = books.projects.list()
    assert list(projects) == []
    assert projects.total == 0
    assert route.call_count == 1


def test_get_keeps_abilities_group_and_reads_naive_utc(httpx2_mock, books):
    single = {
        **PROJECT,
        "group": {
            "id": 99,
            "members": [{"id": 1, "identity_id": 7, "role": "owner", "first_name": "Ada"}],
            "pending_invitations": [],
        },
    }
    abilities = [{"name": "can_edit", "value": True}, {"name": "can_delete", "value": False}]
    httpx2_mock.get(f"{ONE}/654").respond(json={"project": single, "abilities": abilities})
    project = books.projects.get(654)
    assert project.created_at == datetime(2020, 9, 13, 3, 10, 14, tzinfo=UTC)
    assert project.created_at.utcoffset().total_seconds() == 0
    assert project.can("can_edit") is True
    assert project.can("can_delete") is False
    assert project.can("can_fly") is None
    assert project.group.members[0].identity_id == 7


def test_create_posts_singular_envelope(httpx2_mock, books):
    route = httpx2_mock.post(ONE).respond(json={"project": PROJECT})
    created = books.projects.create(
        {
            "title": "Website redesign",
            "client_id": 12,
            "due_date": date(2024, 6, 30),
            "fixed_price": Decimal("1500.00"),
            "project_type": "fixed_price",
            "billing_method": "project_rate",
        }
    )
    assert json.loads(route.calls.last.request.content) == {
        "project": {
            "title": "Website redesign",
            "client_id": 12,
            "due_date": "2024-06-30",
            "fixed_price": "1500.00",
            "project_type": "fixed_price",
            "billing_method": "project_rate",
        }
    }
    assert created.id == 654


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"description": "no title"}, ValueError),
        ({"title": ""}, ValidationError),
        ({"title": "x", "billing_method": "hourly"}, ValidationError),
        ({"title": "x", "titel": "typo"}, ValidationError),
        ({"title": "x", "rate": "-1"}, ValidationError),
    ],
)
def test_create_refuses_bad_input_before_any_request(httpx2_mock, books, data, error):
    with pytest.raises(error):
        books.projects.create(data)
    assert httpx2_mock.calls.call_count == 0


def test_update_puts_only_the_changes(httpx2_mock, books):
    route = httpx2_mock.put(f"{ONE}/654").respond(json={"project": {**PROJECT, "complete": True}})
    updated = books.projects.update(654, {"complete": True})
    assert json.loads(route.calls.last.request.content) == {"project": {"complete": True}}
    assert updated.complete is True


def test_delete_answers_204_without_body(httpx2_mock, books):
    route = httpx2_mock.delete(f"{ONE}/654").respond(204)
    assert books.projects.delete(654) is None
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (422, {"errno": 2001, "error": {"title": "field required"}}, InvalidRequestError),
        (404, {"error": "Requested resource could not be found."}, NotFoundError),
        (
            401,
            {"message": "invalid_token: The request token failed to authenticate or validate."},
            AuthenticationError,
        ),
    ],
)
def test_errors_are_typed(httpx2_mock, books, status, body, error):
    httpx2_mock.post(ONE).respond(status, json=body)
    with pytest.raises(error) as caught:
        books.projects.create({"title": "x"})
    # A 401 goes through the token manager, which turns it into ReauthorizationRequired.
    if status == 422:
        assert caught.value.field_errors == {"title": "field required"}
        assert caught.value.errno == 2001
    if status == 404:
        assert caught.value.message == "Requested resource could not be found."


def test_get_retries_429_with_retry_after(httpx2_mock, books):
    route = httpx2_mock.get(f"{ONE}/654").mock(
        side_effect=[
            respx.MockResponse(429, headers={"Retry-After": "1"}, json={"message": "slow down"}),
            respx.MockResponse(200, json={"project": PROJECT}),
        ]
    )
    assert books.projects.get(654).id == 654
    assert route.call_count == 2


def test_create_is_not_retried_on_429(httpx2_mock, books):
    route = httpx2_mock.post(ONE).respond(429, headers={"Retry-After": "1"}, json={})
    with pytest.raises(RateLimitError):
        books.projects.create({"title": "x"})
    assert route.call_count == 1
