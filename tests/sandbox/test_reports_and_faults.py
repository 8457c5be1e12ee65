"""Reports computed from the books, and fault injection."""

from __future__ import annotations

import pytest

from sandbox.demo_token import issue_token

REPORTS = "/accounting/account/ABC123/reports/accounting"
YEAR = {"start_date": "2024-01-01", "end_date": "2024-12-31"}


def report(api, name: str, **params) -> dict:
    response = api.get(f"{REPORTS}/{name}", params=params)
    assert response.status_code == 200, response.text
    (value,) = response.json()["response"]["result"].values()
    return value


@pytest.mark.parametrize("path", ["profitloss_entity", "profitloss"])
def test_profit_and_loss_from_sent_invoices_and_expenses(api, path):
    pnl = report(api, path, **YEAR, resolution="3m")
    # invoice 1 net of tax: 44.00 - 4.40 = 39.60 (draft 2 ignored, invoice 3 is USD)
    assert pnl["total_income"]["total"] == {"amount": "39.60", "code": "CAD"}
    assert pnl["total_expenses"]["total"]["amount"] == "470.00"
    assert pnl["net_profit"]["total"]["amount"] == "-430.40"
    assert pnl["gross_margin"]["total"]["amount"] == "-260.40"  # COGS 300
    assert pnl["labels"] == ["2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"]
    assert [e["description"] for e in pnl["expenses"]] == [
        "Cost of Goods Sold", "Office Supplies", "Software"
    ]  # fmt: skip
    assert pnl["income"][0]["data"][0]["amount"] == "39.60"
    assert pnl["download_token"].count(".") == 2


def test_cash_based_income_follows_payments(api):
    usd = report(api, "profitloss_entity", **YEAR, currency_code="USD", cash_based="true")
    assert usd["total_income"]["total"] == {"amount": "500.00", "code": "USD"}


def test_bare_dates_only_search_style_gets_the_default_period(api):
    trap = report(api, "profitloss_entity", **{"search[start_date]": "2024-01-01"})
    assert (trap["start_date"], trap["end_date"]) == ("2024-06-01", "2024-06-15")
    assert trap["total_income"]["total"]["amount"] == "0.00"


def test_tax_summary(api):
    taxes = report(api, "taxsummary", **YEAR)
    (hst,) = taxes["taxes"]
    assert hst["tax_name"] == "HST"
    assert hst["tax_collected"]["amount"] == "2.34"
    assert hst["tax_paid"]["amount"] == "6.50"
    assert hst["net_tax"]["amount"] == "-4.16"


def test_payments_collected(api):
    body = report(api, "payments_collected", **YEAR)
    assert [p["invoice_number"] for p in body["payments"]] == ["0000001", "0000003"]
    assert body["totals"] == [
        {"amount": "20.00", "code": "CAD"},
        {"amount": "500.00", "code": "USD"},
    ]
    only_cad = report(api, "payments_collected", **YEAR, currency_code="CAD")
    assert len(only_cad["payments"]) == 1


def test_accounts_aging(api):
    aging = report(api, "accounts_aging", end_date="2024-03-01")
    (acme,) = aging["accounts"]
    assert acme["userid"] == 1
    assert acme["0-30"]["amount"] == "21.94"  # due 2024-02-09, 21 days late at 2024-03-01
    later = report(api, "accounts_aging", end_date="2024-06-15")
    assert later["accounts"][0]["91+"]["amount"] == "21.94"
    assert later["totals"]["total"]["amount"] == "21.94"


def test_report_errors(api):
    backwards = api.get(f"{REPORTS}/taxsummary", params={"start_date": "2024-02-01",
                                                         "end_date": "2024-01-01"})  # fmt: skip
    assert backwards.status_code == 422
    assert backwards.json()["response"]["errors"][0]["errno"] == 1007
    assert api.get(f"{REPORTS}/balance_sheet_x").status_code == 404


def test_latency_is_added(make_app, make_api):
    import time

    app = make_app(latency_ms=120)
    api = make_api(app, issue_token(app))
    started = time.perf_counter()
    assert api.get("/auth/api/v1/users/me").status_code == 200
    assert time.perf_counter() - started >= 0.12


def test_rate_limit_answers_429_with_retry_after(make_app, make_api):
    app = make_app(rate_limit=3)
    now = [100.0]
    app.state.sandbox.faults.monotonic = lambda: now[0]
    api = make_api(app, issue_token(app))
    codes = [api.get("/auth/api/v1/users/me").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.get("/auth/api/v1/users/me")
    assert limited.headers["Retry-After"] == "1"
    now[0] += 1.0
    assert api.get("/auth/api/v1/users/me").status_code == 200


def test_fail_rate_gives_5xx_some_not_json_and_spares_oauth(make_app, make_api):
    app = make_app(fail_rate=1.0, fault_seed=3)
    api = make_api(app, issue_token(app))
    statuses = set()
    non_json = 0
    for _ in range(40):
        response = api.get("/accounting/account/ABC123/users/clients")
        statuses.add(response.status_code)
        if not response.headers["content-type"].startswith("application/json"):
            non_json += 1
    assert statuses <= {500, 502, 503, 504}
    assert len(statuses) >= 3
    assert non_json > 0
    token = api.post("/auth/oauth/token", data={"grant_type": "refresh_token"})
    assert token.status_code == 401  # the OAuth answer itself, not an injected 5xx


def test_fail_rate_is_deterministic_per_seed(make_app, make_api):
    def run() -> list[int]:
        app = make_app(fail_rate=0.5, fault_seed=11)
        api = make_api(app, issue_token(app))
        return [api.get("/auth/api/v1/users/me").status_code for _ in range(20)]

    first, second = run(), run()
    assert first == second
    assert 200 in first
    assert any(code >= 500 for code in first)


def test_error_inside_http_200(make_app, make_api):
    app = make_app(error_in_200_rate=1.0)
    api = make_api(app, issue_token(app))
    response = api.get("/accounting/account/ABC123/users/clients")
    assert response.status_code == 200
    assert response.json()["response"]["errors"][0]["errno"] == 500
