"""The chat service on the demo business: a session per owner and business, tools that read
the local mirror, the conversation kept in the store, and read-only where it must be."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import agent.model
from agent.loop import Conversation, ToolFinished, TurnFinished
from copilot.books import load_books
from copilot.chat import ChatSession, open_chat, tool_context
from copilot.context import AppContext
from copilot.forecasting import business_backtest, business_forecast
from copilot.overview import business_overview
from copilot.runtime import Runtime, build_runtime
from settings import Settings

from ..support.fake_model import FakeChatModel, tool_call


@pytest.fixture(scope="module")
def runtime(tmp_path_factory) -> Iterator[Runtime]:
    """The demo runtime (no chat model configured), in a data folder of its own."""
    built = build_runtime(Settings(copilot_data_dir=str(tmp_path_factory.mktemp("chat"))))
    yield built
    built.close()


def context(runtime: Runtime, owner: str) -> AppContext:
    fb = runtime.client(owner)
    assert fb is not None
    identity = fb.identity()
    business = next(b for b in identity.businesses if b.has_accounting)
    return AppContext(owner=owner, demo=True, fb=fb, identity=identity, business=business)


@pytest.fixture
def model(monkeypatch) -> FakeChatModel:
    """A scripted model in place of the configured one: one lookup, then an answer."""
    fake = FakeChatModel([[tool_call("business_summary", {})], ["You are owed money."]])
    monkeypatch.setattr(agent.model, "model_from_settings", lambda _settings: fake)
    return fake


def open_for(runtime: Runtime, owner: str, *, read_only: bool = False) -> ChatSession:
    chat = open_chat(runtime, context(runtime, owner), read_only=read_only)
    assert chat is not None
    return chat


def test_without_a_chat_model_there_is_no_chat(runtime):
    assert open_chat(runtime, context(runtime, "local"), read_only=False) is None


def test_a_turn_reads_the_books_through_the_local_mirror(runtime, model):
    chat = open_for(runtime, "alice")
    convo = chat.restore()
    events = list(chat.send(convo, "Who owes me money?"))
    assert [e.ok for e in events if isinstance(e, ToolFinished)] == [True]
    assert any(isinstance(e, TurnFinished) for e in events)
    assert model.calls == 2
    held = runtime.mirror.cached(runtime.mirror_owner("alice"), chat.ctx.business)
    assert held is not None  # the tool's read synced the mirror the dashboards share


def test_the_conversation_is_kept_per_owner_and_cleared(runtime, model):
    chat = open_for(runtime, "carol")
    convo = chat.restore()
    list(chat.send(convo, "Who owes me money?"))
    chat.save(convo)
    again = open_for(runtime, "carol").restore()
    assert again.messages == convo.messages
    assert open_for(runtime, "dave").restore().messages == []  # never another owner's
    chat.clear()
    assert open_for(runtime, "carol").restore().messages == []


def test_saving_after_a_write_has_the_books_asked_again(runtime, model, monkeypatch):
    chat = open_for(runtime, "erin")
    expired: list[tuple[str, int]] = []
    monkeypatch.setattr(runtime.mirror, "expire", lambda *args: expired.append(args))
    chat.save(Conversation())
    assert expired == []
    chat.save(Conversation(), wrote=True)
    assert expired == [(runtime.mirror_owner("erin"), chat.ctx.business.business_id)]


def test_read_only_offers_the_model_no_writes(runtime, model):
    writer = open_for(runtime, "frank")
    reader = open_for(runtime, "frank", read_only=True)
    assert reader.read_only
    assert not writer.read_only
    names = {tool["function"]["name"] for tool in reader.agent.tool_schemas()}
    assert "business_summary" in names
    assert "create_invoice" not in names
    assert "create_invoice" in {t["function"]["name"] for t in writer.agent.tool_schemas()}


def test_the_tools_get_the_very_figures_the_pages_keep(runtime):
    ctx = context(runtime, "alice")
    tools = tool_context(runtime, ctx)
    assert tools.figures is not None
    snapshot = load_books(runtime, ctx).snapshot
    frames = runtime.frames_cache.frames(ctx.cache_key, snapshot, tools.today)
    cache = runtime.frames_cache
    assert tools.figures.forecast(snapshot, frames) is business_forecast(
        cache, ctx.cache_key, snapshot, frames
    )
    code = frames.home_currency or "USD"
    assert tools.figures.backtest(snapshot, frames, code) is business_backtest(
        cache, ctx.cache_key, snapshot, frames, code
    )
    kept = business_overview(cache, ctx.cache_key, snapshot, frames)
    assert tools.figures.overview(snapshot, frames) is kept.per_currency
    # Another owner's tools keep their own.
    bob = context(runtime, "bob")
    theirs = tool_context(runtime, bob).figures
    assert theirs is not None
    bobs = load_books(runtime, bob).snapshot
    bob_frames = runtime.frames_cache.frames(bob.cache_key, bobs, tools.today)
    assert theirs.overview(bobs, bob_frames) is not kept.per_currency
