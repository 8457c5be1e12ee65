"""Timer tools on the sandbox: start creates an unlogged FreshBooks entry, pause and resume
keep the time counted, stop logs the entry with it; a timer left running over 10 hours is
flagged and stops at the time given."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from store.db import make_engine, make_sessions
from store.timers import TimerStore

from ..support.sandbox_tools import card_text, sandbox_env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("timers") / "copilot.db"
    with sandbox_env() as opened:
        sessions = make_sessions(make_engine(f"sqlite:///{path}"))
        opened.ctx = replace(
            opened.ctx, timers=TimerStore(sessions, "local", opened.business.business_id)
        )
        yield opened


@pytest.fixture(scope="module")
def project(env):
    """An active project with a client and at least one service."""
    return next(p for p in env.books.projects.list() if p.active and p.client_id and p.services)


def at(env, delta: timedelta):
    """The tool context ``delta`` after the module's instant."""
    env.ctx = replace(env.ctx, now=env.ctx.now + delta)
    return env.ctx


def test_start_pause_resume_stop_logs_the_time_counted(env, project):
    service = project.services[0].id
    card = env.propose("start_timer", project_id=project.id, service_id=service, note="Wireframes")
    assert card.title.startswith("Start a timer for ")
    assert f"(id {project.client_id})" in card_text(card)
    started = env.call("start_timer", project_id=project.id, service_id=service, note="Wireframes")
    timer_id = started["record_ids"]["time_entry"][0]
    entry = env.books.time_entries.get(timer_id)
    assert entry.is_logged is False
    assert entry.timer is not None
    assert entry.timer.is_running is True
    assert entry.client_id == project.client_id
    logged_ids = {e.id for e in env.books.time_entries.list(team=True)}
    assert timer_id not in logged_ids  # FreshBooks lists running timers only when asked

    at(env, timedelta(minutes=45))
    env.call("pause_timer", timer_id=timer_id)
    at(env, timedelta(hours=3))  # paused: this does not count
    listed = env.call("running_timers")
    [row] = [r for r in listed["timers"] if r["timer_id"] == timer_id]
    assert (row["state"], row["elapsed"]) == ("paused", "0:45")
    with pytest.raises(ValueError, match="already paused"):
        env.propose("pause_timer", timer_id=timer_id)

    env.call("resume_timer", timer_id=timer_id)
    at(env, timedelta(minutes=30))
    card = env.propose("stop_timer", timer_id=timer_id)
    assert ("Hours to log", "1.25 (1:15)") in card.fields
    result = env.call("stop_timer", timer_id=timer_id)
    assert result["time_entry"]["hours"] == "1.25"
    logged = env.books.time_entries.get(timer_id)
    assert logged.is_logged is True
    assert logged.duration == 75 * 60
    assert logged.started_at == started_at_of(started, env)
    assert timer_id not in {r["timer_id"] for r in env.call("running_timers")["timers"]}


def started_at_of(result, env):
    """The FreshBooks start of a timer's entry (as it was created)."""
    return env.books.time_entries.get(result["record_ids"]["time_entry"][0]).started_at


def test_a_timer_left_running_over_ten_hours_is_flagged_and_stops_when_told(env, project):
    env.ctx = replace(env.ctx, now=env.ctx.now.replace(second=0, microsecond=0))
    started = env.call("start_timer", client_id=project.client_id)
    timer_id = started["record_ids"]["time_entry"][0]
    began = env.ctx.now
    at(env, timedelta(hours=9, minutes=59))
    assert timer_id not in env.call("running_timers")["left_running"]
    at(env, timedelta(hours=3))
    listed = env.call("running_timers")
    assert timer_id in listed["left_running"]
    [row] = [r for r in listed["timers"] if r["timer_id"] == timer_id]
    assert "was it left running?" in row["warning"]

    with pytest.raises(ValueError, match="still to come"):
        env.propose("stop_timer", timer_id=timer_id, stop_at=(env.ctx.now + timedelta(hours=1)))
    with pytest.raises(ValueError, match="later stop time"):
        env.propose("stop_timer", timer_id=timer_id, stop_at=(began - timedelta(hours=1)))
    stop_at = (began + timedelta(hours=2, minutes=30)).astimezone(env.business.zone)
    naive = stop_at.replace(tzinfo=None).isoformat(timespec="minutes")  # the business's time
    card = env.propose("stop_timer", timer_id=timer_id, stop_at=naive)
    assert ("Hours to log", "2.50 (2:30)") in card.fields
    env.call("stop_timer", timer_id=timer_id, stop_at=naive)
    assert env.books.time_entries.get(timer_id).duration == 2 * 3600 + 1800


def test_stopping_a_timer_deleted_in_freshbooks_says_so_and_forgets_it(env):
    started = env.call("start_timer", note="Internal admin")
    timer_id = started["record_ids"]["time_entry"][0]
    assert env.books.time_entries.get(timer_id).internal is True
    env.books.time_entries.delete(timer_id)
    with pytest.raises(ValueError, match="gone from FreshBooks"):
        env.call("stop_timer", timer_id=timer_id)
    assert timer_id not in {r["timer_id"] for r in env.call("running_timers")["timers"]}


def test_undo_start_deletes_the_entry_and_the_timer(env):
    started = env.call("start_timer", note="Oops")
    timer_id = started["record_ids"]["time_entry"][0]
    env.undo("start_timer", started)
    assert env.call("running_timers")["count"] == 0 or timer_id not in {
        r["timer_id"] for r in env.call("running_timers")["timers"]
    }
    ids = {e.id for e in env.books.time_entries.list(team=True, include_unlogged=True)}
    assert timer_id not in ids
