"""The agent loop: model → tools → model … until an answer, the step bound, or a click is needed.

Reads run at once (the calls of one model response side by side, in a bounded thread pool).
Writes never run from the model's call: they are validated, turned into a
:class:`~agent.tool.ProposedChange` card and the turn pauses with :class:`ApprovalNeeded`.
:meth:`Agent.decide` applies the user's Confirm (the handler runs once, never retried, and is
audited) or Cancel, and resumes the turn once every write of that response is decided. A write
that fails without a clear answer (timeout, 5xx) may have happened anyway: the loop looks for
the record a create may have made (:mod:`agent.recovery`) before anyone is offered a retry.

Every failure of a tool goes back to the model as a structured result so it can recover; a
failure of the model itself ends the turn with :class:`AgentError`. The loop yields its own
events rather than the raw stream because ``st.write_stream`` drops tool-call deltas.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from decimal import Decimal
from typing import Any

from agent.results import error_result
from agent.tool import Tool, ToolArgumentError, ToolContext, ToolRegistry
from fbclient.scopes import Grant, explain_missing

from .audit import AuditSink
from .budget import HISTORY_CHARS, MAX_RESULT_CHARS, ContextBudget
from .conversation import Conversation, PendingWrite, jsonable
from .describe import call_label, record_ids_of, result_summary
from .events import (
    AgentError,
    AgentEvent,
    ApprovalNeeded,
    PromptCut,
    ToolFinished,
    ToolStarted,
    TurnFinished,
    UndoDone,
    WriteCancelled,
    WriteDone,
)
from .fit import fit_result
from .model import ChatModel, ModelError, TextDelta, ToolCall, Usage
from .pricing import DEFAULT_PRICES, ModelPrice, estimate_cost
from .prompts import business_currencies, system_prompt
from .recovery import write_status
from .tokens import estimate_tokens
from .toolset import FIND_TOOLS, Toolset, scopes_note
from .window import fit_history, left_out_note
from .writes import WriteOutcome, carry_out, invalid_arguments, take_back

__all__ = [
    "Agent",
    "AgentError",
    "AgentEvent",
    "ApprovalNeeded",
    "Conversation",
    "PendingWrite",
    "PromptCut",
    "TextDelta",
    "ToolFinished",
    "ToolStarted",
    "TurnFinished",
    "UndoDone",
    "WriteCancelled",
    "WriteDone",
]

logger = logging.getLogger(__name__)

__all__ += ["HISTORY_CHARS", "MAX_RESULT_CHARS"]  # the bounds at the largest context
# The server read less than this share of the prompt the app sent: it cut the prompt.
CUT_RATIO = 0.5
CUT_MIN_TOKENS = 1_500  # below this a prompt fits any server: no check (and no false alarm)
NOTE_TOKENS = 40  # room kept in the system prompt for the "messages left out" line
DECLINED = "The user declined this change. Nothing was changed in FreshBooks."
SUPERSEDED = (
    "The user sent a new message instead of confirming this change. Nothing was changed in "
    "FreshBooks."
)
INTERRUPTED = "This call was interrupted before it finished; it did not run."


def _tool_message(
    call_id: str, result: Mapping[str, Any], limit: int = MAX_RESULT_CHARS
) -> dict[str, Any]:
    """A tool message with the result as compact JSON, cut to ``limit`` characters."""
    return {"role": "tool", "tool_call_id": call_id, "content": fit_result(jsonable(result), limit)}


def cut_message(read: int, sent: int, context: int) -> str:
    """What the user is told when the model server cut the prompt."""
    return (
        f"The model server cut the prompt: it read about {read:,} of the ~{sent:,} tokens sent, "
        "so the model lost its tools and instructions. Nothing was run. Give the server a "
        "larger context: for Ollama, start it with `OLLAMA_CONTEXT_LENGTH=16384 ollama serve` "
        "or add `PARAMETER num_ctx 16384` to the model's Modelfile. Or set "
        f"COPILOT_MODEL_CONTEXT to the server's real context size (now {context:,} tokens)."
    )


def _assistant_message(text: str, calls: Sequence[ToolCall]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": text or None,
        "tool_calls": [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments},
            }
            for c in calls
        ],
    }


class Agent:
    """Runs turns of a :class:`Conversation` against a model and a tool registry."""

    def __init__(
        self,
        model: ChatModel,
        registry: ToolRegistry,
        *,
        audit: AuditSink,
        max_steps: int = 8,
        read_only: bool = False,
        pricing: Mapping[str, ModelPrice] = DEFAULT_PRICES,
        max_parallel: int = 4,
        currencies: Sequence[str] | None = None,
        prompt: Callable[[ToolContext], str] | None = None,
        context_tokens: int | None = None,
        grant: Grant | None = None,
    ) -> None:
        if max_steps < 1:
            raise ValueError("max_steps must be at least 1")
        self.model = model
        self.registry = registry
        self.audit = audit
        self.max_steps = max_steps
        self.read_only = read_only
        self.pricing = pricing
        self.max_parallel = max(1, max_parallel)
        self.currencies = currencies
        self._prompt = prompt
        self.budget = ContextBudget(context_tokens) if context_tokens else ContextBudget()
        self._toolset: Toolset | None = None
        # The connection's OAuth scopes: tools needing others are neither offered nor run.
        self.grant = grant

    # -- public API -------------------------------------------------------------------------

    def send(self, convo: Conversation, ctx: ToolContext, text: str) -> Iterator[AgentEvent]:
        """Add the user's message and run the turn (see the module docstring)."""
        text = text.strip()
        if not text:
            return
        self._supersede(convo)
        _repair(convo)
        self._flush_notes(convo)
        convo.messages.append({"role": "user", "content": text})
        convo.tools = self.toolset.preload(convo.tools, text)
        convo.turn_usage = {"prompt_tokens": 0, "completion_tokens": 0}
        yield from self._guarded(convo, self._run(convo, ctx))

    def decide(
        self,
        convo: Conversation,
        ctx: ToolContext,
        call_id: str,
        approve: bool,
        keep: Sequence[str] | None = None,
    ) -> Iterator[AgentEvent]:
        """Apply Confirm (``approve=True``) or Cancel to a pending write, then resume the turn.

        For a card listing items (emails to send), ``keep`` names the ones the person kept
        (None: all); the write runs for exactly those, and with none kept it is cancelled. A
        write that is no longer pending (already decided: a double click, a stale card) is
        refused with :class:`AgentError`; it never runs twice.
        """
        pending = next((p for p in convo.awaiting if p.call_id == call_id), None)
        if pending is None:
            yield AgentError("This change is no longer waiting for a decision.")
            return
        proposal = pending.proposal
        kept = [k for k, _ in proposal.items if keep is None or k in keep]
        if approve and proposal.items and not kept:
            yield self._cancel(convo, pending, "The user left every item out. Nothing was sent.")
        elif approve:
            pending.arguments = proposal.keeping(pending.arguments, keep)
            yield self._execute(convo, ctx, pending)
        else:
            yield self._cancel(convo, pending)
        if convo.awaiting:
            yield ApprovalNeeded(convo.awaiting)
            return
        convo.settle()
        yield from self._guarded(convo, self._run(convo, ctx))

    def can_undo(self, write: PendingWrite | None) -> bool:
        """Whether ``write`` is a confirmed, successful write whose tool can take it back."""
        if write is None or write.decision != "confirmed" or not write.ok or write.undone:
            return False
        tool = self.registry.get(write.tool)
        return tool is not None and tool.undo is not None and write.result is not None

    def undo(self, convo: Conversation, ctx: ToolContext, call_id: str) -> UndoDone | AgentError:
        """Take back a confirmed create (where its tool can), audited like any write."""
        write = convo.find_write(call_id)
        if not self.can_undo(write):
            return AgentError("This change cannot be undone from here.")
        assert write is not None  # for type checkers: can_undo checked it
        if self.read_only:
            return AgentError("Read-only mode is on: nothing can be changed.")
        tool = self.registry.get(write.tool)
        assert tool is not None
        assert tool.undo is not None
        write.undone = True  # before running: a second click must not undo twice
        title = write.proposal.title
        done = take_back(
            tool,
            ctx,
            write.result or {},
            title=title,
            audit_id=write.audit_id,
            record_ids=write.record_ids,
            audit=self.audit,
        )
        ok, summary, ids = done.ok, done.summary, done.record_ids
        write.undone = ok
        if ok:
            convo.notes.append(f"(The user undid this change: {title}.)")
            if not convo.awaiting:
                self._flush_notes(convo)
        return UndoDone(call_id, tool.name, ok, summary, ids)

    @property
    def toolset(self) -> Toolset:
        """The tools this agent may offer and the choice per request (built when first used)."""
        if self._toolset is None:
            self._toolset = Toolset(
                self.registry,
                read_only=self.read_only,
                budget_chars=self.budget.tool_chars,
                grant=self.grant,
            )
        return self._toolset

    def tool_schemas(self, convo: Conversation | None = None) -> list[dict[str, Any]]:
        """The ``tools`` the next request of ``convo`` carries (writes left out in read-only
        mode; a new conversation when ``convo`` is None)."""
        return self.toolset.offered(convo.tools if convo is not None else ())

    # -- the turn ---------------------------------------------------------------------------

    def _guarded(self, convo: Conversation, events: Iterator[AgentEvent]) -> Iterator[AgentEvent]:
        """A bug in the loop or a tool still ends the turn with a sentence, not a traceback."""
        try:
            yield from events
        except Exception:
            logger.exception("agent turn failed")
            _repair(convo)
            yield AgentError("Something went wrong in the assistant. Please try again.")

    def _run(self, convo: Conversation, ctx: ToolContext) -> Iterator[AgentEvent]:
        prompt = self._system_prompt(ctx)
        for _step in range(self.max_steps):
            texts: list[str] = []
            calls: list[ToolCall] = []
            usage = Usage()
            tools = self.tool_schemas(convo)
            messages = self._request(convo, prompt, tools)
            sent = estimate_tokens(messages) + estimate_tokens(tools)
            try:
                for event in self.model.stream(messages, tools):
                    if isinstance(event, TextDelta):
                        texts.append(event.text)
                        yield event
                    elif isinstance(event, ToolCall):
                        calls.append(event)
                    elif isinstance(event, Usage):
                        usage = usage + event
            except ModelError as exc:
                self._add_usage(convo, usage)
                yield AgentError(exc.message)
                return
            self._add_usage(convo, usage)
            if _was_cut(usage, sent):
                # A model that lost its tools and rules: none of its calls may run.
                logger.warning(
                    "the model server read %s of ~%s prompt tokens", usage.prompt_tokens, sent
                )
                message = cut_message(usage.prompt_tokens, sent, self.budget.tokens)
                yield PromptCut(message, read=usage.prompt_tokens, sent=sent)
                return
            answer = "".join(texts)
            if not calls:
                if not answer.strip():
                    yield AgentError("The model returned an empty answer. Please try again.")
                    return
                convo.messages.append({"role": "assistant", "content": answer})
                yield self._finished(convo)
                return
            calls = _unique_ids(calls, convo)
            convo.messages.append(_assistant_message(answer, calls))
            pending = yield from self._handle_calls(convo, ctx, calls)
            if pending:
                convo.pending = pending
                yield ApprovalNeeded(list(pending))
                return
        stop = (
            f"I stopped after {self.max_steps} steps without a final answer. Ask me to "
            "continue, or narrow the question."
        )
        convo.messages.append({"role": "assistant", "content": stop})
        yield TextDelta(stop)
        yield self._finished(convo)

    def _handle_calls(
        self, convo: Conversation, ctx: ToolContext, calls: Sequence[ToolCall]
    ) -> Generator[AgentEvent, None, list[PendingWrite]]:
        """Answer every call of one response; the generator returns the new pending writes."""
        results: dict[str, dict[str, Any]] = {}
        reads: list[tuple[ToolCall, Tool[Any], Any]] = []
        pending: list[PendingWrite] = []
        for call in calls:
            tool = self.toolset.get(call.name)
            args = _loose_args(call.arguments)
            label = call_label(call.name, args)
            known = self.registry.get(call.name)
            if tool is None and known is not None and known.needs_approval and self.read_only:
                tool = known  # answered below with the read-only sentence
            withheld = self.toolset.withheld.get(call.name)
            if tool is None and withheld:
                results[call.id] = {
                    "error": "missing_scope",
                    "message": explain_missing(withheld),
                    "note": "Nothing was read or changed. Tell the user this sentence.",
                }
            elif tool is None:
                results[call.id] = {
                    "error": "unknown_tool",
                    "message": f"There is no tool named {call.name!r}; use one of the tools "
                    "offered, or find_tools.",
                }
            elif tool.needs_approval and self.read_only:
                results[call.id] = {
                    "error": "read_only",
                    "message": "Changes are switched off (read-only mode in Settings); "
                    "nothing was changed.",
                }
            else:
                try:
                    parsed = tool.parse(call.arguments)
                except ToolArgumentError as exc:
                    results[call.id] = invalid_arguments(exc)
                else:
                    if not tool.needs_approval:
                        reads.append((call, tool, parsed))
                        continue
                    write = self._propose(ctx, call, tool, parsed, args)
                    if isinstance(write, PendingWrite):
                        yield ToolStarted(call.id, call.name, label)
                        yield ToolFinished(
                            call.id,
                            call.name,
                            True,
                            f"Waiting for your confirmation: {write.proposal.title}",
                        )
                        pending.append(write)
                        continue
                    results[call.id] = write
            yield ToolStarted(call.id, call.name, label)
            yield ToolFinished(call.id, call.name, False, result_summary(results[call.id]))
        yield from self._run_reads(ctx, reads, results)
        self._load_tools(convo, calls, results)
        for call in calls:
            if call.id in results:
                convo.messages.append(self._tool_message(call.id, results[call.id]))
        return pending

    def _load_tools(
        self, convo: Conversation, calls: Sequence[ToolCall], results: Mapping[str, Any]
    ) -> None:
        """The tools find_tools found, and those the model called, go with the next requests."""
        names: list[str] = []
        for call in calls:
            if call.name == FIND_TOOLS and isinstance(results.get(call.id), dict):
                names += Toolset.found_names(results[call.id])
            elif self.toolset.get(call.name) is not None:
                names.append(call.name)
        if names:
            convo.tools = self.toolset.load(convo.tools, names)

    def _tool_message(self, call_id: str, result: Mapping[str, Any]) -> dict[str, Any]:
        return _tool_message(call_id, result, self.budget.result_chars)

    def _request(
        self, convo: Conversation, prompt: str, tools: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """System prompt and the history that fits the context next to it and the tools."""
        room = self.budget.history_tokens(
            estimate_tokens({"role": "system", "content": prompt}) + NOTE_TOKENS,
            estimate_tokens(tools),
        )
        awaiting = {p.call_id for p in convo.awaiting}
        history, left_out = fit_history(convo.messages, room, awaiting)
        if left_out:
            prompt = f"{prompt}\n\n{left_out_note(left_out)}"
        return [{"role": "system", "content": prompt}, *history]

    def _run_reads(
        self,
        ctx: ToolContext,
        reads: Sequence[tuple[ToolCall, Tool[Any], Any]],
        results: dict[str, dict[str, Any]],
    ) -> Iterator[AgentEvent]:
        """Run the read calls of one response side by side; statuses as each ends."""
        if not reads:
            return
        for call, _tool, _parsed in reads:
            yield ToolStarted(
                call.id, call.name, call_label(call.name, _loose_args(call.arguments))
            )
        workers = min(self.max_parallel, len(reads))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="agent-tool") as pool:
            futures = {
                pool.submit(_run_read, tool, ctx, parsed): call for call, tool, parsed in reads
            }
            for future in as_completed(futures):
                call = futures[future]
                result = future.result()
                results[call.id] = result
                yield ToolFinished(
                    call.id, call.name, "error" not in result, result_summary(result)
                )

    def _propose(
        self,
        ctx: ToolContext,
        call: ToolCall,
        tool: Tool[Any],
        parsed: Any,
        args: dict[str, Any],
    ) -> PendingWrite | dict[str, Any]:
        """The confirm card for a write, or the error result when it cannot be prepared."""
        assert tool.propose is not None  # Tool guarantees it for writes
        try:
            proposal = tool.propose(ctx, parsed)
        except Exception as exc:
            logger.info("proposal for %s failed: %s", tool.name, type(exc).__name__)
            return error_result(exc)
        return PendingWrite(call.id, tool.name, args, proposal)

    def _execute(self, convo: Conversation, ctx: ToolContext, write: PendingWrite) -> WriteDone:
        """Run a confirmed write exactly once, audit it, and hand the result to the model."""
        write.decision = "confirmed"  # first: whatever happens next, it never runs again
        tool = self.registry.get(write.tool)
        if self.read_only:
            result: dict[str, Any] = {
                "error": "read_only",
                "message": "Read-only mode is on: nothing was changed.",
            }
            return self._record(convo, write, result)
        if tool is None or not tool.needs_approval:
            return self._record(
                convo,
                write,
                {"error": "unknown_tool", "message": f"{write.tool} is not available."},
            )
        done = carry_out(tool, ctx, write.arguments, title=write.proposal.title, audit=self.audit)
        write.audit_id = done.audit_id
        return self._record(convo, write, done.result, done)

    def _record(
        self,
        convo: Conversation,
        write: PendingWrite,
        result: dict[str, Any],
        done: WriteOutcome | None = None,
    ) -> WriteDone:
        """Keep what happened on the card and tell the model; ``done`` is None when the write
        was refused before it could run (not audited)."""
        ok = "error" not in result
        unsure = write_status(result) in ("maybe_done", "unknown")
        summary = done.summary if done is not None else f"Failed: {result_summary(result)}"
        write.record_ids = jsonable(record_ids_of(result))
        write.ok, write.summary, write.result = ok, summary, jsonable(result)
        if ok:
            message: dict[str, Any] = {"outcome": "done", "result": result}
        else:
            note = result.get("note") or "Tell the user what failed."
            message = {
                "outcome": "unconfirmed" if unsure else "failed",
                **result,
                "note": f"The write was not retried. {note}",
            }
        convo.messages.append(self._tool_message(write.call_id, message))
        return WriteDone(
            write.call_id, write.tool, ok, summary, dict(write.record_ids), unconfirmed=unsure
        )

    def _cancel(
        self, convo: Conversation, write: PendingWrite, reason: str = DECLINED
    ) -> WriteCancelled:
        write.decision = "cancelled"
        write.summary = f"Cancelled: {write.proposal.title}"
        convo.messages.append(
            self._tool_message(write.call_id, {"outcome": "declined", "message": reason})
        )
        return WriteCancelled(write.call_id, write.tool, write.summary)

    def _supersede(self, convo: Conversation) -> None:
        """A new message while cards wait means "no": they are cancelled, the model is told."""
        for write in convo.awaiting:
            self._cancel(convo, write, SUPERSEDED)
        convo.settle()

    # -- bookkeeping ------------------------------------------------------------------------

    def _system_prompt(self, ctx: ToolContext) -> str:
        if self._prompt is not None:
            return self._prompt(ctx)
        currencies = self.currencies if self.currencies is not None else business_currencies(ctx)
        prompt = system_prompt(ctx, currencies=currencies, read_only=self.read_only)
        return prompt + scopes_note(self.toolset.withheld)

    def _cost(self, usage: Usage) -> Decimal | None:
        if getattr(self.model, "local", False):
            return None
        return estimate_cost(self.model.name, usage, self.pricing)

    def _add_usage(self, convo: Conversation, usage: Usage) -> None:
        if not usage.total_tokens:
            return
        for bucket in (convo.usage, convo.turn_usage):
            bucket["prompt_tokens"] += usage.prompt_tokens
            bucket["completion_tokens"] += usage.completion_tokens
        cost = self._cost(usage)
        total = convo.usage.get("cost_usd")
        convo.usage["cost_usd"] = (
            None if cost is None or total is None else format(Decimal(total) + cost, "f")
        )

    def _finished(self, convo: Conversation) -> TurnFinished:
        usage = Usage(convo.turn_usage["prompt_tokens"], convo.turn_usage["completion_tokens"])
        return TurnFinished(usage, self._cost(usage))

    def _flush_notes(self, convo: Conversation) -> None:
        if convo.notes and not convo.awaiting:
            convo.messages.append({"role": "assistant", "content": "\n".join(convo.notes)})
            convo.notes = []


def _run_read(tool: Tool[Any], ctx: ToolContext, parsed: Any) -> dict[str, Any]:
    """One read tool call; every failure becomes a structured result (it runs in a worker)."""
    try:
        result = tool.handler(ctx, parsed)
    except Exception as exc:
        logger.info("tool %s failed: %s", tool.name, type(exc).__name__)
        return error_result(exc)
    return result if isinstance(result, dict) else {"result": result}


def _unique_ids(calls: Sequence[ToolCall], convo: Conversation) -> list[ToolCall]:
    """Calls with ids unique in the conversation (some servers repeat or omit them)."""
    used = {c.get("id") for m in convo.messages for c in m.get("tool_calls") or []}
    out = []
    for n, call in enumerate(calls):
        call_id = call.id
        while call_id in used:
            call_id = f"{call.id}_{len(used)}_{n}"
        used.add(call_id)
        out.append(call if call_id == call.id else ToolCall(call_id, call.name, call.arguments))
    return out


def _loose_args(arguments: str) -> dict[str, Any]:
    """The model's arguments as a dict for labels and cards (``{}`` if not JSON)."""
    try:
        data = json.loads(arguments) if arguments else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _was_cut(usage: Usage, sent: int) -> bool:
    """Whether the server read far fewer prompt tokens than were sent (it cut the front)."""
    read = usage.prompt_tokens
    return sent >= CUT_MIN_TOKENS and 0 < read < sent * CUT_RATIO


def _repair(convo: Conversation) -> None:
    """Answer tool calls left without a result (a turn cut short), so the history stays valid."""
    waiting = {p.call_id for p in convo.awaiting}
    answered = {m.get("tool_call_id") for m in convo.messages if m.get("role") == "tool"}
    fixed: list[dict[str, Any]] = []
    missing: list[str] = []
    for message in convo.messages:
        if missing and message.get("role") != "tool":
            fixed += [
                _tool_message(i, {"error": "interrupted", "message": INTERRUPTED}) for i in missing
            ]
            missing = []
        fixed.append(message)
        if message.get("role") == "assistant":
            ids = [c.get("id") for c in message.get("tool_calls") or []]
            missing = [i for i in ids if i not in answered and i not in waiting]
    fixed += [_tool_message(i, {"error": "interrupted", "message": INTERRUPTED}) for i in missing]
    convo.messages[:] = fixed
