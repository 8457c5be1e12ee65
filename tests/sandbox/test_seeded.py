"""Integration checks of the sandbox on the real demo data (`sandbox.seed`, size small)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from sandbox import SandboxConfig, create_app
from sandbox.demo_token import issue_token

seed = pytest.importorskip("sandbox.seed")


@pytest.fixture(scope="module")
def seeded():
    app = create_app(SandboxConfig(size="small"), seed.generate(seed=7, size="small"))
    yield app
    app.state.sandbox.close()


@pytest.fixture
def sapi(seeded, make_api):
    return make_api(seeded, issue_token(seeded))


def fetch_all(api, url: str, key: str, **params) -> list[dict]:
    rows: list[dict] = []
    page = 1
    while True:
        body = api.get(url, params={**params, "page": page, "per_page": 100}).json()
        result = body["response"]["result"]
        rows += result[key]
        if page >= result["pages"]:
            assert len(rows) == result["total"]
            return rows
        page += 1


def accounts(api) -> list[str]:
    me = api.get("/auth/api/v1/users/me").json()["response"]
    return [m["business"]["account_id"] for m in me["business_memberships"]]


def test_identity_has_several_businesses_and_a_null_account(sapi):
    me = sapi.get("/auth/api/v1/users/me").json()["response"]
    memberships = me["business_memberships"]
    with_account = [m for m in memberships if m["business"]["account_id"]]
    assert len(with_account) >= 2
    assert any(m["business"]["account_id"] is None for m in memberships)
    assert all(m["id"] != m["business"]["id"] for m in memberships)


def test_invoice_money_is_consistent(sapi):
    account = accounts(sapi)[0]
    invoices = fetch_all(
        sapi,
        f"/accounting/account/{account}/invoices/invoices",
        "invoices",
        **{"include[]": "lines"},
    )
    assert len(invoices) > 20
    statuses = set()
    for inv in invoices:
        amount = Decimal(inv["amount"]["amount"])
        paid = Decimal(inv["paid"]["amount"])
        assert Decimal(inv["outstanding"]["amount"]) == max(amount - paid, Decimal(0))
        assert inv["id"] == inv["invoiceid"]
        assert all(line["amount"]["code"] == inv["currency_code"] for line in inv["lines"])
        expected = {"paid": 4, "partial": 8}.get(inv["payment_status"])
        if expected:
            assert inv["status"] == expected
        statuses.add(inv["v3_status"])
    assert {"paid", "draft"} <= statuses


def test_payments_sum_to_invoice_paid(sapi):
    account = accounts(sapi)[0]
    base = f"/accounting/account/{account}"
    invoices = {i["id"]: i for i in fetch_all(sapi, f"{base}/invoices/invoices", "invoices")}
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for payment in fetch_all(sapi, f"{base}/payments/payments", "payments"):
        paid[payment["invoiceid"]] += Decimal(payment["amount"]["amount"])
    for key, total in paid.items():
        if key in invoices:
            assert Decimal(invoices[key]["paid"]["amount"]) == total


def test_client_outstanding_balance_matches_invoices(sapi):
    account = accounts(sapi)[0]
    base = f"/accounting/account/{account}"
    owed: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for inv in fetch_all(sapi, f"{base}/invoices/invoices", "invoices"):
        if inv["v3_status"] != "draft":
            owed[(inv["customerid"], inv["currency_code"])] += Decimal(inv["outstanding"]["amount"])
    clients = fetch_all(
        sapi, f"{base}/users/clients", "clients", **{"include[]": "outstanding_balance"}
    )
    for client in clients:
        for entry in client["outstanding_balance"]:
            money = entry["amount"]
            assert Decimal(money["amount"]) == owed[(client["id"], money["code"])]


def test_every_resource_lists(sapi):
    account = accounts(sapi)[0]
    for path, key in [
        ("users/clients", "clients"),
        ("expenses/expenses", "expenses"),
        ("expenses/categories", "categories"),
        ("items/items", "items"),
        ("taxes/taxes", "taxes"),
        ("estimates/estimates", "estimates"),
        ("projects/tasks", "tasks"),
        ("users/staffs", "staffs"),
    ]:
        body = sapi.get(f"/accounting/account/{account}/{path}").json()["response"]["result"]
        assert body[key], path


def test_project_side_and_reports(sapi):
    me = sapi.get("/auth/api/v1/users/me").json()["response"]
    business = next(
        m["business"] for m in me["business_memberships"] if m["business"]["account_id"]
    )
    bid, account = business["id"], business["account_id"]
    assert sapi.get(f"/projects/business/{bid}/projects").json()["meta"]["total"] > 0
    own = sapi.get(f"/timetracking/business/{bid}/time_entries").json()["meta"]["total"]
    team = sapi.get(f"/timetracking/business/{bid}/time_entries", params={"team": "true"})
    assert team.json()["meta"]["total"] >= own
    assert sapi.get(f"/comments/business/{bid}/services").json()["services"]
    members = sapi.get(f"/auth/api/v1/businesses/{bid}/team_members").json()
    assert members["meta"]["total"] >= 1
    pnl = sapi.get(
        f"/accounting/account/{account}/reports/accounting/profitloss_entity",
        params={"start_date": "2000-01-01", "end_date": "2100-01-01", "resolution": "y"},
    ).json()["response"]["result"]["profitloss"]
    assert Decimal(pnl["total_income"]["total"]["amount"]) > 0
