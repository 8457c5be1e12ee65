"""The sidebar timer in demo mode: start, pause, resume by click, audited; a restart of the app
finds the timer with its time; one left running over 10 hours is flagged and stops at the time
given. The Time page's timesheet gaps."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from store.db import make_engine, make_sessions
from store.schema import AuditEntry, TimerRow
from store.timers import TimerStore

from ..support.apptest_text import rendered_text

WIDGET = str(Path(__file__).parents[1] / "support" / "sidebar_timer_app.py")


@pytest.fixture
def widget(app):
    """A new browser session on the sidebar timer alone (see ``sidebar_timer_app``)."""

    def session() -> AppTest:
        at = AppTest.from_file(WIDGET, default_timeout=60)
        at.secrets["copilot_tests"] = "isolated"
        return at

    return session


def _store(data_dir):
    return make_sessions(make_engine(f"sqlite:///{data_dir / 'copilot.db'}"))


def _actions(data_dir) -> list[tuple[str, str]]:
    with _store(data_dir)() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(r.action, r.outcome) for r in rows]


def _only_timer(data_dir):
    sessions = _store(data_dir)
    with sessions() as session:
        (row,) = session.scalars(select(TimerRow)).all()
    return TimerStore(sessions, row.owner, row.business_id).get(row.entry_id)


def _start(widget):
    at = widget().run()
    assert not at.exception, at.exception
    at.sidebar.selectbox(key="timer-client").select_index(1).run()  # the first client
    at.sidebar.text_input(key="timer-note").set_value("Sketches").run()
    at.sidebar.button(key="timer-start").click().run()
    assert not at.exception, at.exception
    return at


def test_the_app_shows_the_timer_in_its_sidebar(app):
    at = app().run()
    assert not at.exception, at.exception
    assert "**⏱️ Timer**" in [m.value for m in at.sidebar.markdown]
    assert [b.label for b in at.sidebar.button] == ["Start"]


def test_sidebar_start_pause_resume_and_a_restart_keeps_the_time(widget, data_dir):
    from ui.context import close_runtimes

    at = _start(widget)
    (started,) = [s.value for s in at.success]
    assert started.startswith("Done: Start a timer for ")
    text = rendered_text(at.sidebar)
    assert "running" in text
    assert "Sketches" in text
    timer = _only_timer(data_dir)
    assert timer.running

    at.sidebar.button(key=f"timer-pause-{timer.entry_id}").click().run()
    assert "paused" in rendered_text(at.sidebar)
    at.sidebar.button(key=f"timer-resume-{timer.entry_id}").click().run()
    assert [a for a, _ in _actions(data_dir)] == ["start_timer", "pause_timer", "resume_timer"]
    assert {o for _, o in _actions(data_dir)} == {"ok"}

    # The app restarts (a new runtime, a new browser session) two hours later.
    close_runtimes()
    resumed = _only_timer(data_dir)
    # Two hours counted in all (with what was counted before the pause), and half a minute.
    later = resumed.running_since + timedelta(hours=2, seconds=30 - resumed.seconds)
    with time_machine.travel(later, tick=False):
        again = widget().run()
        assert not again.exception, again.exception
        assert "**2:00** ⏺ running" in [m.value for m in again.sidebar.markdown]


def test_a_timer_left_running_is_flagged_and_stops_at_the_time_given(widget, data_dir):
    from ui.context import close_runtimes

    _start(widget)
    timer = _only_timer(data_dir)
    close_runtimes()
    with time_machine.travel(timer.started_at + timedelta(hours=10, minutes=5), tick=False):
        at = widget().run()
        assert not at.exception, at.exception
        (warning,) = [w.value for w in at.sidebar.warning]
        assert "was it left running?" in warning
        # Three hours and a minute after the minute it started (the day may change).
        stop = _local_start(at, timer) + timedelta(hours=3, minutes=1)
        at.sidebar.date_input(key=f"timer-day-{timer.entry_id}").set_value(stop.date())
        at.sidebar.time_input(key=f"timer-at-{timer.entry_id}").set_value(stop.time())
        at.sidebar.button(key=f"timer-stop-at-{timer.entry_id}").click().run()
        assert not at.exception, at.exception
        (done,) = [s.value for s in at.success]
        # 3 h 1 min from the whole minute it started: 3.00 to 3.02 h with its seconds.
        assert "and log 3.0" in done
    assert _actions(data_dir)[-1] == ("stop_timer", "ok")
    with _store(data_dir)() as session:
        assert session.scalars(select(TimerRow)).all() == []


def _local_start(at, timer) -> datetime:
    """The timer's start on the business's wall clock, as its sidebar inputs show it."""
    day = at.sidebar.date_input(key=f"timer-day-{timer.entry_id}").value
    clock = at.sidebar.time_input(key=f"timer-at-{timer.entry_id}").value
    return datetime.combine(day, clock)


def test_time_page_lists_a_running_timer(widget, app):
    _start(widget)  # for a client, without project or service: blank cells there
    at = app().run()
    at.switch_page("pages/time.py").run()
    assert not at.exception, at.exception
    assert "Timers" in [h.value for h in at.subheader]
    (timers,) = [d.value for d in at.dataframe if "elapsed" in d.value.columns]
    assert list(timers["state"]) == ["running"]


def test_time_page_lists_the_gap_days(app):
    at = app().run()
    at.switch_page("pages/time.py").run()
    assert not at.exception, at.exception
    assert "Timesheet gaps" in [h.value for h in at.subheader]
    at.number_input(key="gaps-threshold").set_value(24.0).run()
    assert not at.exception, at.exception
    # Nobody logs 24 hours a day; any 14 days in a row hold exactly 10 working days.
    frames = [d.value for d in at.dataframe if "missing_hours" in d.value.columns]
    (gaps,) = frames
    assert len(gaps) == 10
    assert set(gaps["weekday"]) <= {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
