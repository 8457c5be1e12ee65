"""The tool schemas of every model request the tests make: each checked against the limit, the
largest reported at the end of the run (``tests/conftest.py``).

The scripted models (``FakeChatModel``, the fake OpenAI servers) call :func:`record` with the
``tools`` array of each request; the size is measured as the request body carries it,
``len(json.dumps(tools))``.
"""

from __future__ import annotations

import json
import threading
from typing import Any

__all__ = ["LIMIT", "largest", "record", "requests", "violations"]

LIMIT = 10_000

_lock = threading.Lock()
_state: dict[str, Any] = {"largest": 0, "requests": 0, "violations": []}


def record(tools: list[dict[str, Any]] | None, where: str) -> None:
    """Measure one request's tools; a request over :data:`LIMIT` fails here and at the end."""
    size = len(json.dumps(tools)) if tools else 0
    with _lock:
        _state["requests"] += 1
        _state["largest"] = max(_state["largest"], size)
        if size > LIMIT:
            _state["violations"].append(f"{where}: {size} characters of tool schemas")
    assert size <= LIMIT, f"{where} sent {size} characters of tool schemas (limit {LIMIT})"


def largest() -> int:
    """The largest tool schemas of one request so far, in characters."""
    return int(_state["largest"])


def requests() -> int:
    """How many model requests were measured."""
    return int(_state["requests"])


def violations() -> list[str]:
    """Requests over the limit (also failed where they happened)."""
    return list(_state["violations"])
