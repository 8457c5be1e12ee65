"""Reports: bare date parameters, accounting envelope, exact money."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from fbclient import Money, NoAccountingError, ResponseFormatError
from fbclient.identity import Business

from ..support.constants import ACCOUNT_ID, API, BUSINESS_ID

BASE = f"{API}/accounting/account/{ACCOUNT_ID}/reports/accounting"
JAN = date(2024, 1, 1)
MAR = date(2024, 3, 31)


def cad(amount):
    return {"amount": amount, "code": "CAD"}


def entry(description, total, data=(), children=(), entry_type="credit"):
    return {
        "description": description,
        "entry_type": entry_type,
        "total": cad(total),
        "data": [cad(d) for d in data],
        "children": list(children),
    }


PROFIT_LOSS = {
    "company_name": "Demo",
    "currency_code": "CAD",
    "cash_based": False,
    "start_date": "2024-01-01",
    "end_date": "2024-03-31",
    "resolution": "m",
    "labels": ["2024-01-01", "2024-02-01", "2024-03-01"],
    "dates": [
        {"start_date": "2024-01-01", "end_date": "2024-01-31"},
        {"start_date": "2024-02-01", "end_date": "2024-02-29"},
        {"start_date": "2024-03-01", "end_date": "2024-03-31"},
    ],
    "income": [
        entry(
            "Sales",
            "1227.43",
            ["0.00", "1327.43", "-100.00"],
            [entry("Other Income", "1327.43"), entry("Credit", "-100.00")],
        )
    ],
    "expenses": [entry("Office", "108.85", entry_type="debit")],
    "total_income": entry("Gross Profit", "1227.43", ["0.00", "1327.43", "-100.00"]),
    "total_expenses": entry("Total Expenses", "108.85", entry_type="debit"),
    "gross_margin": {**entry("Gross Margin", "100.00"), "total": {"amount": "100.00", "code": "%"}},
    "net_profit": entry("Net Profit (CAD)", "1118.58"),
    "download_token": "long.downloadtoken",
    "cost_of_goods_sold": {"kept": True},
}

TAX_SUMMARY = {
    "cash_based": False,
    "currency_code": "CAD",
    "start_date": "2024-01-01",
    "end_date": "2024-03-31",
    "download_token": "t",
    "taxes": [
        {
            "tax_name": "HST",
            "tax_collected": cad("172.57"),
            "tax_paid": cad("9.20"),
            "net_tax": cad("163.37"),
            "taxable_amount_collected": cad("1327.43"),
            "taxable_amount_paid": cad("70.80"),
            "net_taxable_amount": cad("1256.63"),
        }
    ],
    "total_invoiced": cad("1503.13"),
}

PAYMENTS = {
    "clientids": [12, 13],
    "currency_codes": ["CAD", "EUR"],
    "payment_methods": ["Cash", "Check"],
    "summary_only": False,
    "start_date": "2024-01-01",
    "end_date": "2024-03-31",
    "download_token": "t",
    "payments": [
        {
            "amount": {"amount": "53.13", "code": "EUR"},
            "client": "French Press",
            "clientid": 13,
            "credit_number": None,
            "creditid": None,
            "date": "2024-02-09",
            "description": "AK",
            "from_credit": False,
            "invoice_number": "AF100529",
            "invoiceid": 91210,
            "method": "Check",
        }
    ],
    "totals": [cad("500.00"), {"amount": "53.13", "code": "EUR"}],
}

AGING = {
    "company_name": "Demo",
    "currency_code": "USD",
    "end_date": "2024-03-31",
    "download_token": "t",
    "accounts": [
        {
            "userid": 31006,
            "fname": "Nicolas",
            "lname": "One",
            "organization": "First Company",
            "email": "first@company.com",
            "0-30": {"amount": "3830.00", "code": "USD"},
            "31-60": {"amount": "10.01", "code": "USD"},
            "61-90": {"amount": "0.00", "code": "USD"},
            "91+": {"amount": "5.50", "code": "USD"},
            "total": {"amount": "3845.51", "code": "USD"},
        }
    ],
    "totals": {
        "0-30": {"amount": "3830.00", "code": "USD"},
        "31-60": {"amount": "10.01", "code": "USD"},
        "61-90": {"amount": "0.00", "code": "USD"},
        "91+": {"amount": "5.50", "code": "USD"},
        "total": {"amount": "3845.51", "code": "USD"},
    },
}


def answer(key, report):
    return {"response": {"result": {key: report}}}


CASES = [
    pytest.param(
        "profit_loss",
        (JAN, MAR),
        {"cash_based": True, "resolution": "m", "currency_code": "CAD"},
        "profitloss_entity",
        "profitloss",
        PROFIT_LOSS,
        [
            ("start_date", "2024-01-01"),
            ("end_date", "2024-03-31"),
            ("currency_code", "CAD"),
            ("cash_based", "true"),
            ("resolution", "m"),
        ],
        id="profit_loss",
    ),
    pytest.param(
        "tax_summary",
        (JAN, MAR),
        {"cash_based": False},
        "taxsummary",
        "taxsummary",
        TAX_SUMMARY,
        [("start_date", "2024-01-01"), ("end_date", "2024-03-31"), ("cash_based", "false")],
        id="tax_summary",
    ),
    pytest.param(
        "payments_collected",
        (JAN, MAR),
        {"clientids": [12, 13], "payment_method": "Cash"},
        "payments_collected",
        "payments_collected",
        PAYMENTS,
        [
            ("start_date", "2024-01-01"),
            ("end_date", "2024-03-31"),
            ("clientids[]", "12"),
            ("clientids[]", "13"),
            ("payment_method", "Cash"),
        ],
        id="payments_collected",
    ),
    pytest.param(
        "accounts_aging",
        (MAR,),
        {},
        "accounts_aging",
        "accounts_aging",
        AGING,
        [("end_date", "2024-03-31")],
        id="accounts_aging",
    ),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "path", "key", "report", "params"), CASES)
def test_report_sends_bare_params_to_its_path(
    httpx2_mock, books, method, args, kwargs, path, key, report, params
):
    route = httpx2_mock.get(f"{BASE}/{path}").respond(json=answer(key, report))
    result = getattr(books.reports, method)(*args, **kwargs)
    sent = route.calls.last.request.url.params
    assert sent.multi_items() == params
    assert not any(name.startswith("search[") for name in sent)
    assert result.download_token == report["download_token"]


def test_profit_loss_totals_are_exact(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/profitloss_entity").respond(json=answer("profitloss", PROFIT_LOSS))
    pl = books.reports.profit_loss(JAN, MAR, resolution="m")
    assert pl.total_income.total == Money.of("1227.43", "CAD")
    assert pl.total_expenses.total.amount == Decimal("108.85")
    assert pl.net_profit.total.amount == Decimal("1118.58")
    assert pl.total_income.total.amount - pl.total_expenses.total.amount == Decimal("1118.58")
    assert pl.gross_margin.total.code == "%"
    assert [d.amount for d in pl.total_income.data] == [
        Decimal("0.00"),
        Decimal("1327.43"),
        Decimal("-100.00"),
    ]
    (sales,) = pl.income
    assert [c.description for c in sales.children] == ["Other Income", "Credit"]
    assert [(depth, e.description) for depth, e in sales.walk()] == [
        (0, "Sales"),
        (1, "Other Income"),
        (1, "Credit"),
    ]
    assert pl.dates[1].end_date == date(2024, 2, 29)
    assert pl.labels == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert pl.model_extra["cost_of_goods_sold"] == {"kept": True}


def test_tax_summary_and_payments_rows(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/taxsummary").respond(json=answer("taxsummary", TAX_SUMMARY))
    httpx2_mock.get(f"{BASE}/payments_collected").respond(
        json=answer("payments_collected", PAYMENTS)
    )
    (hst,) = books.reports.tax_summary(JAN, MAR).taxes
    assert hst.net_tax.amount == hst.tax_collected.amount - hst.tax_paid.amount
    payments = books.reports.payments_collected(JAN, MAR)
    assert payments.payments[0].date == date(2024, 2, 9)
    assert payments.payments[0].creditid is None
    assert [t.code for t in payments.totals] == ["CAD", "EUR"]


def test_aging_buckets_are_read(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/accounts_aging").respond(json=answer("accounts_aging", AGING))
    aging = books.reports.accounts_aging(MAR, start_date=JAN, currency_code="USD")
    (row,) = aging.accounts
    assert row.days_0_30.amount == Decimal("3830.00")
    assert row.days_31_60.amount == Decimal("10.01")
    assert row.days_61_90.amount == Decimal("0.00")
    assert row.days_91_plus.amount == Decimal("5.50")
    assert row.total.amount == sum(
        (b.amount for b in (row.days_0_30, row.days_31_60, row.days_61_90, row.days_91_plus)),
        Decimal(0),
    )
    assert row.display_name == "First Company"
    assert aging.totals.days_91_plus == Money.of("5.50", "USD")
    assert aging.end_date == date(2024, 3, 31)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.profit_loss(JAN, MAR),
        lambda r: r.tax_summary(JAN, MAR),
        lambda r: r.payments_collected(JAN, MAR),
        lambda r: r.accounts_aging(MAR),
    ],
)
def test_no_account_raises_without_any_request(httpx2_mock, fb, call):
    no_books = fb.business(
        Business(business_id=BUSINESS_ID, account_id=None, name="Time only", role="owner")
    )
    with pytest.raises(NoAccountingError):
        call(no_books.reports)
    assert httpx2_mock.calls.call_count == 0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("2024-01-01", MAR), TypeError),
        ((datetime(2024, 1, 1), MAR), TypeError),
        ((JAN, None), TypeError),
        ((MAR, JAN), ValueError),
    ],
)
def test_dates_are_required_date_objects_in_order(httpx2_mock, books, args, error):
    with pytest.raises(error):
        books.reports.profit_loss(*args)
    assert httpx2_mock.calls.call_count == 0


def test_missing_report_key_is_a_format_error(httpx2_mock, books):
    httpx2_mock.get(f"{BASE}/taxsummary").respond(json={"response": {"result": {}}})
    with pytest.raises(ResponseFormatError):
        books.reports.tax_summary(JAN, MAR)
