"""Carrying out a confirmed write, and taking one back: the same steps wherever the yes came from.

The chat (a Confirm click) and the MCP server (an accepted elicitation or a confirmation
token) both call :func:`carry_out`: the handler runs exactly once and is never retried; a
failure without a clear answer is followed by a look for what the write may have made
(:mod:`agent.recovery`); the outcome goes to the audit log. :func:`take_back` does the same
for an undo. Neither knows about conversations or transports.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .audit import AuditSink, Outcome
from .conversation import jsonable
from .describe import record_ids_of, result_summary
from .recovery import check_write, outcome_unknown, write_status
from .results import error_result
from .tool import Tool, ToolArgumentError, ToolContext

__all__ = ["WriteOutcome", "audit_entry", "carry_out", "invalid_arguments", "take_back"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteOutcome:
    """How a confirmed write (or an undo) ended, as the chat and the audit log tell it."""

    ok: bool
    # FreshBooks did not answer clearly: the change may have happened (see ``result``).
    unconfirmed: bool
    summary: str
    result: dict[str, Any]
    record_ids: dict[str, Any] = field(default_factory=dict)
    audit_id: int | None = None


def invalid_arguments(exc: ToolArgumentError) -> dict[str, Any]:
    """The result for arguments that did not validate: what to fix, for the model."""
    return {
        "error": "invalid_arguments",
        "details": exc.errors,
        "message": f"The arguments for {exc.tool} did not validate; fix them and call it again.",
    }


def audit_entry(
    audit: AuditSink,
    action: str,
    arguments: Mapping[str, Any],
    ids: Mapping[str, Any],
    outcome: Outcome,
    summary: str,
) -> tuple[int | None, str]:
    """Record in the audit log; a failing log never hides that the write happened."""
    try:
        entry = audit.record(
            action, jsonable(dict(arguments)), jsonable(dict(ids)), outcome, summary
        )
    except Exception:
        logger.exception("audit log write failed for %s", action)
        return None, f"{summary} (could not be written to the audit log)"
    return entry, summary


def _run_once(tool: Tool[Any], ctx: ToolContext, arguments: Mapping[str, Any]) -> dict[str, Any]:
    started = datetime.now(UTC)
    parsed: Any = None
    try:
        parsed = tool.parse(arguments)
        result = tool.handler(ctx, parsed)
    except ToolArgumentError as exc:
        return invalid_arguments(exc)
    except Exception as exc:
        logger.warning("write %s failed: %s", tool.name, type(exc).__name__)
        # No clear answer: the write may have happened. Look before anyone is offered a retry.
        if outcome_unknown(exc):
            return check_write(tool, ctx, parsed, started, exc)
        return error_result(exc)
    return result if isinstance(result, dict) else {"result": result}


def carry_out(
    tool: Tool[Any],
    ctx: ToolContext,
    arguments: Mapping[str, Any],
    *,
    title: str,
    audit: AuditSink,
) -> WriteOutcome:
    """Run a confirmed write once (never retried) and audit it; ``title`` is its card's."""
    result = _run_once(tool, ctx, arguments)
    ok = "error" not in result
    unsure = write_status(result) in ("maybe_done", "unknown")
    if ok:
        summary = f"Done: {title}"
    elif unsure:
        summary = f"Not confirmed: {result_summary(result)}"
    else:
        summary = f"Failed: {result_summary(result)}"
    ids = jsonable(record_ids_of(result))
    outcome: Outcome = "ok" if ok else "unconfirmed" if unsure else "error"
    audit_id, summary = audit_entry(audit, tool.name, arguments, ids, outcome, summary)
    return WriteOutcome(ok, unsure, summary, jsonable(result), ids, audit_id)


def take_back(
    tool: Tool[Any],
    ctx: ToolContext,
    done: Mapping[str, Any],
    *,
    title: str,
    audit_id: int | None,
    record_ids: Mapping[str, Any],
    audit: AuditSink,
) -> WriteOutcome:
    """Undo a confirmed write with its tool's ``undo`` (``done``: the write's result), audited
    as ``undo:<tool>`` naming the entry it takes back."""
    if tool.undo is None:
        raise ValueError(f"{tool.name} cannot be undone")
    try:
        result = tool.undo(ctx, dict(done))
        ok = "error" not in result
    except Exception as exc:
        logger.warning("undo of %s failed: %s", tool.name, type(exc).__name__)
        result, ok = error_result(exc), False
    ids = record_ids_of(result) or dict(record_ids)
    summary = f"Undone: {title}" if ok else f"Could not undo {title}: {result_summary(result)}"
    arguments = {"undo_of": tool.name, "audit_id": audit_id, "record_ids": dict(record_ids)}
    outcome: Outcome = "ok" if ok else "error"
    entry, summary = audit_entry(audit, f"undo:{tool.name}", arguments, ids, outcome, summary)
    return WriteOutcome(ok, False, summary, jsonable(result), jsonable(ids), entry)
