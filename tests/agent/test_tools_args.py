"""Invalid arguments from the model fail in ``Tool.parse`` with a ToolArgumentError naming the
field, before any request; valid ones come out typed (Decimal, date, upper-case currency)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from agent.tool import ToolArgumentError
from agent.tools import build_registry

REGISTRY = build_registry()

PAYMENT = {
    "invoice_id": 21000198,
    "amount": "120.50",
    "currency_code": "usd",
    "payment_date": "2026-11-20",
    "method": "Check",
    "note": None,
}
LINE = {
    "name": "Design",
    "description": None,
    "quantity": "2.5",
    "unit_cost": "150",
    "tax_name": None,
    "tax_percent": None,
}
INVOICE = {
    "client_id": 20000001,
    "currency_code": None,
    "lines": [LINE],
    "create_date": None,
    "due_offset_days": None,
    "notes": None,
    "po_number": None,
}
TIME = {
    "hours": "2.5",
    "work_date": None,
    "day": "yesterday",
    "project_id": 30000009,
    "client_id": None,
    "service_id": None,
    "note": "Sketches",
    "billable": None,
}
SEARCH = {
    "client_id": None,
    "status": None,
    "number": None,
    "period": "last_month",
    "start_date": None,
    "end_date": None,
}


def _parse(name: str, arguments: Any) -> Any:
    tool = REGISTRY.get(name)
    assert tool is not None
    return tool.parse(arguments)


def test_valid_arguments_are_typed():
    args = _parse("record_payment", json.dumps(PAYMENT))
    assert args.amount == Decimal("120.50")
    assert args.currency_code == "USD"
    assert args.payment_date == date(2026, 11, 20)
    invoice = _parse("create_invoice", INVOICE)
    assert invoice.lines[0].quantity == Decimal("2.5")
    assert _parse("log_time", TIME).day == "yesterday"


@pytest.mark.parametrize(
    ("name", "arguments", "field"),
    [
        ("record_payment", {**PAYMENT, "account_id": "x"}, "account_id"),
        ("record_payment", {**PAYMENT, "amount": "-5"}, "amount"),
        ("record_payment", {**PAYMENT, "amount": "0"}, "amount"),
        ("record_payment", {**PAYMENT, "amount": "12.345"}, "amount"),
        ("record_payment", {**PAYMENT, "amount": "twelve"}, "amount"),
        ("record_payment", {**PAYMENT, "currency_code": "US"}, "currency_code"),
        ("record_payment", {**PAYMENT, "currency_code": "dollars"}, "currency_code"),
        ("record_payment", {**PAYMENT, "payment_date": "2026-02-30"}, "payment_date"),
        ("record_payment", {**PAYMENT, "payment_date": "next friday"}, "payment_date"),
        ("record_payment", {**PAYMENT, "method": "Stripe"}, "method"),
        ("record_payment", {**PAYMENT, "invoice_id": -1}, "invoice_id"),
        ("record_payment", {k: v for k, v in PAYMENT.items() if k != "amount"}, "amount"),
        ("create_invoice", {**INVOICE, "lines": []}, "lines"),
        ("create_invoice", {**INVOICE, "lines": [{**LINE, "quantity": "-1"}]}, "lines.0.quantity"),
        ("create_invoice", {**INVOICE, "lines": [{**LINE, "extra": 1}]}, "lines.0.extra"),
        ("create_invoice", {**INVOICE, "lines": [{**LINE, "tax_name": "HST"}]}, "lines.0"),
        ("log_time", {**TIME, "hours": "25"}, "hours"),
        ("log_time", {**TIME, "day": "tomorrow"}, "day"),
        ("log_time", {**TIME, "work_date": "2026-11-20"}, ""),  # work_date and day
        ("log_time", {**TIME, "project_id": None}, ""),  # neither project nor client
        ("search_invoices", {**SEARCH, "start_date": "2026-01-01"}, ""),  # period and dates
        ("search_invoices", {**SEARCH, "period": "last_fortnight"}, "period"),
        ("search_invoices", {**SEARCH, "status": "late"}, "status"),
        (
            "search_invoices",
            {**SEARCH, "period": None, "start_date": "2026-02-01", "end_date": "2026-01-01"},
            "",
        ),
        ("create_expense", {"amount": "1"}, "currency_code"),
        ("find_client", {"name": "   "}, "name"),
        ("find_client", {"name": "x" * 300}, "name"),
        ("send_invoice_email", {"invoice_id": 1, "recipients": ["not-an-email"]}, "recipients.0"),
    ],
)
def test_invalid_arguments_raise_tool_argument_errors(name, arguments, field):
    tool = REGISTRY.get(name)
    assert tool is not None
    with pytest.raises(ToolArgumentError) as caught:
        tool.parse(arguments)
    error = caught.value
    assert error.tool == name
    assert error.errors
    assert any(e.get("field", "") == field for e in error.errors), error.errors


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "null"])
def test_arguments_that_are_not_an_object(raw):
    with pytest.raises(ToolArgumentError):
        _parse("get_invoice", raw)


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("update_client", {"client_id": 5}, "at least one field"),
        ("update_invoice", {"invoice_id": 5}, "at least one field"),
        ("update_expense", {"expense_id": 5}, "at least one field"),
        ("update_project", {"project_id": 5}, "at least one field"),
        ("update_time_entry", {"entry_id": 5}, "at least one field"),
        ("create_client", {}, "organization, a first or last name, or an email"),
        ("create_project", {"title": "X", "project_type": "fixed_price"}, "fixed_price"),
    ],
)
def test_business_rules_of_the_arguments(name, arguments, message):
    tool = REGISTRY.get(name)
    assert tool is not None
    full = dict.fromkeys(tool.args.model_fields) | arguments
    with pytest.raises(ToolArgumentError) as caught:
        tool.parse(full)
    assert message in json.dumps(caught.value.errors)
