"""Answering a tool call: reads at once, writes only after the person's yes.

A write is validated, then its confirm card is built (the tool's ``propose``, as in the chat).
Where the client can ask the person (elicitation), the server asks with that preview and acts
only on accept. Where it cannot, the call answers with the preview and a single-use
confirmation token (:mod:`mcp_server.confirmations`); only a second call carrying it, with the
same arguments, acts. The change itself is :func:`agent.writes.carry_out`: once, never retried,
recovered when FreshBooks did not answer clearly, audited in the app's log.

Results are bounded as in the chat and FreshBooks' text is data; failures are tool errors
carrying the sentence the app shows.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

import anyio.to_thread

from agent.conversation import jsonable
from agent.loop import DECLINED
from agent.results import error_result
from agent.tool import ProposedChange, Tool, ToolArgumentError, ToolRegistry
from agent.writes import WriteOutcome, carry_out, invalid_arguments, take_back
from copilot.books import expire_books
from copilot.context import AppContext
from fbclient import FreshBooksError
from fbclient.scopes import explain_missing
from store.audit import find_entry, was_undone

from .catalogue import CHOOSE_BUSINESS, CONFIRMATION_TOKEN, LIST_BUSINESSES, UNDO_CHANGE
from .confirmations import Confirmations
from .desk import Desk, NotConnected
from .preview import preview_text
from .results import Answer, error_answer, ok_answer

__all__ = ["Ask", "Decision", "ToolCalls"]

logger = logging.getLogger(__name__)

Decision = Literal["accept", "decline", "cancel"]
# Asks the person through the client; None when the client cannot ask (no elicitation).
Ask = Callable[[str], Awaitable[Decision | None]]

TOKEN_REFUSED = (
    "This confirmation token does not allow this call: a token works once, for the same tool "
    "with exactly the same arguments, within 5 minutes. Nothing was changed. Call the tool "
    "again without a token to get a new preview."
)
CONFIRM_NOTE = (
    "Nothing was changed. Show the person this preview and ask them. Only if they say yes, "
    "call {tool} again with exactly the same arguments and confirmation_token. The token "
    "works once and expires at {expires}."
)


class ToolCalls:
    """The server's answer to each ``tools/call``."""

    def __init__(self, registry: ToolRegistry, confirmations: Confirmations) -> None:
        self.registry = registry
        self.confirmations = confirmations

    async def call(
        self, desk: Desk, name: str, arguments: Mapping[str, Any] | None, ask: Ask
    ) -> Answer:
        """Answer one call (never raises for a tool's own failure: that is a tool error)."""
        args = dict(arguments or {})
        try:
            ctx = await anyio.to_thread.run_sync(desk.context)
            if name == LIST_BUSINESSES:
                return ok_answer(await anyio.to_thread.run_sync(desk.businesses))
            if name == CHOOSE_BUSINESS:
                return await self._choose(desk, args)
            if name == UNDO_CHANGE:
                return await self._undo(desk, ctx, args, ask)
            return await self._registry_call(desk, ctx, name, args, ask)
        except NotConnected as exc:
            return error_answer({"error": "not_connected", "message": exc.user_message})
        except FreshBooksError as exc:
            return error_answer(error_result(exc))

    async def _choose(self, desk: Desk, args: dict[str, Any]) -> Answer:
        business_id = args.get("business_id")
        if not isinstance(business_id, int) or set(args) - {"business_id"}:
            return error_answer(
                {"error": "invalid_arguments", "message": "Give one business_id (a number)."}
            )
        try:
            return ok_answer(await anyio.to_thread.run_sync(desk.choose, business_id))
        except ValueError as exc:
            return error_answer(error_result(exc))

    async def _registry_call(
        self, desk: Desk, ctx: AppContext, name: str, args: dict[str, Any], ask: Ask
    ) -> Answer:
        tool = self.registry.get(name)
        if tool is None:
            return error_answer(
                {"error": "unknown_tool", "message": f"There is no tool named {name!r}."}
            )
        offered = {t.name for t in desk.tools(self.registry, ctx)}
        if name not in offered:
            return error_answer(self._refusal(desk, ctx, tool))
        token = args.pop(CONFIRMATION_TOKEN, None) if tool.needs_approval else None
        try:
            parsed = tool.parse(args)
        except ToolArgumentError as exc:
            return error_answer(invalid_arguments(exc))
        if not tool.needs_approval:
            return await anyio.to_thread.run_sync(self._read, desk, ctx, tool, parsed)
        canonical = jsonable(parsed.model_dump(mode="json"))
        scope = (desk.owner, ctx.account_key)
        if token is not None:
            agreed = self.confirmations.redeem(str(token), scope, name, canonical)
            if agreed is None:
                return error_answer({"error": "confirmation_refused", "message": TOKEN_REFUSED})
            return await self._write(desk, ctx, tool, canonical, agreed)
        proposal = await self._propose(desk, ctx, tool, parsed)
        if isinstance(proposal, dict):
            return error_answer(proposal)
        decision = await ask(preview_text(proposal, ctx.business.name))
        if decision is None:
            return self._needs_confirmation(scope, name, canonical, proposal)
        if decision != "accept":
            return ok_answer({"outcome": "declined", "message": DECLINED})
        return await self._write(desk, ctx, tool, canonical, proposal)

    def _refusal(self, desk: Desk, ctx: AppContext, tool: Tool[Any]) -> dict[str, Any]:
        missing = ctx.fb.grant().missing(tool.scopes)
        if missing:
            return {"error": "missing_scope", "message": explain_missing(missing)}
        if desk.read_only:
            return {
                "error": "read_only",
                "message": "This server runs read-only (--read-only): nothing can be changed.",
            }
        return {
            "error": "read_only",
            "message": "Your role in this business cannot make changes; nothing was changed.",
        }

    def _read(self, desk: Desk, ctx: AppContext, tool: Tool[Any], parsed: Any) -> Answer:
        try:
            result = tool.handler(desk.tool_context(ctx), parsed)
        except Exception as exc:
            logger.info("tool %s failed: %s", tool.name, type(exc).__name__)
            return error_answer(error_result(exc))
        result = result if isinstance(result, dict) else {"result": result}
        if "error" in result:
            return error_answer(result)
        return ok_answer(result)

    async def _propose(
        self, desk: Desk, ctx: AppContext, tool: Tool[Any], parsed: Any
    ) -> ProposedChange | dict[str, Any]:
        assert tool.propose is not None  # Tool guarantees it for writes
        propose = tool.propose

        def build() -> ProposedChange | dict[str, Any]:
            try:
                return propose(desk.tool_context(ctx), parsed)
            except Exception as exc:
                logger.info("proposal for %s failed: %s", tool.name, type(exc).__name__)
                return error_result(exc)

        return await anyio.to_thread.run_sync(build)

    def _needs_confirmation(
        self,
        scope: tuple[str, str],
        name: str,
        canonical: dict[str, Any],
        proposal: ProposedChange,
    ) -> Answer:
        token, expires = self.confirmations.issue(scope, name, canonical, proposal)
        when = expires.isoformat(timespec="seconds")
        return ok_answer(
            {
                "outcome": "needs_confirmation",
                "preview": proposal.as_dict(),
                CONFIRMATION_TOKEN: token,
                "expires_at": when,
                "message": CONFIRM_NOTE.format(tool=name, expires=when),
            }
        )

    async def _write(
        self,
        desk: Desk,
        ctx: AppContext,
        tool: Tool[Any],
        arguments: dict[str, Any],
        proposal: ProposedChange,
    ) -> Answer:
        def run() -> WriteOutcome:
            try:
                return carry_out(
                    tool,
                    desk.tool_context(ctx),
                    # A card of items (emails to send) acts on exactly the items it showed.
                    proposal.keeping(arguments, None),
                    title=proposal.title,
                    audit=desk.audit(ctx),
                )
            finally:
                expire_books(desk.runtime, ctx)  # the next read asks FreshBooks what changed

        done = await anyio.to_thread.run_sync(run)
        return _outcome_answer(done, undoable=tool.undo is not None)

    async def _undo(self, desk: Desk, ctx: AppContext, args: dict[str, Any], ask: Ask) -> Answer:
        if not desk.writes_allowed(ctx):
            return error_answer(
                {"error": "read_only", "message": "Changes are switched off: nothing was changed."}
            )
        token = args.pop(CONFIRMATION_TOKEN, None)
        audit_id = args.get("audit_id")
        if not isinstance(audit_id, int) or set(args) - {"audit_id"}:
            return error_answer(
                {"error": "invalid_arguments", "message": "Give one audit_id (a number)."}
            )
        found = await anyio.to_thread.run_sync(self._undoable, desk, ctx, audit_id)
        if isinstance(found, str):
            return error_answer({"error": "cannot_undo", "message": found})
        tool, entry = found
        proposal = ProposedChange(
            title=f"Undo: {entry['message'].removeprefix('Done: ')}",
            fields=[(kind, ", ".join(map(str, ids))) for kind, ids in entry["records"].items()],
        )
        scope = (desk.owner, ctx.account_key)
        canonical = {"audit_id": audit_id}
        if token is not None:
            if self.confirmations.redeem(str(token), scope, UNDO_CHANGE, canonical) is None:
                return error_answer({"error": "confirmation_refused", "message": TOKEN_REFUSED})
        else:
            decision = await ask(preview_text(proposal, ctx.business.name))
            if decision is None:
                return self._needs_confirmation(scope, UNDO_CHANGE, canonical, proposal)
            if decision != "accept":
                return ok_answer({"outcome": "declined", "message": DECLINED})

        def run() -> WriteOutcome:
            try:
                return take_back(
                    tool,
                    desk.tool_context(ctx),
                    {"record_ids": entry["records"]},
                    title=proposal.title.removeprefix("Undo: "),
                    audit_id=audit_id,
                    record_ids=entry["records"],
                    audit=desk.audit(ctx),
                )
            finally:
                expire_books(desk.runtime, ctx)

        return _outcome_answer(await anyio.to_thread.run_sync(run), undoable=False)

    def _undoable(
        self, desk: Desk, ctx: AppContext, audit_id: int
    ) -> tuple[Tool[Any], dict[str, Any]] | str:
        """The tool and audit entry an undo takes back, or why it cannot."""
        sessions = desk.runtime.sessions
        entry = find_entry(sessions, desk.owner, ctx.account_key, audit_id)
        if entry is None or entry["channel"] != "mcp":
            return f"No change {audit_id} made through MCP in this business."
        tool = self.registry.get(entry["action"])
        if tool is None or tool.undo is None:
            return f"Change {audit_id} ({entry['action']}) cannot be undone from here."
        if entry["outcome"] != "ok":
            return f"Change {audit_id} did not complete, so there is nothing to undo."
        if was_undone(sessions, desk.owner, ctx.account_key, audit_id):
            return f"Change {audit_id} was already undone."
        return tool, entry


def _outcome_answer(done: WriteOutcome, *, undoable: bool) -> Answer:
    """A write's (or an undo's) result: what happened, its audit id, and FreshBooks' answer."""
    outcome = "done" if done.ok else "unconfirmed" if done.unconfirmed else "failed"
    body: dict[str, Any] = {
        "outcome": outcome,
        "summary": done.summary,
        "audit_id": done.audit_id,
        "record_ids": done.record_ids,
    }
    if done.ok:
        body["result"] = done.result
        if undoable and done.audit_id is not None:
            body["undo"] = f"undo_change with audit_id {done.audit_id} takes this back."
        return ok_answer(body)
    note = done.result.get("note") or "Tell the person what failed."
    return error_answer(
        {**done.result, **body, "note": f"The write was not retried. {note}"},
    )
