"""The chat drives timers and gap filling with a scripted model: every write waits on its card,
runs once after Confirm and lands in the audit log; a gap card's days can be left out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from agent.audit import StoreAudit
from agent.loop import Conversation, WriteDone
from agent.tools.gaps import find_gaps
from store.db import make_engine, make_sessions
from store.schema import AuditEntry
from store.timers import TimerStore

from ..support.sandbox_tools import sandbox_env
from ..support.scripted_agent import agent_with, strict_call
from ..support.turns import of_type, pending_of, run


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("chat-timers") / "copilot.db"
    with sandbox_env() as opened:
        opened.sessions = make_sessions(make_engine(f"sqlite:///{path}"))
        opened.ctx = replace(
            opened.ctx,
            timers=TimerStore(opened.sessions, "local", opened.business.business_id),
        )
        yield opened


def _actions(env) -> list[str]:
    with env.sessions() as session:
        return [r.action for r in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_start_then_stop_from_the_chat_each_after_its_card(env):
    audit = StoreAudit(env.sessions, "local", f"demo:{env.business.business_id}")
    client = next(c for c in env.books.clients.list_page(1, 25).items if c.currency_code)
    agent, _ = agent_with(
        [[strict_call("start_timer", "s1", client_id=client.id, note="Call")], ["Started."]],
        audit,
    )
    convo = Conversation()
    (pending,) = pending_of(run(agent.send(convo, env.ctx, "start a timer for the client")))
    assert pending.proposal.title == f"Start a timer for {client.display_name}"
    assert env.ctx.timers.all() == []  # nothing before Confirm
    (done,) = of_type(run(agent.decide(convo, env.ctx, "s1", approve=True)), WriteDone)
    assert done.ok
    (timer_id,) = done.record_ids["time_entry"]
    assert [t.entry_id for t in env.ctx.timers.all()] == [timer_id]

    later = replace(env.ctx, now=env.ctx.now + timedelta(minutes=90))
    agent, _ = agent_with(
        [[strict_call("stop_timer", "t1", timer_id=timer_id)], ["Logged."]], audit
    )
    (pending,) = pending_of(run(agent.send(convo, later, "stop it")))
    assert ("Hours to log", "1.50 (1:30)") in pending.proposal.fields
    assert env.books.time_entries.get(timer_id).is_logged is False  # still a timer
    (done,) = of_type(run(agent.decide(convo, later, "t1", approve=True)), WriteDone)
    assert done.ok
    entry = env.books.time_entries.get(timer_id)
    assert entry.is_logged is True
    assert entry.duration == 90 * 60
    assert _actions(env)[-2:] == ["start_timer", "stop_timer"]


def test_gap_card_lists_the_days_and_logs_only_those_kept(env):
    project = next(p for p in env.books.projects.list() if p.active and p.client_id)
    today = env.ctx.today
    start, end = today - timedelta(days=27), today - timedelta(days=1)
    gaps = find_gaps(env.ctx, start, end, threshold=Decimal(24))
    assert len(gaps) >= 2  # nobody logs 24 h a day: every working day is a gap
    audit = StoreAudit(env.sessions, "local", f"demo:{env.business.business_id}")
    call = strict_call(
        "fill_timesheet_gaps",
        "g1",
        start_date=start.isoformat(),
        end_date=end.isoformat(),
        threshold_hours="24",
        hours="1.5",
        project_id=project.id,
        note="Catch-up",
    )
    agent, _ = agent_with([[call], ["Filled."]], audit)
    convo = Conversation()
    (pending,) = pending_of(run(agent.send(convo, env.ctx, "fill my timesheet gaps")))
    keys = [key for key, _ in pending.proposal.items]
    assert keys == [d.date().isoformat() for d in gaps["date"]]
    assert all(" · adds 1.50 h" in label for _, label in pending.proposal.items)
    kept = keys[:2]
    (done,) = of_type(run(agent.decide(convo, env.ctx, "g1", approve=True, keep=kept)), WriteDone)
    assert done.ok
    made = [env.books.time_entries.get(i) for i in done.record_ids["time_entry"]]
    assert sorted(str(e.started_at.astimezone(env.business.zone).date()) for e in made) == kept
    assert {e.duration for e in made} == {5400}
    assert {e.project_id for e in made} == {project.id}
    assert _actions(env)[-1] == "fill_timesheet_gaps"
