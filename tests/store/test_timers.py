"""The timer store: pause and resume keep the time counted, and a new engine on the same
database (an app restart) finds every timer as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from store.db import make_engine, make_sessions
from store.timers import Timer, TimerStore

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _timer(entry_id: int = 41) -> Timer:
    return Timer(
        entry_id=entry_id,
        client_id=7,
        project_id=None,
        service_id=3,
        note="Design",
        started_at=START,
        running_since=START,
        seconds=0,
    )


def test_pause_resume_and_restart_keep_the_time(tmp_path):
    url = f"sqlite:///{tmp_path / 'copilot.db'}"
    engine = make_engine(url)
    timers = TimerStore(make_sessions(engine), "local", 99)
    timers.add(_timer())
    paused = timers.pause(41, START + timedelta(minutes=30))
    assert not paused.running
    assert paused.elapsed(START + timedelta(hours=5)) == 1800
    timers.resume(41, START + timedelta(hours=1))
    engine.dispose()

    again = TimerStore(make_sessions(make_engine(url)), "local", 99)
    [found] = again.all()
    assert found.running
    assert found.running_since == START + timedelta(hours=1)
    assert found.elapsed(START + timedelta(hours=2)) == 1800 + 3600
    assert (found.client_id, found.service_id, found.note) == (7, 3, "Design")


def test_other_owners_and_businesses_see_nothing(tmp_path):
    sessions = make_sessions(make_engine(f"sqlite:///{tmp_path / 'c.db'}"))
    TimerStore(sessions, "local", 99).add(_timer())
    assert TimerStore(sessions, "someone", 99).all() == []
    assert TimerStore(sessions, "local", 98).all() == []
    with pytest.raises(ValueError, match="no timer 41"):
        TimerStore(sessions, "local", 98).get(41)


def test_pausing_twice_and_resuming_a_running_timer_are_refused(tmp_path):
    timers = TimerStore(make_sessions(make_engine(f"sqlite:///{tmp_path / 'c.db'}")), "o", 1)
    timers.add(_timer())
    with pytest.raises(ValueError, match="already running"):
        timers.resume(41, START)
    timers.pause(41, START + timedelta(minutes=1))
    with pytest.raises(ValueError, match="already paused"):
        timers.pause(41, START + timedelta(minutes=2))
    timers.remove(41)
    assert timers.all() == []


def test_left_running_means_more_than_ten_hours_counted_while_running():
    timer = _timer()
    assert not timer.left_running(START + timedelta(hours=10))
    assert timer.left_running(START + timedelta(hours=10, seconds=1))
    paused = Timer(**{**timer.__dict__, "running_since": None, "seconds": 11 * 3600})
    assert not paused.left_running(START + timedelta(hours=20))
