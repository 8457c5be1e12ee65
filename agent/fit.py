"""A tool result fitted to the characters the model's context leaves it.

Lists inside the result (rows) are shortened from the end first, so what reaches the model is
still well-formed JSON with its totals and counts, plus a note that rows were left out and how
to see them. Only when that is not enough is the result replaced by an error with a prefix of
its text.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["fit_result"]

CUT_NOTE = (
    "Only the first {kept} of {total} {key} fit in the model's context; narrow the query "
    "(a filter, a client, a shorter period) to see the others."
)


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def fit_result(result: dict[str, Any], limit: int) -> str:
    """``result`` (JSON types only) as compact JSON of at most ``limit`` characters."""
    text = _text(result)
    if len(text) <= limit:
        return text
    shortened = _shorten_lists(result, limit)
    if shortened is not None:
        return shortened
    error = {
        "error": "result_too_large",
        "message": "The result was too large for the model's context; ask for fewer rows or a "
        "narrower filter.",
        "partial": "",
    }
    room = max(0, limit - len(_text(error)) - 16)  # escapes may lengthen the prefix a little
    error["partial"] = text[: room // 2]
    return _text(error)


def _shorten_lists(result: dict[str, Any], limit: int) -> str | None:
    """Drop rows from the end of the result's top-level lists until it fits (None: cannot)."""
    lists = [k for k, v in result.items() if isinstance(v, list) and v]
    if not lists:
        return None
    out = dict(result)
    own = result.get("note")
    notes: list[str] = [own] if isinstance(own, str) and own else []
    for key in sorted(lists, key=lambda k: -len(_text(result[k]))):
        rows = result[key]
        low, high = 0, len(rows)  # the most rows that fit, by bisection
        while low < high:
            mid = (low + high + 1) // 2
            out[key] = rows[:mid]
            note = CUT_NOTE.format(kept=mid, total=len(rows), key=key)
            trial = out | {"note": " ".join([*notes, note])}
            if len(_text(trial)) <= limit:
                low = mid
            else:
                high = mid - 1
        out[key] = rows[:low]
        if low < len(rows):
            notes.append(CUT_NOTE.format(kept=low, total=len(rows), key=key))
        out["note"] = " ".join(notes)
        text = _text(out)
        if len(text) <= limit and low > 0:
            return text
    text = _text(out)
    return text if len(text) <= limit and any(out[k] for k in lists) else None
