"""After a confirmed write failed without a clear answer: did it happen anyway?

FreshBooks has no idempotency keys, so a create whose answer timed out (or came back as a 5xx
after the record was saved: a gateway's 504) may have made the record. Retrying it blindly
could bill a client twice. Instead the loop asks the tool's ``find_created`` for a matching
record made just now and tells the user what it found:

- ``maybe_done``: a matching record exists; the user checks it (no retry is offered);
- ``not_done``: the app looked and nothing was made; trying again is safe (after a new Confirm);
- ``unknown``: the app could not look (FreshBooks still failing), or the write is not a create;
  the user checks FreshBooks before trying again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from fbclient import (
    APIError,
    NetworkError,
    ResponseFormatError,
    ServerError,
)

from .results import error_result
from .tool import FoundRecord, Tool, ToolContext

__all__ = [
    "MAX_FOUND",
    "NOTES",
    "WriteStatus",
    "check_write",
    "outcome_unknown",
    "write_status",
]

log = logging.getLogger(__name__)

WriteStatus = Literal["maybe_done", "not_done", "unknown"]
MAX_FOUND = 5  # a screenful of candidates is enough to recognise one's own record

NOTES: dict[WriteStatus, str] = {
    "maybe_done": (
        "FreshBooks did not confirm this change, but a matching record made just now exists "
        "(possibly_created): the change probably happened. Do not propose it again; show the "
        "user the record and ask them to check it."
    ),
    "not_done": (
        "FreshBooks did not confirm this change and the app found no matching record: nothing "
        "was created. Tell the user; you may offer to try again (they confirm again)."
    ),
    "unknown": (
        "It is not known whether this change happened. Do not propose it again until the user "
        "has checked FreshBooks; tell them so."
    ),
}


def outcome_unknown(exc: BaseException) -> bool:
    """Whether a failed write may still have happened at FreshBooks.

    No answer (timeout, dropped connection), a 5xx, an unreadable success answer, or an
    unclassified error inside an HTTP 200 leave the outcome open. Refusals (4xx, 429) mean
    FreshBooks did not make the change.
    """
    if isinstance(exc, NetworkError | ServerError | ResponseFormatError):
        return True
    return type(exc) is APIError and exc.status == 200


def write_status(result: Mapping[str, Any]) -> WriteStatus | None:
    """The status :func:`check_write` put in a failed write's result, if any."""
    status = result.get("write_status")
    return status if status in NOTES else None


def _found_text(found: list[FoundRecord]) -> str:
    return "; ".join(f"{f.text} (id {f.id})" for f in found)


def _ids(found: list[FoundRecord]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for record in found:
        ids.setdefault(record.kind, []).append(record.id)
    return ids


def check_write(
    tool: Tool[Any], ctx: ToolContext, args: Any, since: datetime, exc: BaseException
) -> dict[str, Any]:
    """The result of a write that failed with ``exc``, after looking for what it may have made.

    Call only when :func:`outcome_unknown` holds. ``since`` is when the write began.
    """
    base = error_result(exc)
    said = base["message"]
    if tool.find_created is None:
        return {
            **base,
            "write_status": "unknown",
            "message": f"{said} This change may or may not have happened: check in FreshBooks "
            "before trying again.",
            "note": NOTES["unknown"],
        }
    try:
        found = tool.find_created(ctx, args, since)[:MAX_FOUND]
    except Exception as check:  # FreshBooks still failing: say we could not look
        log.warning("looking for what %s made failed: %s", tool.name, type(check).__name__)
        return {
            **base,
            "write_status": "unknown",
            "message": f"{said} The app could not check whether it was created anyway: look "
            "in FreshBooks before trying again.",
            "note": NOTES["unknown"],
        }
    if found:
        return {
            **base,
            "write_status": "maybe_done",
            "possibly_created": [f.as_dict() for f in found],
            "record_ids": _ids(found),
            "message": f"{said} This may already have been created: {_found_text(found)}. "
            "Check it before trying again.",
            "note": NOTES["maybe_done"],
        }
    return {
        **base,
        "write_status": "not_done",
        "possibly_created": [],
        "message": f"{said} The app checked and nothing was created, so you can try again.",
        "note": NOTES["not_done"],
    }
