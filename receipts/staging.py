"""Receipts held between the drop and the Confirm, named by an id nobody can guess.

A confirm card carries arguments, not files: the chat and the page stage the dropped file here
and the write tool fetches it by id when the person confirms. Held in this process's memory,
bounded in count; an id from another process (or one evicted) is simply not found, and the
tool says to drop the file again.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from .files import ReceiptFile

__all__ = ["MAX_HELD", "held", "hold"]

MAX_HELD = 32  # at 10 MB a file at most, a bounded few hundred MB in the worst case
_lock = threading.Lock()
_held: OrderedDict[str, ReceiptFile] = OrderedDict()


def hold(receipt: ReceiptFile) -> str:
    """Keep ``receipt`` and return its id (the oldest held one goes beyond :data:`MAX_HELD`)."""
    key = "rcpt_" + secrets.token_urlsafe(16)
    with _lock:
        _held[key] = receipt
        while len(_held) > MAX_HELD:
            _held.popitem(last=False)
    return key


def held(key: str) -> ReceiptFile | None:
    """The receipt held under ``key``, or None."""
    with _lock:
        return _held.get(key)
