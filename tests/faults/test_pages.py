"""Every page of the app while FreshBooks misbehaves (AppTest, demo mode, faults at the transport
and in the sandbox): a sentence for the user and never a traceback, GETs retried and nothing
else sent, and the page back to normal once the fault stops.

Dashboards are faulted through their Refresh button (the data is held locally between visits,
so Refresh is what asks FreshBooks): the last sync stays on screen with a warning saying why it
could not be brought up to date. A new session is faulted from its first request.
"""

from __future__ import annotations

import re

import pytest

import agent.model
from fbclient import (
    APIError,
    NetworkError,
    RateLimitError,
    RequestTimeout,
    ResponseFormatError,
    RetryPolicy,
    ServerError,
)
from ui import keys

from ..support.apptest_text import rendered_text
from ..support.fake_model import FakeChatModel
from ..support.faulty_transport import KINDS
from ..support.scripted_agent import strict_call

ATTEMPTS = RetryPolicy().max_attempts
DASHBOARDS = {
    "pages/overview.py": "Overview",
    "pages/invoices.py": "Invoices",
    "pages/forecast.py": "Forecast",
    "pages/chase.py": "Chase list",
    "pages/expenses.py": "Expenses",
    "pages/time.py": "Time",
    "pages/clients_projects.py": "Clients & projects",
}
DATA_PATHS = r"^/(accounting|projects|timetracking|comments)/|/businesses/"
IDENTITY = r"^/auth/api/v1/users/me"
# What shows on a page: a traceback, an exception's class or the transport's words never do.
RAW = re.compile(
    r"Traceback|File \"|[A-Z][a-z]+(Error|Exception|Timeout)\b|httpx|<html|Bad Gateway"
)
SAYS = {
    "rate_limit": RateLimitError("x").user_message,
    "json_500": ServerError("x").user_message,
    "html_502": ServerError("x").user_message,
    "text_503": ServerError("x").user_message,
    "html_504_after_write": ServerError("x").user_message,
    "timeout_before": RequestTimeout("x").user_message,
    "timeout_after": RequestTimeout("x").user_message,
    "connect_error": NetworkError("x").user_message,
    "non_json_200": ResponseFormatError("x").user_message,
    "error_in_200": APIError("An unexpected error occurred.").user_message,
}


def assert_clean(at) -> None:
    """No exception element and nothing raw anywhere on the page (sidebar included)."""
    assert not at.exception, at.exception
    text = rendered_text(at)
    assert not RAW.search(text), RAW.search(text)


def messages(at) -> list[str]:
    """The error and warning sentences on the page."""
    return [e.value for e in at.error] + [w.value for w in at.warning]


def open_page(demo, path: str):
    """A new session on ``path``, loaded while FreshBooks is well."""
    at = demo.session().run()
    if path != "pages/overview.py":
        at.switch_page(path).run()
    assert_clean(at)
    assert at.title[0].value == DASHBOARDS.get(path, at.title[0].value)
    assert not messages(at)
    return at


def refresh(at, title: str):
    """Click the page's Refresh button (it asks FreshBooks for everything)."""
    return at.button(key=f"refresh-{title}").click().run()


def stale_notice(at, kind: str) -> None:
    """The one warning of a page that shows its last sync because FreshBooks failed now."""
    (shown,) = messages(at)
    assert shown.startswith(SAYS[kind]), shown
    assert "Showing your books as synced on" in shown


def has_data(at) -> bool:
    """Numbers or tables below the title: the page rendered its data."""
    return bool(at.metric) or bool(at.dataframe)


def assert_retried_gets(faults) -> None:
    """Only GETs were sent, each (all failing) tried the full number of times."""
    assert faults.seen
    assert {s.method for s in faults.seen} == {"GET"}
    assert set(faults.attempts_per_url().values()) == {ATTEMPTS}


@pytest.mark.parametrize(("path", "title"), DASHBOARDS.items())
def test_a_dashboard_during_a_sandbox_5xx_burst_then_after_it(demo, path, title):
    at = open_page(demo, path)
    demo.faults.forget()
    demo.faults.sandbox_faults(fail_rate=1.0)  # the sandbox's own JSON 500 / HTML 502 / 503 / 504

    refresh(at, title)
    assert_clean(at)
    assert at.title[0].value == title
    # The last sync is still shown, with the reason it could not be brought up to date.
    stale_notice(at, "json_500")
    assert not at.error
    assert at.button(key=f"refresh-{title}")  # the way out is on the page
    assert has_data(at)
    assert_retried_gets(demo.faults)

    demo.faults.calm()
    refresh(at, title)
    assert_clean(at)
    assert not messages(at)
    assert has_data(at)


CLIENTS = ("pages/clients_projects.py", "Clients & projects")  # the quickest page to draw


@pytest.fixture(scope="module")
def clients_page(demo_app):
    """One session on the Clients & projects page, shared by the fault matrix (each test ends
    with the page recovered)."""
    demo_app.faults.calm()
    return open_page(demo_app, CLIENTS[0])


def table(at):
    """The page's first table, as data."""
    return at.dataframe[0].value


@pytest.mark.parametrize("kind", KINDS)
def test_each_fault_during_a_dashboard_load(demo, clients_page, kind):
    at = clients_page
    before = table(at)
    demo.faults.forget()
    retry_after = "5" if kind == "rate_limit" else None
    demo.faults.inject(kind, path=DATA_PATHS, retry_after=retry_after)

    refresh(at, CLIENTS[1])
    assert_clean(at)
    stale_notice(at, kind)  # the last sync stays on screen, with the reason
    assert table(at).equals(before)
    assert_retried_gets(demo.faults)
    if kind == "rate_limit":
        assert set(demo.faults.sleeps) == {5.0}  # Retry-After honoured

    demo.faults.calm()
    refresh(at, CLIENTS[1])
    assert_clean(at)
    assert not messages(at)
    assert table(at).equals(before)  # nothing lost


def test_a_transient_fault_is_retried_away(demo, clients_page):
    at = clients_page
    before = table(at)
    demo.faults.forget()
    demo.faults.inject("html_502", path=DATA_PATHS, per_url=2)
    refresh(at, CLIENTS[1])
    assert_clean(at)
    assert not messages(at)
    assert table(at).equals(before)
    assert set(demo.faults.attempts_per_url().values()) == {3}


def test_a_rate_limit_storm_from_the_sandbox(demo, clients_page):
    at = clients_page
    demo.faults.forget()
    demo.faults.clock_moves = False  # a storm waiting does not end
    demo.faults.sandbox_faults(rate_limit=1)
    refresh(at, CLIENTS[1])
    assert_clean(at)
    stale_notice(at, "rate_limit")
    assert set(demo.faults.sleeps) == {1.0}  # the sandbox's Retry-After, waited each time

    demo.faults.calm()
    refresh(at, CLIENTS[1])
    assert not messages(at)
    assert has_data(at)


def test_a_new_session_while_freshbooks_is_down(demo):
    demo.faults.inject("timeout_after")  # every API request, identity included

    at = demo.session().run()  # app.py: the identity cannot be read
    assert_clean(at)
    assert at.title[0].value == "Connect FreshBooks"
    assert SAYS["timeout_after"] in messages(at)
    assert "could not be loaded just now" in at.info[0].value
    assert at.button(key="connect-retry")  # no sign-in again: FreshBooks is connected
    assert set(demo.faults.attempts_per_url().values()) == {ATTEMPTS}

    at.switch_page("pages/settings.py").run()  # the other page offered meanwhile
    assert_clean(at)
    assert at.title[0].value == "Settings"
    assert SAYS["timeout_after"] in messages(at)
    assert "Reset the demo data" in [b.label for b in at.button]  # the rest of the page works
    assert {s.method for s in demo.faults.seen} == {"GET"}

    demo.faults.calm()
    back = demo.session().run()  # the next visit (or "Try again") finds FreshBooks again
    assert_clean(back)
    assert back.title[0].value == "Overview"
    assert not messages(back)
    assert has_data(back)


@pytest.mark.parametrize(
    ("path", "title"),
    [("pages/chat.py", "Chat"), ("pages/audit.py", "Audit log"), ("pages/settings.py", "Settings")],
)
def test_a_page_that_must_read_the_identity_again_during_an_outage(demo, monkeypatch, path, title):
    model = FakeChatModel([])
    monkeypatch.setattr(agent.model, "model_from_settings", lambda _settings: model)
    at = demo.session().run()
    del at.session_state[keys.IDENTITY]  # as after a reconnect or a demo reset
    demo.faults.forget()
    demo.faults.inject("json_500", path=IDENTITY)

    at.switch_page(path).run()
    assert_clean(at)
    assert at.title[0].value == title
    assert SAYS["json_500"] in messages(at)
    assert set(demo.faults.attempts_per_url().values()) == {ATTEMPTS}
    assert model.calls == 0

    demo.faults.calm()
    at.run()
    assert_clean(at)
    assert not messages(at)


def test_the_chat_page_during_a_fault_then_after_it(demo, monkeypatch):
    def answer(messages, tools):
        return ["Here is what I found."]

    # Reports are computed by FreshBooks: this tool asks it every time.
    script = [
        [strict_call("payments_collected", "c1")],
        answer,
        [strict_call("payments_collected", "c2")],
        answer,
    ]
    model = FakeChatModel(script)
    monkeypatch.setattr(agent.model, "model_from_settings", lambda _settings: model)
    at = demo.session().run()
    at.switch_page("pages/chat.py").run()
    demo.faults.forget()
    demo.faults.inject("text_503", path=r"/reports/accounting/payments_collected")

    at.chat_input[0].set_value("What came in this month?").run()
    assert_clean(at)
    assert [s.label for s in at.status] == [SAYS["text_503"]]  # the tool's status line
    assert "Here is what I found." in [m.value for m in at.markdown]
    assert len(demo.faults.requests("GET", "/reports/accounting/payments_collected")) == ATTEMPTS
    assert {s.method for s in demo.faults.seen} == {"GET"}

    demo.faults.calm()
    at.chat_input[0].set_value("And now?").run()
    assert_clean(at)
    assert re.fullmatch(r"\d+ found.*", at.status[-1].label), at.status[-1].label


def test_a_confirmed_create_whose_answer_is_lost_is_reported_not_repeated(demo, monkeypatch):
    from ui.context import _BUILT

    note = "fault-test-chat-504"
    call = strict_call(
        "create_invoice",
        "w1",
        client_id=20000001,
        create_date="2020-02-02",
        notes=note,
        lines=[
            {
                "name": "Consulting",
                "description": None,
                "quantity": "2",
                "unit_cost": "150.00",
                "tax_name": None,
                "tax_percent": None,
            }
        ],
    )
    model = FakeChatModel([[call], ["FreshBooks did not confirm it; please check."]])
    monkeypatch.setattr(agent.model, "model_from_settings", lambda _settings: model)
    at = demo.session().run()
    at.switch_page("pages/chat.py").run()
    at.chat_input[0].set_value("Invoice Fernhill 2 hours at 150").run()
    demo.faults.forget()
    demo.faults.inject("html_504_after_write", method="POST", times=1)

    next(b for b in at.button if b.label == "Confirm").click().run()
    assert_clean(at)
    (warning,) = [w.value for w in at.warning]
    assert "may already have been created" in warning
    assert not [b for b in at.button if b.label == "Confirm"]  # no card to click again
    assert len(demo.faults.requests("POST")) == 1

    runtime = _BUILT[-1]
    fb = runtime.client("local")
    books = fb.business(fb.identity().businesses[0])
    made = [i for i in books.invoices.list(customerid=20000001) if i.notes == note]
    assert len(made) == 1  # made once: found, not lost, not repeated
    assert f"id {made[0].id}" in warning

    at.switch_page("pages/audit.py").run()
    assert_clean(at)
    rows = at.dataframe[0].value
    assert list(rows["Outcome"])[:1] == ["unconfirmed"]
    assert str(made[0].id) in rows["FreshBooks ids"].iloc[0]


@pytest.mark.parametrize(
    ("path", "title"), [("pages/audit.py", "Audit log"), ("pages/settings.py", "Settings")]
)
def test_pages_that_need_nothing_from_freshbooks_keep_working_in_an_outage(demo, path, title):
    at = demo.session().run()
    demo.faults.forget()
    demo.faults.inject("connect_error")  # FreshBooks unreachable, every path
    at.switch_page(path).run()
    assert_clean(at)
    assert at.title[0].value == title
    assert not messages(at)
    assert not demo.faults.seen  # the page asked FreshBooks nothing
