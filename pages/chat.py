"""Chat: ask about the books, and let the assistant propose changes you confirm."""

from __future__ import annotations

import streamlit as st

from agent.loop import Conversation
from agent.sources import sources_by_answer
from copilot.chat import ChatSession, open_chat
from copilot.receipts import chat_receipts
from ui import keys
from ui.chat import (
    SUGGESTIONS,
    cost_text,
    render_events,
    render_history,
    render_pending,
    render_sources,
)
from ui.context import current_context, get_runtime
from ui.errors import stop_on_error

runtime = get_runtime()
st.title("Chat")
with stop_on_error():  # FreshBooks failing before the chat opens: a sentence, no traceback
    ctx = current_context(runtime)
if ctx is None:
    st.info("Connect FreshBooks to chat about your books.")
    st.stop()

opened = open_chat(runtime, ctx, read_only=bool(st.session_state.get(keys.READ_ONLY, False)))
if opened is None:
    st.info(
        "The assistant needs a chat model. Set **OPENAI_API_KEY** (OpenAI), or **OPENAI_BASE_URL** "
        "for any OpenAI-compatible server (Ollama: `http://127.0.0.1:11434/v1`, vLLM, llama.cpp), "
        "in the environment or `.streamlit/secrets.toml`, then restart. Optionally set "
        "COPILOT_MODEL. The dashboards work without it."
    )
    st.stop()
# Typed once here: the callbacks below close over it, and mypy narrows no module global there.
chat: ChatSession = opened

# The conversation lives in the session between reruns, restored from the store once.
conversations: dict[str, dict] = st.session_state.setdefault(keys.CHAT, {})
if chat.account_key not in conversations:
    conversations[chat.account_key] = chat.restore().to_dict()
convo = Conversation.from_dict(conversations[chat.account_key])


def keep(outcome: dict | None = None) -> None:
    """Persist the conversation (session and store) and account for usage."""
    conversations[chat.account_key] = convo.to_dict()
    chat.save(convo, wrote=bool(outcome and outcome.get("wrote")))
    if outcome and outcome.get("usage") is not None:
        st.session_state[keys.CHAT_USAGE] = (outcome["usage"], outcome["cost"])


def decide(call_id: str, approve: bool, kept: list[str] | None = None) -> None:
    """A Confirm or Cancel click: run (or decline) the write, for the items kept, then let
    the turn go on."""
    outcome = render_events(chat.decide(convo, call_id, approve, kept))
    keep(outcome)
    # The rerun clears this run's messages: keep the outcome to show it again.
    st.session_state[keys.CHAT_NOTICES] = outcome["notices"]
    st.rerun()


with st.sidebar:
    if st.button("Clear chat", key="chat-clear"):
        chat.clear()
        conversations.pop(chat.account_key, None)
        st.rerun()
    if chat.read_only:
        st.caption("Read-only mode: the assistant cannot propose changes (Settings).")

if not convo.messages:
    st.caption(
        "Ask about your invoices, expenses, payments, time, clients or projects. For example:"
    )
    columns = st.columns(len(SUGGESTIONS))
    for column, suggestion in zip(columns, SUGGESTIONS, strict=True):
        if column.button(suggestion, key=f"suggest-{suggestion}"):
            st.session_state["chat-prefill"] = suggestion
            st.rerun()

render_history(convo)
for kind, text in st.session_state.pop(keys.CHAT_NOTICES, []):
    getattr(st, kind)(text)
render_pending(convo.awaiting, decide, can_write=ctx.business.can_write)
undoable = chat.undoable(convo)
if undoable:
    last = undoable[-1]
    if st.button(f"Undo: {last.proposal.title}", key=f"undo-{last.call_id}"):
        event = chat.undo(convo, last.call_id)
        ok = bool(getattr(event, "ok", False))
        (st.success if ok else st.error)(
            getattr(event, "summary", None) or getattr(event, "message", "")
        )
        keep({"wrote": ok})

# A new message while a card waits declines that card (the assistant is told). Receipts
# dropped with it are read here and handed to the assistant as their fields and ids.
said = st.chat_input(
    "Ask about your books, or drop receipts…",
    accept_file="multiple",
    file_type=["pdf", "png", "jpg", "jpeg"],
)
prompt = (said.text if said is not None else None) or None
if said is not None and said.files:
    with st.spinner("Reading the receipts…"):
        notes, problems = chat_receipts(runtime, ctx, [(f.name, f.getvalue()) for f in said.files])
    for problem in problems:
        st.warning(problem)
    if notes:
        prompt = "\n\n".join([prompt or "Record these receipts as expenses.", *notes])
prompt = prompt or st.session_state.pop("chat-prefill", None)
if prompt:
    with st.chat_message("user"):
        st.markdown(prompt)
    outcome = render_events(chat.send(convo, prompt))
    keep(outcome)
    if outcome["paused"]:
        st.rerun()
    answered = sources_by_answer(convo.messages).get(len(convo.messages) - 1)
    if answered:
        render_sources(answered, "live")

usage = st.session_state.get(keys.CHAT_USAGE)
if usage:
    turn, cost = usage
    st.caption(
        f"Last turn: {turn.total_tokens:,} tokens, est. cost {cost_text(cost)} · "
        f"this conversation: {convo.session_usage.total_tokens:,} tokens, "
        f"est. cost {cost_text(convo.session_cost)}"
    )
