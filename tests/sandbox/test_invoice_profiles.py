"""Invoice profiles in the sandbox: the accounting verbs, envelopes, filters and errors, and
the invoices they make when the clock passes their next date."""

from __future__ import annotations

import datetime as dt

from sandbox.demo_token import issue_token

BASE = "/accounting/account/ABC123"
PROFILES = f"{BASE}/invoice_profiles/invoice_profiles"
INVOICES = f"{BASE}/invoices/invoices"
TODAY = dt.date(2024, 6, 15)  # the fake clock's day in Toronto (tests/support/sandbox_api.py)
WITH = {"include[]": ["lines", "next_issue_date"]}


def result(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()["response"]["result"]


def first_error(response) -> dict:
    return response.json()["response"]["errors"][0]


def create(api, **fields) -> dict:
    body = {
        "customerid": 2,
        "create_date": (TODAY + dt.timedelta(days=1)).isoformat(),
        "frequency": "m",
        "lines": [{"name": "Retainer", "qty": "1", "unit_cost": {"amount": "1500"}}],
        **fields,
    }
    answer = api.post(PROFILES, params=WITH, json={"invoice_profile": body})
    return result(answer)["invoice_profile"]


def invoices_of(api, client_id: int) -> list[dict]:
    params = {"search[customerid]": client_id, "include[]": "lines", "per_page": 100}
    return result(api.get(INVOICES, params=params))["invoices"]


def later(app, make_api, clock, days: int):
    """An API client after the clock moved ``days`` on (tokens last 12 hours: a new one)."""
    clock.advance(days=days)
    return make_api(app, issue_token(app))


def profile(api, key: int) -> dict:
    return result(api.get(f"{PROFILES}/{key}", params=WITH))["invoice_profile"]


def test_create_answers_the_profile_with_both_ids_totals_and_next_date(api):
    made = create(api, numberRecurring=3)
    assert made["id"] == made["profileid"]
    assert made["amount"] == {"amount": "1500.00", "code": "USD"}  # the client's currency
    assert (made["organization"], made["fname"]) == ("", "Bob")
    assert made["next_issue_date"] == "2024-06-16"
    assert (made["occurrences_to_date"], made["disable"]) == (0, False)
    assert made["lines"][0]["amount"] == {"amount": "1500.00", "code": "USD"}
    bare = result(api.get(f"{PROFILES}/{made['id']}"))["invoice_profile"]
    assert "lines" not in bare
    assert "next_issue_date" not in bare


def test_filters_follow_freshbooks_keys_and_unknown_ones_are_ignored(api):
    usd = create(api)
    cad = create(api, customerid=1, frequency="2w")
    listed = result(api.get(PROFILES, params={"search[clientid]": 1}))["invoice_profiles"]
    assert [p["id"] for p in listed] == [cad["id"]]
    by_currency = result(api.get(PROFILES, params={"search[currency_code]": "usd"}))
    assert [p["id"] for p in by_currency["invoice_profiles"]] == [usd["id"]]
    some = api.get(PROFILES, params={"search[profileids][]": [usd["id"], cad["id"]]})
    assert {p["id"] for p in result(some)["invoice_profiles"]} == {usd["id"], cad["id"]}
    ignored = result(api.get(PROFILES, params={"search[colour]": "red"}))
    assert ignored["total"] == 2


def test_bad_profiles_get_field_errors(api):
    missing = api.post(PROFILES, json={"invoice_profile": {"customerid": 2}})
    assert missing.status_code == 422
    assert first_error(missing)["field"] == "frequency"
    odd = api.post(
        PROFILES,
        json={"invoice_profile": {"customerid": 2, "create_date": "2024-07-01", "frequency": "9x"}},
    )
    assert (odd.status_code, first_error(odd)["errno"]) == (422, 1004)
    text = api.post(
        PROFILES,
        json={
            "invoice_profile": {
                "customerid": 2,
                "create_date": "2024-07-01",
                "frequency": "m",
                "numberRecurring": "three",
            }
        },
    )
    assert (text.status_code, first_error(text)["errno"]) == (422, 1015)
    unknown = api.get(f"{PROFILES}/999")
    assert (unknown.status_code, first_error(unknown)["errno"]) == (404, 1012)


def test_delete_is_a_vis_state_put_and_http_delete_is_refused(api):
    made = create(api)
    assert api.delete(f"{PROFILES}/{made['id']}").status_code == 405
    gone = result(api.put(f"{PROFILES}/{made['id']}", json={"invoice_profile": {"vis_state": 1}}))
    assert gone["invoice_profile"]["vis_state"] == 1
    assert result(api.get(PROFILES))["invoice_profiles"] == []
    deleted = result(api.get(PROFILES, params={"search[vis_state]": 1}))
    assert [p["id"] for p in deleted["invoice_profiles"]] == [made["id"]]


def test_the_clock_passing_the_next_date_makes_the_invoice_then_moves_on(api, app, make_api, clock):
    made = create(api, numberRecurring=3, notes="Monthly retainer")
    before = len(invoices_of(api, 2))
    assert len(invoices_of(api, 2)) == before  # nothing is due today
    api = later(app, make_api, clock, 1)
    after = invoices_of(api, 2)
    assert len(after) == before + 1
    invoice = next(i for i in after if i["create_date"] == "2024-06-16")
    assert invoice["amount"] == {"amount": "1500.00", "code": "USD"}
    assert invoice["notes"] == "Monthly retainer"
    assert invoice["v3_status"] == "draft"
    assert [line["name"] for line in invoice["lines"]] == ["Retainer"]
    moved = profile(api, made["id"])
    assert (moved["occurrences_to_date"], moved["next_issue_date"]) == (1, "2024-07-16")
    api = later(app, make_api, clock, 200)  # two more dates pass: the count of three is reached
    dates = sorted(
        i["create_date"] for i in invoices_of(api, 2) if i["notes"] == "Monthly retainer"
    )
    assert dates == ["2024-06-16", "2024-07-16", "2024-08-16"]
    finished = profile(api, made["id"])
    assert (finished["occurrences_to_date"], finished["next_issue_date"]) == (3, None)


def test_stopped_profiles_make_nothing_and_emailed_ones_are_sent(api, app, make_api, clock):
    stopped = create(api, notes="stopped one")
    result(api.put(f"{PROFILES}/{stopped['id']}", json={"invoice_profile": {"disable": True}}))
    create(api, notes="emailed one", send_email=True, frequency="w", due_offset_days=30)
    api = later(app, make_api, clock, 14)  # to 2024-06-29
    made = invoices_of(api, 2)
    assert not [i for i in made if i["notes"] == "stopped one"]
    emailed = sorted(
        (i["create_date"], i["v3_status"]) for i in made if i["notes"] == "emailed one"
    )
    assert emailed == [("2024-06-16", "sent"), ("2024-06-23", "sent")]
    assert profile(api, stopped["id"])["next_issue_date"] is None


def test_a_schedule_on_the_31st_keeps_each_months_last_day(api, app, make_api, clock):
    made = create(api, create_date="2024-07-31", notes="month end")
    api = later(app, make_api, clock, 110)  # to 2024-10-03
    dates = sorted(i["create_date"] for i in invoices_of(api, 2) if i["notes"] == "month end")
    assert dates == ["2024-07-31", "2024-08-31", "2024-09-30"]
    assert profile(api, made["id"])["next_issue_date"] == "2024-10-31"


def test_a_new_date_restarts_the_schedule_from_there(api, app, make_api, clock):
    made = create(api, frequency="2w")
    changed = api.put(
        f"{PROFILES}/{made['id']}",
        params=WITH,
        json={"invoice_profile": {"create_date": "2024-06-20"}},
    )
    assert result(changed)["invoice_profile"]["next_issue_date"] == "2024-06-20"
    api = later(app, make_api, clock, 6)  # 2024-06-21
    dates = [i["create_date"] for i in invoices_of(api, 2) if i["create_date"] >= "2024-06-16"]
    assert dates == ["2024-06-20"]
    assert profile(api, made["id"])["next_issue_date"] == "2024-07-04"
