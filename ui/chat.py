"""Rendering the chat: past messages, live tool statuses, streamed text, confirm cards.

The loop yields its own events (text deltas, tool statuses, approvals): ``st.write_stream``
would drop tool-call deltas, so text is streamed into a placeholder by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import streamlit as st

from agent.loop import (
    AgentError,
    ApprovalNeeded,
    Conversation,
    PendingWrite,
    PromptCut,
    ToolFinished,
    ToolStarted,
    TurnFinished,
    UndoDone,
    WriteCancelled,
    WriteDone,
)
from agent.model import TextDelta
from agent.sources import Source, sources_by_answer

__all__ = ["render_events", "render_history", "render_pending", "render_sources"]

SUGGESTIONS = (
    "Who owes me money?",
    "What is overdue, and by how much?",
    "How much unbilled time do I have?",
    "How did my expenses this quarter compare with last year?",
)


def _tool_label(message: dict[str, Any]) -> str:
    try:
        body = json.loads(message.get("content") or "{}")
    except ValueError:
        return "looked something up"
    if isinstance(body, dict) and body.get("error"):
        return f"could not complete: {body.get('message') or body['error']}"
    if isinstance(body, dict) and "count" in body:
        return f"found {body['count']} record(s)"
    return "done"


def render_sources(sources: list[Source], key: str) -> None:
    """Under an answer: the tool calls behind it and the records each read."""
    read = sum(len(s.records) for s in sources)
    with st.expander(f"Sources: {len(sources)} lookup(s), {read} record(s) read", icon="🔍"):
        for n, source in enumerate(sources):
            count = f" · {source.count} found" if source.count is not None else ""
            st.markdown(f"**{source.label}**{count}")
            if source.error:
                st.caption(f"Could not complete: {source.error}")
            if source.cut_short:
                st.warning(f"Not the whole picture: {source.cut_short}.", icon="✂️")
            if source.records:
                st.dataframe(
                    [
                        {
                            "Kind": r.kind,
                            "FreshBooks id": r.id,
                            "Record": r.label,
                            "Amount": r.amount,
                        }
                        for r in source.records
                    ],
                    hide_index=True,
                    width="stretch",
                    key=f"sources-{key}-{n}",
                )


def render_history(convo: Conversation) -> None:
    """Every past message: user and assistant text, one line per tool call, and under each
    answer the sources it was drawn from."""
    names: dict[str, str] = {}
    sources = sources_by_answer(convo.messages)
    for index, message in enumerate(convo.messages):
        role = message.get("role")
        if role == "user":
            with st.chat_message("user"):
                st.markdown(message.get("content") or "")
        elif role == "assistant":
            for call in message.get("tool_calls") or []:
                names[call["id"]] = call["function"]["name"]
            if message.get("content"):
                with st.chat_message("assistant"):
                    st.markdown(message["content"])
                    if index in sources:
                        render_sources(sources[index], str(index))
        elif role == "tool":
            name = names.get(message.get("tool_call_id", ""), "tool")
            st.caption(f"🔎 {name.replace('_', ' ')}: {_tool_label(message)}")


def render_pending(
    pending: list[PendingWrite],
    on_decide: Callable[[str, bool, list[str] | None], None],
    *,
    can_write: bool,
) -> None:
    """One card per proposed change, with Confirm and Cancel (state lives in the conversation)."""
    for write in pending:
        if write.decision is not None:
            continue
        proposal = write.proposal
        with st.container(border=True, key=f"card-{write.call_id}"):
            st.markdown(f"**Proposed change: {proposal.title}**")
            rows = [{"Field": label, "Value": value} for label, value in proposal.fields]
            if proposal.client and not any(r["Field"] == "Client" for r in rows):
                rows.insert(0, {"Field": "Client", "Value": proposal.client})
            if rows:
                st.table(rows, hide_index=True)
            kept: list[str] | None = None
            if proposal.items:
                st.caption("Untick any you want to leave out.")
                kept = [
                    key
                    for key, label in proposal.items
                    if st.checkbox(label, value=True, key=f"keep-{write.call_id}-{key}")
                ]
            if proposal.amounts:
                st.markdown("Amounts: " + ", ".join(f"**{a}**" for a in proposal.amounts))
            for warning in proposal.warnings:
                st.warning(warning)
            if not can_write:
                st.info("Your role in this business cannot make this change.")
            confirm, cancel, _ = st.columns([1, 1, 4])
            if confirm.button(
                "Confirm", key=f"confirm-{write.call_id}", type="primary", disabled=not can_write
            ):
                on_decide(write.call_id, True, kept)
            if cancel.button("Cancel", key=f"cancel-{write.call_id}"):
                on_decide(write.call_id, False, None)


def render_events(events: Iterable[Any]) -> dict[str, Any]:
    """Show a live turn; returns what happened (usage, cost, whether a write ran or paused)."""
    outcome: dict[str, Any] = {
        "paused": False,
        "wrote": False,
        "usage": None,
        "cost": None,
        "notices": [],  # (kind, text) worth showing again after a rerun
    }
    text = ""
    with st.chat_message("assistant"):
        statuses: dict[str, Any] = {}
        placeholder = st.empty()
        for event in events:
            if isinstance(event, TextDelta):
                text += event.text
                placeholder.markdown(text + "▌")
            elif isinstance(event, ToolStarted):
                statuses[event.call_id] = st.status(event.label, state="running")
            elif isinstance(event, ToolFinished):
                status = statuses.get(event.call_id)
                if status is not None:
                    status.update(
                        label=f"{status_label(event)}", state="complete" if event.ok else "error"
                    )
            elif isinstance(event, WriteDone | UndoDone):
                # An unconfirmed write may have changed the books: the dashboards re-read too.
                unconfirmed = isinstance(event, WriteDone) and event.unconfirmed
                outcome["wrote"] = outcome["wrote"] or event.ok or unconfirmed
                kind = "success" if event.ok else "warning" if unconfirmed else "error"
                getattr(st, kind)(event.summary)
                outcome["notices"].append((kind, event.summary))
            elif isinstance(event, WriteCancelled):
                st.info(event.summary)
                outcome["notices"].append(("info", event.summary))
            elif isinstance(event, ApprovalNeeded):
                outcome["paused"] = True
            elif isinstance(event, PromptCut):
                # Not a failure of the app: the server's context is smaller than configured.
                st.warning(event.message)
                outcome["notices"].append(("warning", event.message))
            elif isinstance(event, AgentError):
                st.error(event.message)
                outcome["notices"].append(("error", event.message))
            elif isinstance(event, TurnFinished):
                outcome["usage"], outcome["cost"] = event.usage, event.cost_usd
        placeholder.markdown(text)
    return outcome


def status_label(event: ToolFinished) -> str:
    """The status line of a finished tool call."""
    return event.summary or event.name.replace("_", " ")


def cost_text(cost: Decimal | None) -> str:
    """An estimated cost, or "unknown" for local or unlisted models."""
    return "unknown" if cost is None else f"${cost:.4f}"


__all__ += ["SUGGESTIONS", "cost_text"]
