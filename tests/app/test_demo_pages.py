"""Every page in demo mode renders its numbers without an exception."""

from __future__ import annotations

import socket
import time

import pytest

from fbclient import Token
from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.tokens import DatabaseTokenStore
from ui import keys

PAGES = {
    "pages/invoices.py": "Invoices",
    "pages/forecast.py": "Forecast",
    "pages/chase.py": "Chase list",
    "pages/expenses.py": "Expenses",
    "pages/time.py": "Time",
    "pages/clients_projects.py": "Clients & projects",
    "pages/chat.py": "Chat",
    "pages/audit.py": "Audit log",
    "pages/settings.py": "Settings",
}


@pytest.fixture
def demo(app):
    at = app().run()
    assert not at.exception, at.exception
    return at


def test_overview_headlines(demo):
    assert demo.title[0].value == "Overview"
    labels = [m.label for m in demo.metric]
    for label in (
        "Outstanding",
        "Overdue",
        "Collected this month",
        "Collected this year",
        "Expenses this year",
        "Profit this year (cash basis)",
        "Unbilled hours",
        "Unbilled time value",
    ):
        assert label in labels
    outstanding = next(m for m in demo.metric if m.label == "Outstanding")
    assert outstanding.value.startswith("$")
    assert "Demo data" in demo.sidebar.markdown[0].value
    assert "Business" in [s.label for s in demo.sidebar.selectbox]


def test_overview_shows_recurring_revenue_per_currency_and_each_profile(demo):
    mrr = [m for m in demo.metric if m.label.startswith("Monthly recurring revenue (")]
    currencies = {m.label.removeprefix("Monthly recurring revenue (").rstrip(")") for m in mrr}
    assert len(currencies) >= 2  # retainers in more than one currency, never added up
    assert all(m.value and m.value != "—" for m in mrr)
    picker = next(s for s in demo.selectbox if s.label == "Recurring invoice")
    assert len(picker.options) >= 4
    picker.set_value(picker.options[-1]).run()
    assert not demo.exception
    assert any(c.value.startswith("Next invoices: ") for c in demo.caption)


def test_headline_shows_its_records(demo):
    picker = next(s for s in demo.selectbox if s.label == "Number")
    picker.set_value("overdue").run()
    assert not demo.exception
    caption = next(c.value for c in demo.caption if c.value.endswith("record(s)"))
    overdue = next(c.value for c in demo.caption if "overdue invoice(s)" in c.value)
    assert caption.split()[0] == overdue.split()[0]  # the table has as many rows as the count


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_every_page_renders(demo, path, title):
    demo.switch_page(path).run()
    assert not demo.exception, demo.exception
    assert demo.title[0].value == title
    assert not demo.error


def test_invoice_filters_and_lines(demo):
    demo.switch_page("pages/invoices.py").run()
    everything = demo.subheader[0].value
    demo.multiselect(key="inv-status").set_value(["Overdue"]).run()
    assert not demo.exception
    assert demo.subheader[0].value != everything
    assert int(demo.subheader[0].value.split()[0]) > 0
    assert len(demo.dataframe) >= 2  # the list and the lines of the first invoice


def test_switching_business_changes_the_numbers(demo):
    before = next(m.value for m in demo.metric if m.label == "Outstanding")
    switcher = demo.sidebar.selectbox[0]
    other = next(o for o in switcher.options if "Consulting" in o or o != switcher.value)
    switcher.select(other).run()
    demo.run()
    assert not demo.exception
    after = [m.value for m in demo.metric if m.label == "Outstanding"]
    assert after != [before]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_freshbooks_is_a_sentence_not_a_traceback(app, data_dir, monkeypatch):
    dead = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("FRESHBOOKS_CLIENT_ID", "cid")
    monkeypatch.setenv("FRESHBOOKS_CLIENT_SECRET", "secret")
    monkeypatch.setenv("FRESHBOOKS_API_URL", dead)
    monkeypatch.setenv("FRESHBOOKS_AUTH_URL", dead)
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    store = DatabaseTokenStore(
        engine, make_sessions(engine), Cipher(load_or_create_key(None, data_dir)), "local"
    )
    store.save(Token(access_token="a", refresh_token="r", expires_at=time.time() + 3600))
    engine.dispose()
    at = app().run()
    assert not at.exception
    assert "could not be reached" in at.error[0].value


def test_business_without_accounting_and_read_only_role(demo, app):
    identity = demo.session_state[keys.IDENTITY]
    employee = next(b for b in identity.businesses if b.role == "business_employee")
    assert not employee.has_accounting
    at = app()
    at.session_state[keys.BUSINESS_ID] = employee.business_id  # as if switched in the sidebar
    at.run()
    assert not at.exception
    notices = " ".join(c.value for c in at.sidebar.caption)
    assert "can read but not change" in notices
    assert at.title[0].value == "Overview"
    assert not at.error


def test_revoked_connection_offers_to_reconnect(app, data_dir, real_oauth):
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    store = DatabaseTokenStore(
        engine, make_sessions(engine), Cipher(load_or_create_key(None, data_dir)), "local"
    )
    store.save(
        Token(
            access_token="expired", refresh_token="revoked-elsewhere", expires_at=time.time() - 60
        )
    )
    engine.dispose()
    at = app().run()
    assert not at.exception
    assert "reconnect" in at.error[0].value.lower()
    assert at.title[0].value == "Connect FreshBooks"
