"""Identity, team members, projects, time entries and services."""

from __future__ import annotations

import pytest

PROJECTS = "/projects/business/77/projects"
PROJECT = "/projects/business/77/project"
ENTRIES = "/timetracking/business/77/time_entries"
SERVICES = "/comments/business/77"


def test_identity_envelope_and_memberships(api):
    response = api.get("/auth/api/v1/users/me")
    assert response.status_code == 200
    me = response.json()["response"]
    assert "result" not in me
    memberships = me["business_memberships"]
    assert len(memberships) == 3
    assert all(m["id"] != m["business"]["id"] for m in memberships)
    accounts = [m["business"]["account_id"] for m in memberships]
    assert accounts == ["ABC123", "XYZ789", None]


def test_team_members(api):
    body = api.get("/auth/api/v1/businesses/77/team_members", params={"per_page": 1}).json()
    assert body["meta"] == {"page": 1, "per_page": 1, "total": 2}
    assert "pages" not in body["meta"]
    uuid = body["response"][0]["uuid"]
    one = api.get(f"/auth/api/v1/businesses/77/team_members/{uuid}").json()["response"]
    assert one["uuid"] == uuid
    missing = api.get("/auth/api/v1/businesses/77/team_members/nope")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"


def test_project_list_get_create_update_delete(api):
    listed = api.get(PROJECTS).json()
    assert listed["meta"] == {"sort": [], "total": 2, "per_page": 30, "page": 1, "pages": 1}
    single = api.get(f"{PROJECT}/1").json()
    assert single["project"]["title"] == "Website redesign"
    assert single["project"]["logged_duration"] == 5400
    assert {"name": "can_edit", "value": True} in single["abilities"]
    created = api.post(PROJECT, json={"project": {"title": "New site", "client_id": 1}})
    assert created.status_code == 200
    project = created.json()["project"]
    assert project["created_at"] == "2024-06-15T16:00:00"  # ISO UTC without Z
    updated = api.put(f"{PROJECT}/{project['id']}", json={"project": {"complete": True}})
    assert updated.json()["project"]["complete"] is True
    assert updated.json()["project"]["title"] == "New site"
    deleted = api.delete(f"{PROJECT}/{project['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    gone = api.get(f"{PROJECT}/{project['id']}")
    assert gone.status_code == 404
    assert gone.json() == {"error": "Requested resource could not be found."}


def test_project_validation_is_2001(api):
    response = api.post(PROJECT, json={"project": {"description": "no title"}})
    assert response.status_code == 422
    assert response.json() == {"errno": 2001, "error": {"title": "field required"}}


@pytest.mark.parametrize("true_word", ["true", "True", "1"])
def test_project_filters_and_sort(api, true_word):
    assert [
        p["id"] for p in api.get(PROJECTS, params={"active": true_word}).json()["projects"]
    ] == [1]
    by_title = api.get(PROJECTS, params={"sort": "-title"}).json()
    assert [p["title"] for p in by_title["projects"]] == ["Website redesign", "Internal tooling"]
    assert by_title["meta"]["sort"] == ["-title"]
    client = api.get(PROJECTS, params={"client_id": 1}).json()["projects"]
    assert [p["id"] for p in client] == [1]
    logged = api.get(PROJECTS, params={"include_logged_duration": true_word}).json()["projects"]
    assert logged[0]["logged_duration"] == 5400
    since = api.get(PROJECTS, params={"updated_since": "2024-01-10T00:00:00Z"}).json()
    assert [p["id"] for p in since["projects"]] == [2]


def test_time_entry_default_view_is_own_logged_active(api):
    own = api.get(ENTRIES).json()
    assert [e["id"] for e in own["time_entries"]] == [1]
    assert set(own["meta"]) == {"total", "per_page", "page", "pages"}
    team = api.get(ENTRIES, params={"team": "True"}).json()["time_entries"]
    assert sorted(e["id"] for e in team) == [1, 2]
    running = api.get(ENTRIES, params={"include_unlogged": "1"}).json()["time_entries"]
    assert sorted(e["id"] for e in running) == [1, 3]
    timer = next(e for e in running if e["id"] == 3)
    assert timer["timer"] == {"id": 3, "is_running": True}


def test_time_entry_filters(api):
    team = {"team": "true"}
    billed = api.get(ENTRIES, params={**team, "billed": "false"}).json()["time_entries"]
    assert [e["id"] for e in billed] == [1]
    window = {**team, "started_from": "2024-01-09T00:00:00Z", "started_to": "2024-01-09T23:59:59Z"}
    assert [e["id"] for e in api.get(ENTRIES, params=window).json()["time_entries"]] == [2]
    assert api.get(ENTRIES, params={**team, "project_id": 2}).json()["time_entries"] == []
    by_client = api.get(ENTRIES, params={**team, "client_id": "1"}).json()["meta"]["total"]
    assert by_client == 2


def test_time_entry_create_requires_fields(api):
    response = api.post(ENTRIES, json={"time_entry": {"note": "x"}})
    assert response.status_code == 422
    body = response.json()
    assert body["errno"] == 2001
    assert set(body["error"]) == {"is_logged", "started_at", "duration"}


def test_time_entry_put_replaces_the_whole_record(api, clock):
    body = {"is_logged": True, "started_at": "2024-06-14T09:00:00.000Z", "duration": 900,
            "note": "Call", "project_id": 1, "client_id": 1, "billable": True}  # fmt: skip
    created = api.post(ENTRIES, json={"time_entry": body}).json()["time_entry"]
    assert created["started_at"] == "2024-06-14T09:00:00Z"
    assert created["identity_id"] == 1001
    key = created["id"]
    partial = api.put(f"{ENTRIES}/{key}", json={"time_entry": {"note": "only a note"}})
    assert partial.status_code == 422
    replaced = api.put(
        f"{ENTRIES}/{key}",
        json={"time_entry": {"is_logged": True, "started_at": body["started_at"], "duration": 60}},
    ).json()["time_entry"]
    assert replaced["note"] is None  # not sent, so reset
    assert replaced["project_id"] is None
    assert replaced["duration"] == 60
    clock.advance(minutes=5)
    since = api.get(ENTRIES, params={"updated_since": "2024-06-15T16:00:00Z"}).json()
    assert [e["id"] for e in since["time_entries"]] == [key]
    assert api.delete(f"{ENTRIES}/{key}").status_code == 204
    assert api.get(f"{ENTRIES}/{key}").status_code == 404
    with_deleted = api.get(ENTRIES, params={"include_deleted": "true"}).json()["time_entries"]
    assert any(e["id"] == key and e["active"] is False for e in with_deleted)


def test_services_and_rates(api):
    listed = api.get(f"{SERVICES}/services", params={"include_task_id": "true"}).json()
    assert [s["task_id"] for s in listed["services"]] == [1, 2]
    created = api.post(f"{SERVICES}/service", json={"service": {"name": "Research"}}).json()
    key = created["service"]["id"]
    assert api.get(f"{SERVICES}/service/{key}/rate").status_code == 404
    rate = api.post(f"{SERVICES}/service/{key}/rate", json={"service_rate": {"rate": "55"}})
    assert rate.json() == {"service_rate": {"rate": "55.00", "business_id": 77, "service_id": key}}
    updated = api.put(f"{SERVICES}/service/{key}/rate", json={"service_rate": {"rate": "60.5"}})
    assert updated.json()["service_rate"]["rate"] == "60.50"
    rates = api.get(f"{SERVICES}/service_rates").json()["service_rates"]
    assert {r["service_id"] for r in rates} == {1, key}
    task = api.get(f"/accounting/account/ABC123/projects/tasks/{key}").json()
    assert task["response"]["result"]["task"]["rate"]["amount"] == "60.50"
    bad = api.post(f"{SERVICES}/service", json={"service": {}})
    assert bad.json() == {"errno": 2001, "error": {"name": "field required"}}
    assert api.delete(f"{SERVICES}/service/{key}").status_code == 204


def test_null_account_business_has_an_empty_project_side(api):
    body = api.get("/projects/business/99/projects").json()
    assert body["projects"] == []
    assert body["meta"]["total"] == 0
    assert api.get("/projects/business/12345/projects").status_code == 404
