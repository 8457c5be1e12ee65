"""A chat about one business: the agent with its tools and audit, what the tools may read,
and the conversation saved for the owner. The chat page renders it; nothing here draws."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent import model as chat_models
from agent.audit import StoreAudit
from agent.history import ChatHistory
from agent.loop import Agent, AgentError, AgentEvent, Conversation, PendingWrite, UndoDone
from agent.tool import ToolContext
from agent.tools import build_registry
from store.audit import emails_sent
from store.timers import TimerStore

from .books import expire_books, load_books
from .context import AppContext, today_for
from .runtime import Runtime

if TYPE_CHECKING:  # annotations only: the figures' modules load when a tool asks for them
    from fbclient.snapshot import Snapshot
    from insights.forecast import Backtest, Forecast
    from insights.frames import Frames
    from insights.kpis import CurrencyOverview

    from .cache import FramesCache
    from .context import OwnerKey

__all__ = ["ChatSession", "KeptFigures", "open_chat", "tool_context"]


@dataclass
class ChatSession:
    """One owner's chat about one business, for one page run."""

    runtime: Runtime
    ctx: AppContext
    agent: Agent
    tools: ToolContext
    history: ChatHistory
    # The owner's own setting; the agent is also read-only where their role cannot write.
    read_only: bool

    @property
    def account_key(self) -> str:
        """Which business account the conversation and its audit entries belong to."""
        return self.ctx.account_key

    def restore(self) -> Conversation:
        """The owner's saved conversation about this business, or a new one."""
        return self.history.load() or Conversation()

    def save(self, convo: Conversation, *, wrote: bool = False) -> None:
        """Keep ``convo`` for the owner; after a write, have the books re-read."""
        self.history.save(convo)
        if wrote:
            expire_books(self.runtime, self.ctx)

    def clear(self) -> None:
        """Forget the saved conversation."""
        self.history.clear()

    def send(self, convo: Conversation, text: str) -> Iterator[AgentEvent]:
        """Run a turn for the user's message (see ``Agent.send``)."""
        return self.agent.send(convo, self.tools, text)

    def decide(
        self, convo: Conversation, call_id: str, approve: bool, keep: list[str] | None = None
    ) -> Iterator[AgentEvent]:
        """Confirm (keeping only ``keep`` of a card's items, when given) or cancel a proposed
        change, then let the turn go on."""
        return self.agent.decide(convo, self.tools, call_id, approve, keep)

    def undoable(self, convo: Conversation) -> list[PendingWrite]:
        """The confirmed changes that can still be taken back, oldest first."""
        return [write for write in convo.done if self.agent.can_undo(write)]

    def undo(self, convo: Conversation, call_id: str) -> UndoDone | AgentError:
        """Take back a confirmed change (see ``Agent.undo``)."""
        return self.agent.undo(convo, self.tools, call_id)


@dataclass(frozen=True)
class KeptFigures:
    """The figures the pages keep for one owner and business, for the agent's tools (see
    :class:`agent.tool.Figures`)."""

    cache: FramesCache
    whose: OwnerKey

    def forecast(self, snapshot: Snapshot, frames: Frames) -> Forecast:
        """The Forecast page's forecast."""
        from .forecasting import business_forecast

        return business_forecast(self.cache, self.whose, snapshot, frames)

    def backtest(self, snapshot: Snapshot, frames: Frames, currency: str) -> Backtest:
        """The Forecast page's backtest in ``currency``."""
        from .forecasting import business_backtest

        return business_backtest(self.cache, self.whose, snapshot, frames, currency)

    def overview(self, snapshot: Snapshot, frames: Frames) -> list[CurrencyOverview]:
        """The Overview page's headlines per currency."""
        from .overview import business_overview

        return business_overview(self.cache, self.whose, snapshot, frames).per_currency


def tool_context(runtime: Runtime, ctx: AppContext) -> ToolContext:
    """What the agent's tools may use for ``ctx``'s business: its client, the business's
    clock, the local mirror the dashboards read (synced when due) and the owner's timers."""
    return ToolContext(
        books=ctx.books,
        business=ctx.business,
        now=today_for(ctx),
        snapshot=lambda: load_books(runtime, ctx).snapshot,
        held=lambda: runtime.mirror.cached(runtime.mirror_owner(ctx.owner), ctx.business),
        emails_sent=lambda: emails_sent(runtime.sessions, ctx.owner, ctx.account_key),
        timers=TimerStore(runtime.sessions, ctx.owner, ctx.business.business_id),
        frames=lambda snapshot, today: runtime.frames_cache.frames(ctx.cache_key, snapshot, today),
        figures=KeptFigures(runtime.frames_cache, ctx.cache_key),
    )


def open_chat(runtime: Runtime, ctx: AppContext, *, read_only: bool) -> ChatSession | None:
    """The chat for ``ctx``'s business, or None when no chat model is configured."""
    # Looked up on the module when called, so a model put in its place (tests) is the one used.
    model = chat_models.model_from_settings(runtime.settings)
    if model is None:
        return None
    account_key = ctx.account_key
    agent = Agent(
        model,
        build_registry(),
        audit=StoreAudit(runtime.sessions, ctx.owner, account_key),
        read_only=read_only or not ctx.business.can_write,
        context_tokens=runtime.settings.copilot_model_context,
        grant=ctx.fb.grant(),
    )
    tools = tool_context(runtime, ctx)
    return ChatSession(
        runtime=runtime,
        ctx=ctx,
        agent=agent,
        tools=tools,
        history=ChatHistory(runtime.sessions, ctx.owner, account_key),
        read_only=read_only,
    )
