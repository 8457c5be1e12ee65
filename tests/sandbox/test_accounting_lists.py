"""Accounting lists: pagination, search filters, unknown keys, includes, sort, vis_state."""

from __future__ import annotations

import pytest

from tests.support.sandbox import TinyDemo, tiny_demo

BASE = "/accounting/account/ABC123"
CLIENTS = f"{BASE}/users/clients"
INVOICES = f"{BASE}/invoices/invoices"
EXPENSES = f"{BASE}/expenses/expenses"


def result(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()["response"]["result"]


def ids(response, key: str) -> list[int]:
    return [r["id"] for r in result(response)[key]]


def many_clients(count: int) -> TinyDemo:
    demo = tiny_demo()
    demo.businesses[0].clients = [
        {"id": n, "organization": f"Org {n:03d}", "email": f"c{n}@x.test"}
        for n in range(1, count + 1)
    ]
    demo.businesses[0].invoices = []
    demo.businesses[0].payments = []
    demo.businesses[0].estimates = []
    demo.businesses[0].expenses = []
    demo.businesses[0].projects = []
    demo.businesses[0].time_entries = []
    return demo


@pytest.fixture
def big(make_app, make_api):
    from sandbox.demo_token import issue_token

    app = make_app(many_clients(250))
    return make_api(app, issue_token(app))


def test_list_envelope_and_default_page_size(big):
    body = result(big.get(CLIENTS))
    assert (body["page"], body["pages"], body["per_page"], body["total"]) == (1, 17, 15, 250)
    assert len(body["clients"]) == 15
    assert all(c["id"] == c["userid"] for c in body["clients"])


def test_per_page_is_capped_at_100_and_page_zero_is_one(big):
    body = result(big.get(CLIENTS, params={"per_page": 500, "page": 0}))
    assert (body["page"], body["per_page"], body["pages"]) == (1, 100, 3)
    assert len(body["clients"]) == 100
    last = result(big.get(CLIENTS, params={"per_page": 100, "page": 3}))
    assert len(last["clients"]) == 50


def test_page_past_the_end_is_empty_with_normal_metadata(big):
    body = result(big.get(CLIENTS, params={"per_page": 100, "page": 9}))
    assert body["clients"] == []
    assert (body["page"], body["pages"], body["total"]) == (9, 3, 250)


@pytest.mark.parametrize(("param", "value", "errno"), [("page", "-1", 1014), ("page", "x", 1014),
                                                       ("per_page", "abc", 1013)])  # fmt: skip
def test_bad_page_numbers_are_errors(api, param, value, errno):
    response = api.get(CLIENTS, params={param: value})
    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["errno"] == errno


def test_empty_list_has_zero_pages(api):
    body = result(api.get(CLIENTS, params={"search[email]": "nobody@nowhere.test"}))
    assert body["clients"] == []
    assert (body["pages"], body["total"]) == (0, 0)


def test_pages_concatenate_to_the_whole_set(big):
    seen = []
    for page in (1, 2, 3):
        seen += ids(big.get(CLIENTS, params={"per_page": 100, "page": page}), "clients")
    assert sorted(seen) == list(range(1, 251))
    assert len(set(seen)) == 250


def test_equals_in_like_and_unknown_keys(api):
    assert ids(api.get(CLIENTS, params={"search[email]": "BOB@smith.test"}), "clients") == [2]
    assert ids(api.get(CLIENTS, params={"search[userids][]": ["1", "3"]}), "clients") == [1, 3]
    assert ids(api.get(CLIENTS, params={"search[organization_like]": "acme"}), "clients") == [1]
    assert ids(api.get(CLIENTS, params={"search[user_like]": "smi"}), "clients") == [2]
    # base keys of like filters and unknown keys are ignored: the full list comes back
    everything = ids(api.get(CLIENTS), "clients")
    assert (
        ids(api.get(CLIENTS, params={"search[organization]": "Acme Corp"}), "clients") == everything
    )
    assert ids(api.get(CLIENTS, params={"search[bogus]": "1"}), "clients") == everything


def test_balance_filters_and_includes_per_currency(api):
    params = {"search[has_outstanding]": "true", "include[]": ["outstanding_balance", "draft_balance",
                                                                "overdue_balance"]}  # fmt: skip
    clients = result(api.get(CLIENTS, params=params))["clients"]
    assert [c["id"] for c in clients] == [1]
    acme = clients[0]
    assert acme["outstanding_balance"] == [{"amount": {"amount": "21.94", "code": "CAD"}}]
    assert acme["overdue_balance"] == [{"amount": {"amount": "21.94", "code": "CAD"}}]
    assert acme["draft_balance"] == [{"amount": {"amount": "100.00", "code": "CAD"}}]
    plain = result(api.get(f"{CLIENTS}/1"))["client"]
    assert "outstanding_balance" not in plain


def test_client_timestamps(api):
    created = result(api.post(CLIENTS, json={"client": {"organization": "New"}}))["client"]
    assert created["signup_date"] == "2024-06-15 16:00:00"  # naive UTC
    assert created["updated"] == "2024-06-15 12:00:00"  # naive US/Eastern


def test_min_max_dates_are_day_granular_and_inclusive(api):
    params = {"search[date_min]": "2024-02-01", "search[date_max]": "2024-03-01"}
    assert sorted(ids(api.get(INVOICES, params=params), "invoices")) == [2, 3]
    # create_date_min is not a FreshBooks filter: ignored
    ignored = api.get(INVOICES, params={"search[create_date_min]": "2030-01-01"})
    assert len(result(ignored)["invoices"]) == 3
    # a timestamp is cut to its day
    stamped = {"search[date_min]": "2024-03-01 23:59:59"}
    assert ids(api.get(INVOICES, params=stamped), "invoices") == [3]


def test_updated_min_sees_later_changes_including_deletes(app, make_api, clock):
    from sandbox.demo_token import issue_token

    clock.advance(days=2)
    api = make_api(app, issue_token(app))
    api.put(f"{CLIENTS}/2", json={"client": {"vis_state": 1}})
    api.put(f"{CLIENTS}/1", json={"client": {"note": "changed"}})
    since = {"search[updated_min]": "2024-06-17"}
    assert ids(api.get(CLIENTS, params=since), "clients") == [1]
    deleted = {**since, "search[vis_state]": "1"}
    assert ids(api.get(CLIENTS, params=deleted), "clients") == [2]


def test_invoice_v3_status_filter_knows_overdue(api):
    assert ids(api.get(INVOICES, params={"search[v3_status]": "overdue"}), "invoices") == [1]
    assert ids(api.get(INVOICES, params={"search[v3_status]": "paid"}), "invoices") == [3]
    assert ids(api.get(INVOICES, params={"search[v3_status]": "draft"}), "invoices") == [2]
    # status and payment_status are not filters on FreshBooks invoices: ignored
    assert (
        len(result(api.get(INVOICES, params={"search[payment_status]": "paid"}))["invoices"]) == 3
    )


def test_include_lines_on_lists(api):
    plain = result(api.get(INVOICES))["invoices"]
    assert all("lines" not in i for i in plain)
    with_lines = result(api.get(INVOICES, params={"include[]": "lines"}))["invoices"]
    assert {len(i["lines"]) for i in with_lines} == {1, 2}
    line = with_lines[-1]["lines"][0]
    assert line["invoiceid"] == with_lines[-1]["id"]
    assert isinstance(line["qty"], str)


def test_sort(api):
    asc = ids(api.get(INVOICES, params={"sort": "invoice_date_asc"}), "invoices")
    desc = ids(api.get(INVOICES, params={"sort": "invoice_date_desc"}), "invoices")
    assert asc == [1, 2, 3]
    assert desc == [3, 2, 1]
    by_email = ids(api.get(CLIENTS, params={"sort": "email_desc"}), "clients")
    assert by_email[:2] == [2, 1]


def test_vis_state_default_shows_active_and_archived(api):
    assert ids(api.get(CLIENTS), "clients") == [1, 2, 3]  # 3 is archived
    assert ids(api.get(CLIENTS, params={"search[vis_state]": "2"}), "clients") == [3]
    api.put(f"{CLIENTS}/1", json={"client": {"vis_state": 1}})
    assert ids(api.get(CLIENTS), "clients") == [2, 3]


def test_expense_filters(api):
    assert ids(api.get(EXPENSES, params={"search[categoryid]": "2"}), "expenses") == [2]
    amount = {"search[amount_min]": "100", "search[amount_max]": "300"}
    assert sorted(ids(api.get(EXPENSES, params=amount), "expenses")) == [2, 3]
    assert ids(api.get(EXPENSES, params={"search[clientids][]": "1"}), "expenses") == [2]
