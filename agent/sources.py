"""Where an answer's figures came from: the tool calls of its turn and the records they read.

Read back from the conversation itself (the assistant's tool calls and the tool results the
model saw), so a saved chat shows its sources as well as a live one. A result that was a first
page of more (``has_more``), drawn from lists the app had to cut short (``incomplete``), or cut
to fit the model (``partial``) says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .describe import call_label

__all__ = ["Record", "Source", "sources_by_answer"]

MAX_RECORDS = 50  # per call, shown under an answer
# What a row's "id" names, from the words of the tool's name.
KINDS = (
    "invoice",
    "estimate",
    "client",
    "payment",
    "expense",
    "project",
    "time",
    "service",
    "team",
    "profile",
)
LABEL_KEYS = ("number", "name", "title", "client", "vendor", "date")


@dataclass(frozen=True)
class Record:
    """One record a tool read: its kind, FreshBooks id, how a person recognises it, money."""

    kind: str
    id: str
    label: str
    amount: str = ""


@dataclass(frozen=True)
class Source:
    """One tool call behind an answer."""

    tool: str
    label: str
    records: list[Record] = field(default_factory=list)
    count: int | None = None  # matches in all, when the tool said
    cut_short: str | None = None  # why the figures may not cover everything
    error: str | None = None


def _kind(tool: str) -> str:
    words = tool.split("_")
    for kind in KINDS:
        if any(w.startswith(kind) for w in words):
            return "time entry" if kind == "time" else kind
    return "record"


def _money(value: Any) -> str:
    if isinstance(value, Mapping) and "amount" in value:
        return f"{value['amount']} {value.get('currency') or ''}".strip()
    return ""


def _record(row: Mapping[str, Any], kind: str) -> Record | None:
    if "id" not in row:
        return None
    label = next((str(row[k]) for k in LABEL_KEYS if row.get(k)), "")
    amount = _money(row.get("outstanding")) or _money(row.get("amount"))
    return Record(kind, str(row["id"]), label, amount)


def _records(result: Mapping[str, Any], kind: str) -> list[Record]:
    found: list[Record] = []
    rows = result.get("rows")
    if isinstance(rows, list):
        found += [r for r in (_record(x, kind) for x in rows if isinstance(x, Mapping)) if r]
    for key, value in result.items():  # a single record: {"invoice": {...}}
        if isinstance(value, Mapping) and key in KINDS:
            record = _record(value, key)
            if record is not None:
                found.append(record)
    for row in result.get("top_debtors") or []:
        if isinstance(row, Mapping) and row.get("client_id"):
            found.append(Record("client", str(row["client_id"]), str(row.get("client") or "")))
    return found[:MAX_RECORDS]


def _cut_short(result: Mapping[str, Any], shown: int) -> str | None:
    notes = []
    if result.get("has_more"):
        notes.append(f"a first page: {shown} of {result.get('count', 'more')} shown to the model")
    if result.get("incomplete"):
        names = ", ".join(str(n).replace("_", " ") for n in result["incomplete"])
        notes.append(f"drawn from lists that were cut short ({names})")
    if result.get("error") == "result_too_large" or result.get("partial"):
        notes.append("the result was cut to fit the model")
    return "; ".join(notes) or None


def _source(name: str, arguments: Mapping[str, Any], content: str | None) -> Source:
    try:
        result = json.loads(content or "{}")
    except ValueError:
        result = {}
    if not isinstance(result, Mapping):
        return Source(name, call_label(name, arguments))
    inner = result.get("result") if result.get("outcome") == "done" else None
    body: Mapping[str, Any] = inner if isinstance(inner, Mapping) else result
    records = _records(body, _kind(name))
    count = body.get("count") if isinstance(body.get("count"), int) else None
    error = None
    if "error" in body or result.get("outcome") in ("failed", "declined"):
        error = str(body.get("message") or body.get("error") or result.get("outcome"))
    return Source(
        name,
        call_label(name, arguments),
        records,
        count,
        _cut_short(body, len(body.get("rows") or [])),
        error,
    )


def _arguments(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def sources_by_answer(messages: Sequence[Mapping[str, Any]]) -> dict[int, list[Source]]:
    """For each assistant answer (by its index in ``messages``), the tool calls of its turn
    (since the user's message before it) and what they read. Answers without tool calls are
    left out."""
    out: dict[int, list[Source]] = {}
    calls: dict[str, tuple[str, dict[str, Any]]] = {}
    turn: list[Source] = []
    for index, message in enumerate(messages):
        role = message.get("role")
        if role == "user":
            turn = []
        elif role == "assistant":
            for call in message.get("tool_calls") or []:
                function = call.get("function") or {}
                calls[str(call.get("id"))] = (
                    str(function.get("name") or "tool"),
                    _arguments(str(function.get("arguments") or "")),
                )
            if message.get("content") and not message.get("tool_calls") and turn:
                out[index] = list(turn)
        elif role == "tool":
            name, arguments = calls.get(str(message.get("tool_call_id")), ("tool", {}))
            if name != "find_tools":
                turn.append(_source(name, arguments, message.get("content")))
    return out
