"""The registry's contract: strict schemas, described fields, descriptions that agree with the
argument models, unique names, and a confirm card for every write."""

from __future__ import annotations

import re
import typing
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from agent.tools import all_tools, build_registry

TOOLS = all_tools()
IDS = [t.name for t in TOOLS]

EXPECTED = {
    "business_summary": "read",
    "search_clients": "read",
    "get_client": "read",
    "find_client": "read",
    "create_client": "write",
    "update_client": "write",
    "search_invoices": "read",
    "get_invoice": "read",
    "create_invoice": "write",
    "update_invoice": "write",
    "send_invoice_email": "send",
    "mark_invoice_sent": "send",
    "archive_invoice": "delete",
    "search_recurring_invoices": "read",
    "create_recurring_invoice": "write",
    "update_recurring_invoice": "write",
    "stop_recurring_invoice": "write",
    "search_estimates": "read",
    "get_estimate": "read",
    "create_estimate": "write",
    "update_estimate": "write",
    "send_estimate_email": "send",
    "convert_estimate_to_invoice": "write",
    "search_payments": "read",
    "record_payment": "write",
    "search_expenses": "read",
    "list_expense_categories": "read",
    "create_expense": "write",
    "update_expense": "write",
    "archive_expense": "delete",
    "search_projects": "read",
    "get_project": "read",
    "find_project": "read",
    "create_project": "write",
    "update_project": "write",
    "search_time_entries": "read",
    "log_time": "write",
    "running_timers": "read",
    "start_timer": "write",
    "pause_timer": "write",
    "resume_timer": "write",
    "stop_timer": "write",
    "fill_timesheet_gaps": "write",
    "update_time_entry": "write",
    "delete_time_entry": "delete",
    "list_services": "read",
    "list_team_members": "read",
    "profit_and_loss": "read",
    "accounts_aging": "read",
    "payments_collected": "read",
    "tax_summary": "read",
    "overdue_reminders": "read",
    "chase_invoices": "send",
    "cash_forecast": "read",
    "invoice_unbilled_time": "write",
    "create_expense_from_receipt": "write",
}
UNDOABLE_CREATES = {
    "create_client",
    "create_invoice",
    "create_estimate",
    "convert_estimate_to_invoice",
    "record_payment",
    "create_expense",
    "create_expense_from_receipt",
    "create_project",
    "log_time",
    "start_timer",
    "fill_timesheet_gaps",
    "invoice_unbilled_time",
}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The model and every model nested in its fields."""
    found = [model]
    for field in model.model_fields.values():
        for arg in _flatten(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in found:
                found += _models(arg)
    return found


def _flatten(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    return [annotation, *(a for arg in args for a in _flatten(arg))]


def _vocabulary(model: type[BaseModel]) -> set[str]:
    """Argument names and enum values a description of this model may mention."""
    words: set[str] = set()
    for sub in _models(model):
        words |= set(sub.model_fields)
        for field in sub.model_fields.values():
            for arg in _flatten(field.annotation):
                if typing.get_origin(arg) is Literal:
                    words |= {str(v) for v in typing.get_args(arg)}
    return words


def test_the_registry_holds_every_tool_with_its_permission():
    registry = build_registry()
    assert {t.name: t.permission for t in registry} == EXPECTED
    assert len(registry) == len(EXPECTED)


def test_names_are_unique_and_valid_function_names():
    assert len(IDS) == len(set(IDS))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{2,63}", name) for name in IDS)


@pytest.mark.parametrize("tool", TOOLS, ids=IDS)
def test_schema_is_strict(tool):
    schema = tool.schema()
    assert schema["type"] == "function"
    function = schema["function"]
    assert function["strict"] is True
    assert function["description"] == tool.description
    parameters = function["parameters"]
    objects = [parameters, *parameters.get("$defs", {}).values()]
    for obj in objects:
        assert obj["type"] == "object"
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])


@pytest.mark.parametrize("tool", TOOLS, ids=IDS)
def test_every_field_has_a_description(tool):
    for model in _models(tool.args):
        assert model.model_config.get("extra") == "forbid", model.__name__
        for name, field in model.model_fields.items():
            assert len(field.description or "") >= 8, f"{model.__name__}.{name}"


@pytest.mark.parametrize("tool", TOOLS, ids=IDS)
def test_descriptions_name_only_real_arguments(tool):
    """A snake_case word in a description must be an argument, an enum value or a tool."""
    allowed = _vocabulary(tool.args) | set(IDS)
    texts = [tool.description]
    for model in _models(tool.args):
        texts += [f.description or "" for f in model.model_fields.values()]
    unknown = {word for text in texts for word in SNAKE.findall(text)} - allowed
    assert not unknown, f"{tool.name} mentions {sorted(unknown)}"


def test_the_description_check_catches_a_drifted_description():
    tool = next(t for t in TOOLS if t.name == "search_invoices")
    allowed = _vocabulary(tool.args) | set(IDS)
    drifted = "Search invoices by customer_id or invoice_status."
    assert set(SNAKE.findall(drifted)) - allowed == {"customer_id", "invoice_status"}


@pytest.mark.parametrize("tool", TOOLS, ids=IDS)
def test_writes_propose_a_card_and_reads_do_not(tool):
    if tool.permission == "read":
        assert tool.propose is None
        assert tool.undo is None
        assert not tool.needs_approval
    else:
        assert tool.propose is not None
        assert tool.needs_approval
        assert "confirm" in tool.description.lower()


def test_creates_can_be_undone():
    undoable = {t.name for t in TOOLS if t.undo is not None}
    assert undoable >= UNDOABLE_CREATES


def test_read_only_mode_offers_only_reads():
    registry = build_registry()
    offered = {s["function"]["name"] for s in registry.schemas(read_only=True)}
    assert offered == {name for name, p in EXPECTED.items() if p == "read"}


@pytest.mark.parametrize("tool", TOOLS, ids=IDS)
def test_no_argument_names_an_account_or_business(tool):
    for model in _models(tool.args):
        assert not {"account_id", "business_id", "accountid", "business_uuid"} & set(
            model.model_fields
        )


def test_money_is_a_decimal_string_in_the_schema():
    tool = next(t for t in TOOLS if t.name == "record_payment")
    props = tool.schema()["function"]["parameters"]["properties"]
    assert props["amount"]["type"] == "string"
    assert "pattern" in props["amount"]
    assert props["currency_code"]["pattern"] == "^[A-Za-z]{3}$"


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


@pytest.mark.parametrize("tool", TOOLS, ids=IDS)
def test_schema_avoids_keywords_strict_mode_may_refuse(tool):
    """String lengths and defaults are checked by pydantic, not sent: strict mode can reject
    ``minLength``, ``maxLength`` and ``default``."""
    keys = set(_keys(tool.schema()["function"]["parameters"]))
    assert not keys & {"minLength", "maxLength", "default"}
