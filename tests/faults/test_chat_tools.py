"""The chat agent's read tools while FreshBooks fails: a sentence for the user and the model,
GETs retried, the turn finished, and the same question answered once the fault stops."""

from __future__ import annotations

import json
import re

import pytest

from agent.loop import Conversation, ToolFinished, TurnFinished
from fbclient import (
    NetworkError,
    RateLimitError,
    RequestTimeout,
    ResponseFormatError,
    RetryPolicy,
    ServerError,
)

from ..support.constants import FERNHILL, RATED_PROJECTS
from ..support.faulty_transport import KINDS
from ..support.records import partly_paid_invoice
from ..support.scripted_agent import REGISTRY, agent_with, strict_call
from ..support.turns import of_type, run

ATTEMPTS = RetryPolicy().max_attempts
RAW = re.compile(r"Traceback|[A-Z][a-z]+(Error|Exception|Timeout)\b|httpx|<html")
SAYS = {
    "rate_limit": RateLimitError("x").user_message,
    "json_500": ServerError("x").user_message,
    "html_502": ServerError("x").user_message,
    "text_503": ServerError("x").user_message,
    "html_504_after_write": ServerError("x").user_message,
    "timeout_before": RequestTimeout("x").user_message,
    "timeout_after": RequestTimeout("x").user_message,
    "connect_error": NetworkError("x").user_message,
    "non_json_200": ResponseFormatError("x").user_message,
    "error_in_200": "FreshBooks reported a problem: An unexpected error occurred.",
}


def read_arguments(books) -> dict[str, dict]:
    """Arguments that make every read tool ask FreshBooks something (ids from the sandbox)."""
    estimate = books.estimates.list_page(1, 1).items[0].id
    project = RATED_PROJECTS[20000005]
    return {
        "business_summary": {},
        "search_clients": {},
        "get_client": {"client_id": FERNHILL},
        "find_client": {"name": "Fernhill"},
        "search_invoices": {},
        "get_invoice": {"invoice_id": partly_paid_invoice(books, "GBP").id},
        "search_estimates": {},
        "get_estimate": {"estimate_id": estimate},
        "search_payments": {},
        "search_expenses": {},
        "list_expense_categories": {},
        "search_projects": {},
        "get_project": {"project_id": project},
        "find_project": {"name": "Landing pages"},
        "search_time_entries": {},
        "list_services": {},
        "list_team_members": {},
        "profit_and_loss": {},
        "accounts_aging": {},
        "payments_collected": {},
        "tax_summary": {},
        "overdue_reminders": {},
        "search_recurring_invoices": {},
        "cash_forecast": {},
        "running_timers": {},
    }


def ask(tool_ctx, name: str, arguments: dict) -> tuple[list, dict]:
    """One turn in which the model calls ``name`` once, then answers: (events, tool result)."""
    seen: list[dict] = []

    def answer(messages, tools):
        seen.append(json.loads(messages[-1]["content"]))
        return ["Here is what I found."]

    agent, _ = agent_with([[strict_call(name, "r1", **arguments)], answer])
    events = run(agent.send(Conversation(), tool_ctx, "What do my books say?"))
    return events, seen[0]


def test_every_read_tool_is_covered(tool_ctx):
    reads = {t.name for t in REGISTRY if not t.needs_approval}
    assert set(read_arguments(tool_ctx.books)) == reads


@pytest.mark.parametrize("name", sorted(t.name for t in REGISTRY if not t.needs_approval))
def test_a_read_tool_during_a_5xx_burst_then_after_it(tool_ctx, faults, name):
    arguments = read_arguments(tool_ctx.books)[name]
    faults.forget()
    faults.inject("html_502")  # every API request, until calm

    events, result = ask(tool_ctx, name, arguments)
    (finished,) = of_type(events, ToolFinished)
    assert not finished.ok
    assert finished.summary == SAYS["html_502"]  # the status line the chat shows
    assert result["message"] == SAYS["html_502"]  # what the model is told
    assert isinstance(events[-1], TurnFinished)  # the turn ends normally, with an answer
    assert {s.method for s in faults.seen} == {"GET"}
    assert set(faults.attempts_per_url().values()) == {ATTEMPTS}  # every GET retried

    faults.calm()
    events, result = ask(tool_ctx, name, arguments)
    (finished,) = of_type(events, ToolFinished)
    assert finished.ok, finished.summary
    assert "error" not in result


@pytest.mark.parametrize("kind", KINDS)
def test_each_fault_reaches_the_chat_as_a_sentence(tool_ctx, faults, kind):
    faults.inject(
        kind, path="/invoices/invoices", retry_after="2" if kind == "rate_limit" else None
    )
    events, result = ask(tool_ctx, "search_invoices", {})
    (finished,) = of_type(events, ToolFinished)
    assert not finished.ok
    assert finished.summary.startswith(SAYS[kind]), finished.summary
    assert not RAW.search(finished.summary)
    assert result["message"] == finished.summary
    assert len(faults.requests("GET", "/invoices/invoices")) == ATTEMPTS
    if kind == "rate_limit":
        assert faults.sleeps == [2.0] * (ATTEMPTS - 1)


def test_a_transient_fault_is_invisible_to_the_chat(tool_ctx, faults):
    faults.inject("text_503", per_url=2)
    events, result = ask(tool_ctx, "search_invoices", {"status": "overdue"})
    (finished,) = of_type(events, ToolFinished)
    assert finished.ok
    assert result["count"] > 0
    assert set(faults.attempts_per_url().values()) == {3}
