"""Compact tool results: a screenful of rows, totals, counts and ``has_more``; money with currency.

The model reads results token by token: an unbounded list would be slow, costly and could
crowd out the conversation. Text from FreshBooks stays data: it is placed in fields, never
in instructions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from fbclient import FreshBooksError, Money

__all__ = ["MAX_ROWS", "error_result", "money", "rows_result"]

MAX_ROWS = 25


def money(value: Money | None) -> dict[str, str] | None:
    """Money for the model: the exact amount as text, and its currency."""
    if value is None:
        return None
    return {"amount": format(value.amount, "f"), "currency": value.code}


def rows_result(
    rows: Sequence[Mapping[str, Any]],
    *,
    total: int | None = None,
    limit: int = MAX_ROWS,
    totals: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """At most ``limit`` rows, with the full count and whether more exist."""
    count = total if total is not None else len(rows)
    result: dict[str, Any] = {
        "count": count,
        "rows": [dict(r) for r in rows[:limit]],
        "has_more": count > min(len(rows), limit),
    }
    if totals:
        result["totals"] = dict(totals)
    if note:
        result["note"] = note
    return result


def totals_by_currency(pairs: Iterable[tuple[str, Decimal]]) -> dict[str, str]:
    """Sum amounts per currency (never across currencies), as exact text."""
    sums: dict[str, Decimal] = {}
    for code, amount in pairs:
        sums[code] = sums.get(code, Decimal(0)) + amount
    return {code: format(total, "f") for code, total in sorted(sums.items())}


def error_result(exc: BaseException) -> dict[str, Any]:
    """A failure as a structured result the model can act on (never a traceback)."""
    if isinstance(exc, FreshBooksError):
        out: dict[str, Any] = {
            "error": type(exc).__name__,
            "message": exc.user_message,
            "status": exc.status,
        }
        fields = getattr(exc, "field_errors", None)
        if fields:
            out["fields"] = fields
        return out
    return {"error": type(exc).__name__, "message": str(exc) or "the operation failed"}


__all__ += ["totals_by_currency"]
