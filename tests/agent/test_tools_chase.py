"""Chasing from the chat: one card lists every reminder; any can be left out; one Confirm sends
the rest through FreshBooks, audited; the next chase of the same invoice is firmer."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from agent.conversation import Conversation
from agent.loop import Agent, ApprovalNeeded, WriteCancelled, WriteDone
from agent.tools import build_registry

from ..support.audit import MemoryAudit
from ..support.fake_model import FakeChatModel, tool_call
from ..support.sandbox_tools import Env, sandbox_env


@pytest.fixture
def env() -> Iterator[Env]:
    with sandbox_env() as opened:
        yield opened


def overdue_with_email(env: Env, min_days: int) -> set[int]:
    """By hand, from the models: overdue by at least ``min_days``, and someone to email."""
    snap = env.ctx.snapshot()  # type: ignore[misc]  # sandbox_env gives a snapshot
    today = env.business.today(env.ctx.now)
    emails = {c.id: c.email for c in snap.clients}
    return {
        i.id
        for i in snap.invoices
        if i.vis_state == 0
        and i.is_overdue(today)
        and i.due_date is not None
        and (today - i.due_date).days >= min_days
        and (i.email or emails.get(i.customerid))
    }


def run(env: Env, script, audit: MemoryAudit) -> tuple[Agent, Conversation, list]:
    agent = Agent(FakeChatModel(script), build_registry(), audit=audit)
    convo = Conversation()
    events = list(agent.send(convo, env.ctx, "Chase everyone more than 30 days late"))
    return agent, convo, events


def test_one_card_lists_every_email_and_one_confirm_sends_those_kept(env):
    expected = overdue_with_email(env, 30)
    assert len(expected) >= 2, "the demo business has several invoices 30+ days late"
    audit = MemoryAudit()
    agent, convo, events = run(
        env, [[tool_call("chase_invoices", {"min_days_late": 30})], "Sent."], audit
    )
    (card,) = [e for e in events if isinstance(e, ApprovalNeeded)]
    (write,) = card.pending
    keys = [int(k) for k, _ in write.proposal.items]
    assert set(keys) == expected
    assert write.proposal.item_argument == "invoice_ids"
    left_out = str(keys[0])
    kept = [k for k, _ in write.proposal.items if k != left_out]
    done = list(agent.decide(convo, env.ctx, write.call_id, True, kept))
    (result,) = [e for e in done if isinstance(e, WriteDone)]
    assert result.ok
    assert sorted(result.record_ids["invoice"]) == sorted(int(k) for k in kept)
    (entry,) = audit.entries
    assert entry["action"] == "chase_invoices"
    assert sorted(entry["arguments"]["invoice_ids"]) == sorted(int(k) for k in kept)


def test_leaving_every_item_out_sends_nothing(env):
    audit = MemoryAudit()
    agent, convo, events = run(
        env, [[tool_call("chase_invoices", {"min_days_late": 30})], "Nothing sent."], audit
    )
    (card,) = [e for e in events if isinstance(e, ApprovalNeeded)]
    done = list(agent.decide(convo, env.ctx, card.pending[0].call_id, True, []))
    assert any(isinstance(e, WriteCancelled) for e in done)
    assert audit.entries == []


def test_a_second_chase_is_firmer(env):
    (first,) = sorted(overdue_with_email(env, 1))[:1]
    card = env.propose("chase_invoices", invoice_ids=[first])
    before = card.items[0][1]
    twice = dataclasses.replace(env.ctx, emails_sent=lambda: {first: (2, datetime.now(UTC))})
    tool = env.tool("chase_invoices")
    assert tool.propose is not None
    after = tool.propose(twice, env.parse("chase_invoices", invoice_ids=[first])).items[0][1]
    tones = ("heads-up", "friendly", "firm", "final")
    assert tones.index(after.split(" · ")[4]) >= tones.index(before.split(" · ")[4])
    assert after.split(" · ")[4] in ("firm", "final")
