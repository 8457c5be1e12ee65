"""The app's one token estimate: characters of the JSON sent, divided by three, rounded up.

Tokenizers differ between models and nothing here may call one, so the estimate errs high:
English prose runs about four characters per token and JSON about three, so ``chars / 3``
over the JSON actually sent (default ``json.dumps``, non-ASCII escaped) rarely counts low.
Every budget of the chat (history, tools, results) and the overflow check use it.
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["CHARS_PER_TOKEN", "estimate_tokens", "payload_len"]

CHARS_PER_TOKEN = 3


def payload_len(payload: Any) -> int:
    """Length of ``payload``: a string as is, anything else as default ``json.dumps``."""
    if isinstance(payload, str):
        return len(payload)
    return len(json.dumps(payload))


def estimate_tokens(payload: Any) -> int:
    """Conservative tokens for ``payload`` (a string, or anything JSON-serializable)."""
    return math.ceil(payload_len(payload) / CHARS_PER_TOKEN)
