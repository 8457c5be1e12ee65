"""An answer's sources, read back from the conversation."""

from __future__ import annotations

import json

from agent.sources import sources_by_answer


def call(call_id: str, name: str, arguments: dict) -> dict:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }


def test_each_answer_gets_the_lookups_of_its_own_turn():
    rows = [
        {"id": 7, "number": "0007", "amount": {"amount": "120.00", "currency": "USD"}},
        {"id": 8, "number": "0008", "outstanding": {"amount": "5.00", "currency": "EUR"}},
    ]
    messages = [
        {"role": "user", "content": "overdue?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                call("a", "search_invoices", {"status": "overdue"}),
                call("f", "find_tools", {"task": "x"}),
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "a",
            "content": json.dumps({"count": 40, "rows": rows, "has_more": True}),
        },
        {"role": "tool", "tool_call_id": "f", "content": json.dumps({"found": []})},
        {"role": "assistant", "content": "Forty invoices."},
        {"role": "user", "content": "thanks"},
        {"role": "assistant", "content": "You're welcome."},
        {"role": "user", "content": "summary?"},
        {"role": "assistant", "content": None, "tool_calls": [call("b", "business_summary", {})]},
        {
            "role": "tool",
            "tool_call_id": "b",
            "content": json.dumps(
                {
                    "incomplete": ["time_entries"],
                    "top_debtors": [{"client_id": 3, "client": "Acme"}],
                }
            ),
        },
        {"role": "assistant", "content": "All fine."},
    ]
    found = sources_by_answer(messages)
    assert set(found) == {4, 10}  # the small-talk answer has none
    (search,) = found[4]  # find_tools is how the model looked, not a source
    assert search.label == "Search invoices (status: overdue)"
    assert [(r.kind, r.id, r.label, r.amount) for r in search.records] == [
        ("invoice", "7", "0007", "120.00 USD"),
        ("invoice", "8", "0008", "5.00 EUR"),
    ]
    assert search.count == 40
    assert search.cut_short is not None
    assert "2 of 40" in search.cut_short
    (summary,) = found[10]
    assert [(r.kind, r.id) for r in summary.records] == [("client", "3")]
    assert "time entries" in (summary.cut_short or "")


def test_a_failed_lookup_says_why_and_odd_content_does_not_break_it():
    messages = [
        {"role": "user", "content": "x"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                call("a", "get_invoice", {"invoice_id": 1}),
                call("b", "get_client", {}),
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "a",
            "content": json.dumps({"error": "NotFoundError", "message": "No such invoice."}),
        },
        {"role": "tool", "tool_call_id": "b", "content": "not json"},
        {"role": "assistant", "content": "Sorry."},
    ]
    (failed, odd) = sources_by_answer(messages)[4]
    assert failed.error == "No such invoice."
    assert odd.records == []
