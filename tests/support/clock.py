"""The instant the whole suite runs at: ``COPILOT_TEST_NOW``, an ISO date-time (default: now).

The root conftest moves Python's clocks there for the session with time-machine (ticking, so
time still passes). Thread waits use the monotonic clock, which time-machine leaves alone.
Processes the tests start inherit the offset from the real clock and land on the suite's
current instant: servers run under :mod:`tests.support.run_at` (:func:`python_command`; a
sandbox is also told ``--today``), multiprocessing workers call :func:`start` themselves.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, timedelta

import time_machine

ENV = "COPILOT_TEST_NOW"
# Seconds from the real clock to the suite's, set by the first process that travels: a process
# it starts (a server, a multiprocessing worker) inherits it and lands on the same instant, not
# on the start one.
OFFSET_ENV = "COPILOT_TEST_NOW_OFFSET"

_traveller: time_machine.travel | None = None


def test_now() -> datetime | None:
    """The instant asked for in ``COPILOT_TEST_NOW`` (naive means UTC), or None."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(
            f"{ENV}={text!r} is not an ISO date-time, e.g. 2027-02-28T23:30:00-05:00"
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def start() -> None:
    """Move this process's clocks to ``COPILOT_TEST_NOW`` (once; nothing when unset)."""
    global _traveller
    when = test_now()
    if when is None or _traveller is not None:
        return
    real = datetime.now(UTC)
    if OFFSET_ENV in os.environ:
        when = real + timedelta(seconds=float(os.environ[OFFSET_ENV]))
    else:
        os.environ[OFFSET_ENV] = str((when - real).total_seconds())
    _traveller = time_machine.travel(when, tick=True)
    _traveller.start()


def today() -> date:
    """This machine's calendar day at the suite's instant: what a sandbox started with
    ``--today`` is anchored on, its clock included (so it stays UTC's date)."""
    return date.today()


def python_command(*args: str) -> list[str]:
    """``python *args`` for a child process that lives at the suite's current instant."""
    if test_now() is None:
        return [sys.executable, *args]
    return [sys.executable, "-m", "tests.support.run_at", *args]


def sandbox_command(*args: str) -> list[str]:
    """``python -m sandbox *args --today DAY``, living on the suite's day."""
    return python_command("-m", "sandbox", *args, "--today", today().isoformat())
