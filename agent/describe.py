"""Words for the UI: one status line per tool call (what was looked up) and its outcome."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["call_label", "record_ids_of", "result_summary"]

_MAX_VALUE = 40
_MAX_ARGS = 3


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def call_label(tool_name: str, arguments: Mapping[str, Any] | None = None) -> str:
    """``search_invoices`` + ``{"status": "overdue"}`` → ``Search invoices (status: overdue)``."""
    words = tool_name.replace("_", " ").strip().capitalize() or "Tool"
    shown = [
        f"{key.replace('_', ' ')}: {_short(value)}"
        for key, value in (arguments or {}).items()
        if value not in (None, "", [], {}) and not isinstance(value, Mapping)
    ]
    if not shown:
        return words
    more = " …" if len(shown) > _MAX_ARGS else ""
    return f"{words} ({'; '.join(shown[:_MAX_ARGS])}{more})"


def result_summary(result: Mapping[str, Any]) -> str:
    """A few words on what a tool returned: a count, an error sentence, or "done"."""
    if "error" in result:
        message = result.get("message") or str(result["error"]).replace("_", " ")
        return str(message)
    if isinstance(result.get("count"), int):
        count = result["count"]
        shown = len(result.get("rows") or [])
        if result.get("has_more") and shown:
            return f"{count} found, showing {shown}"
        return f"{count} found"
    if isinstance(result.get("rows"), list):
        return f"{len(result['rows'])} found"
    return "done"


def record_ids_of(result: Any, fallback_key: str = "id") -> dict[str, Any]:
    """The FreshBooks ids a write's result names, for the audit log.

    Write handlers should return ``record_ids`` (e.g. ``{"invoice": 123}``); failing that,
    top-level ``id`` / ``*_id`` fields and nested records' ``id`` are taken.
    """
    if not isinstance(result, Mapping):
        return {}
    explicit = result.get("record_ids")
    if isinstance(explicit, Mapping):
        return dict(explicit)
    ids: dict[str, Any] = {}
    for key, value in result.items():
        if isinstance(value, Mapping) and isinstance(value.get("id"), int | str):
            ids[str(key)] = value["id"]
        elif key == "id" and isinstance(value, int | str):
            ids[fallback_key] = value
        elif str(key).endswith("_id") and isinstance(value, int | str):
            ids[str(key)] = value
    return ids
