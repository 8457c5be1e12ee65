"""``bench.sessions`` runs end to end with a few sessions on a small sandbox: every figure is
there and no page failed (no timing checks: speed is the benchmark's to report)."""

from __future__ import annotations

import json

import pytest

from bench import perf, sessions
from bench.sessions import PAGES, TARGETS, Owner, Visit, growth_per_session, main, percentile

from ..support import clock

pytestmark = pytest.mark.slow

SESSIONS, ROUNDS = 3, 1


def positive(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@pytest.fixture
def at_suite_time(monkeypatch):
    """The sandbox and the app live at the suite's instant, as the tests' other servers do."""
    monkeypatch.setattr(perf, "sandbox_command", clock.sandbox_command)
    monkeypatch.setattr(
        sessions,
        "app_command",
        lambda *args: clock.python_command("-m", "streamlit", "run", "app.py", *args),
    )


def test_sessions_runs_on_small_and_reports_every_figure(at_suite_time, capsys):
    main(
        [
            *("--sessions", str(SESSIONS), "--size", "small", "--rounds", str(ROUNDS)),
            *("--think-min", "0.1", "--think-max", "0.3", "--quiet"),
        ]
    )
    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    assert results["bench"] == "sessions"
    assert (results["size"], results["sessions"], results["rounds"]) == ("small", SESSIONS, ROUNDS)
    assert set(results["owners"]) == {"A", "B"}
    assert results["owners"]["A"] != results["owners"]["B"]

    # Every page of every session was asked for and answered, without an error.
    assert results["errors"] == []
    assert results["error_count"] == 0
    assert results["stopped_early"] is False
    per_session = len(PAGES)
    assert results["ramp"]["pages"] == SESSIONS * per_session
    assert results["load"]["pages"] == SESSIONS * ROUNDS * per_session
    assert results["pages_visited"] == results["ramp"]["pages"] + results["load"]["pages"]
    for stats in (results["ramp"], results["load"], *results["by_page"].values()):
        assert positive(stats["p50_s"])
        assert stats["p50_s"] <= stats["p95_s"] <= stats["max_s"]
    assert set(results["by_page"]) == set(PAGES)
    assert sum(s["pages"] for s in results["by_page"].values()) == results["load"]["pages"]

    # Both owners connected through the app and warmed every page.
    for owner in ("A", "B"):
        setup = results["setup"][owner]
        assert positive(setup["connect_s"])
        assert set(setup["warm_pages_s"]) == set(PAGES)
    assert positive(results["setup"]["B"]["choose_business_s"])  # B picked their business

    # The app's memory: one reading per session count, and a slope through them.
    rss = results["rss_mb"]
    assert positive(rss["before_sessions"])
    assert [n for n, _mb in rss["by_sessions"]] == list(range(1, SESSIONS + 1))
    assert all(positive(mb) for _n, mb in rss["by_sessions"])
    assert isinstance(results["rss_per_session_mb"], float)
    assert positive(rss["peak_while_browsing"])
    assert results["rss_mb_peak"] >= rss["peak_while_browsing"]

    # The app's CPU per phase (to tell a saturated app from a busy machine), and this client's.
    assert set(results["app_cpu"]) == {"setup", "ramp", "load"}
    for phase in results["app_cpu"].values():
        assert positive(phase["cpu_s"])
        assert positive(phase["wall_s"])
        assert phase["cores_busy"] == pytest.approx(phase["cpu_s"] / phase["wall_s"], rel=0.01)
    assert positive(results["app_cpu"]["load"]["cpu_s_per_page"])
    assert results["client_cpu_s"] >= 0
    assert len(results["loadavg_start"]) == len(results["loadavg_end"]) == 3

    # Every page was checked for the other owner's names, and the check had something to find.
    isolation = results["isolation"]
    assert isolation["pages_checked"] == results["pages_visited"]
    assert isolation["leaks"] == []
    assert isolation["leak_count"] == 0
    assert isolation["own_business_missing"] == 0
    assert isolation["own_clients_shown"] > 0

    assert set(results["targets"]) == set(TARGETS)
    for name, verdict in results["targets"].items():
        assert verdict["pass"] in (True, False, None), name
    assert results["targets"]["page_errors"]["pass"] is True
    assert results["targets"]["isolation_leaks"]["pass"] is True


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 21)]  # 1..20
    assert percentile(values, 0.5) == 10
    assert percentile(values, 0.95) == 19
    assert percentile(values, 1.0) == 20
    assert percentile([3.0], 0.95) == 3
    assert percentile([], 0.95) is None


def test_growth_per_session_is_the_least_squares_slope():
    assert growth_per_session([(1, 100.0), (2, 102.0), (3, 104.0)]) == pytest.approx(2.0)
    # One early jump does not decide it alone.
    assert growth_per_session([(1, 100.0), (2, 110.0), (3, 110.0), (4, 110.0)]) == pytest.approx(
        3.0
    )
    assert growth_per_session([(1, 100.0)]) is None


def test_a_page_with_the_other_owners_names_is_a_leak():
    a = Owner("A", {}, "Alpha Works", frozenset({"Acme"}), choose=False)
    b = Owner("B", {}, "Beta Books", frozenset({"Bolt Ltd"}), choose=True)
    clean = Visit(1, "A", "invoices", "load", 0.1, "Invoices", "Alpha Works · Acme")
    leaky = Visit(2, "B", "invoices", "load", 0.1, "Invoices", "Beta Books · Acme")
    unnamed = Visit(3, "B", "overview", "load", 0.1, "Overview", "Bolt Ltd")
    checked = sessions._checked([clean, leaky, unnamed], (a, b))
    assert checked["leaks"] == [{"session": 2, "page": "invoices", "found": ["Acme"]}]
    assert checked["own_business_missing"] == 1
    assert checked["own_clients_shown"] == 2
    assert checked["errors"] == []


def test_a_wrong_title_or_an_error_on_a_page_is_an_error():
    a = Owner("A", {}, "Alpha Works", frozenset(), choose=False)
    b = Owner("B", {}, "Beta Books", frozenset(), choose=True)
    login = Visit(1, "A", "invoices", "load", 0.1, "FreshBooks Copilot", "Alpha Works")
    failed = Visit(2, "A", "time", "load", 0.1, "Time", "Alpha Works", ["error: boom"])
    errors = sessions._checked([login, failed], (a, b))["errors"]
    assert [(e["session"], e["page"]) for e in errors] == [(1, "invoices"), (2, "time")]


def test_the_login_cookie_is_one_streamlit_accepts():
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

    user = {"is_logged_in": True, "sub": "someone"}
    cookie = sessions.login_cookie("a-cookie-secret", "http://127.0.0.1:9", user)
    decoded = decode_signed_value("a-cookie-secret", "_streamlit_user", cookie)
    assert decoded is not None
    assert json.loads(decoded) == {"origin": "http://127.0.0.1:9", **user}
    assert decode_signed_value("another-secret", "_streamlit_user", cookie) is None
