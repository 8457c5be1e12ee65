"""Two people on one hosted server, connected to two FreshBooks accounts, never see each
other's books, chats or audit log; a visitor who is not logged in sees none of it.

Both sessions share the process-wide runtime (store, clients, caches), as two browser tabs of
two people share one Streamlit server. The checks read everything each page rendered
(tables included), so they hold whatever layer serves the data: FreshBooks, a cache or a
local mirror.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from agent.audit import StoreAudit
from agent.history import ChatHistory
from agent.loop import Conversation
from store.db import make_engine, make_sessions
from tests.support.sandbox import LiveServer
from ui import keys
from ui.login import owner_key

from ..support.apptest_text import rendered_text
from ..support.hosted_auth import ALICE, BOB, LOGGED_OUT, as_user, write_auth_secrets
from ..support.sandbox_oauth import CLIENT_ID, CLIENT_SECRET, REDIRECT, approve
from ..support.two_accounts import Account, Dispatcher, alpha_account, zephyr_account

ROOT = Path(__file__).resolve().parents[2]
PAGES = (
    "pages/invoices.py",
    "pages/expenses.py",
    "pages/time.py",
    "pages/clients_projects.py",
    "pages/chat.py",
    "pages/audit.py",
    "pages/settings.py",
)


@dataclass
class Person:
    """A logged-in user, the FreshBooks account they connect, and what only they wrote."""

    user: dict
    account: Account
    chat_marker: str
    audit_marker: str

    @property
    def owner(self) -> str:
        key = owner_key(self.user)
        assert key is not None
        return key

    @property
    def markers(self) -> list[str]:
        return [*self.account.markers, self.chat_marker, self.audit_marker]


@dataclass
class Server:
    """The hosted app's configuration: two accounts behind one FreshBooks origin."""

    dispatcher: Dispatcher
    alice: Person
    bob: Person


@pytest.fixture
def server(data_dir, monkeypatch) -> Iterator[Server]:
    secrets_file = data_dir / "hosted-secrets.toml"
    write_auth_secrets(secrets_file)
    alpha, zephyr = alpha_account(), zephyr_account()
    # The accounts are told apart by names and numbers only one of them holds.
    for one, other in ((alpha, zephyr), (zephyr, alpha)):
        assert not [m for m in one.markers if m in other.data_json]
    dispatcher = Dispatcher([alpha, zephyr])
    try:
        with LiveServer(dispatcher) as live:  # type: ignore[arg-type]  # a Dispatcher stands in for the app
            for name, value in {
                "COPILOT_SECRETS_FILE": str(secrets_file),
                "FRESHBOOKS_CLIENT_ID": CLIENT_ID,
                "FRESHBOOKS_CLIENT_SECRET": CLIENT_SECRET,
                "FRESHBOOKS_REDIRECT_URI": REDIRECT,
                "FRESHBOOKS_API_URL": live.url,
                "FRESHBOOKS_AUTH_URL": live.url,
                # The Chat page needs a model to show the history; no turn is sent.
                "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
            }.items():
                monkeypatch.setenv(name, value)
            yield Server(
                dispatcher,
                Person(ALICE, alpha, "Alice asked about the Kestrel retainer", "alice-audit-7f3"),
                Person(BOB, zephyr, "Bob asked about the Zephyr quarry bill", "bob-audit-9c1"),
            )
    finally:
        alpha.close()
        zephyr.close()


def connect(app, server: Server, person: Person) -> AppTest:
    """Connect FreshBooks as ``person``: their consent, on their own account."""
    at = as_user(app(), person.user).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Connect FreshBooks"
    url = at.session_state[keys.AUTHORIZE_URL]
    server.dispatcher.consent_to = person.account.name
    code = approve(url)
    back = as_user(app(), person.user)
    back.query_params["code"] = code
    back.query_params["state"] = parse_qs(urlparse(url).query)["state"][0]
    back.run()
    assert not back.exception, back.exception
    assert [s.value for s in back.success] == ["FreshBooks is connected."]
    assert back.title[0].value == "Overview"
    return back


def plant_history(data_dir, person: Person, other: Person) -> None:
    """A chat and an audit entry of ``person``'s, on their account and on ``other``'s.

    The entry on the other's account key proves that rows are kept apart by user, not only
    by FreshBooks account.
    """
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    sessions = make_sessions(engine)
    try:
        for account in (person.account, other.account):
            key = account.account_id
            convo = Conversation()
            convo.messages.append({"role": "user", "content": person.chat_marker})
            convo.messages.append({"role": "assistant", "content": f"{person.chat_marker}: ok"})
            ChatHistory(sessions, person.owner, key).save(convo)
            StoreAudit(sessions, person.owner, key).record(
                "create_invoice", {"note": person.audit_marker}, {"invoice": 1}, "ok",
                person.audit_marker,
            )  # fmt: skip
    finally:
        engine.dispose()


def render_everything(app, person: Person, server: Server) -> dict[str, str]:
    """Every page as ``person`` sees it: what each rendered, by page."""
    server.dispatcher.routed.clear()
    at = as_user(app(), person.user).run()
    assert not at.exception, at.exception
    seen = {"pages/overview.py": rendered_text(at)}
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
        seen[page] = rendered_text(at)
    # Every FreshBooks request of this session went to this person's own account.
    assert {name for name, _ in server.dispatcher.routed} == {person.account.name}
    return seen


def found(markers: list[str], pages: dict[str, str]) -> dict[str, list[str]]:
    return {page: [m for m in markers if m in text] for page, text in pages.items()}


def test_two_users_on_two_accounts_never_see_each_others_data(app, server, data_dir):
    alice, bob = server.alice, server.bob
    connect(app, server, alice)
    connect(app, server, bob)
    plant_history(data_dir, alice, bob)
    plant_history(data_dir, bob, alice)

    for me, other in ((alice, bob), (bob, alice)):
        pages = render_everything(app, me, server)
        everything = "\n".join(pages.values())
        # Each sees their own books, chat and audit log (the check below is not vacuous) ...
        assert me.account.user_name in pages["pages/settings.py"]
        assert [n for n in me.account.client_names if n in everything]
        assert [n for n in me.account.invoice_numbers if n in pages["pages/invoices.py"]]
        assert me.chat_marker in pages["pages/chat.py"]
        assert me.audit_marker in pages["pages/audit.py"]
        # ... and nothing of the other's, on any page.
        leaks = {page: hits for page, hits in found(other.markers, pages).items() if hits}
        assert leaks == {}, f"{me.user['name']} saw {other.user['name']}'s data"

    # Both connections are still there, each under its own user (no one replaced the other).
    for person in (alice, bob):
        at = as_user(app(), person.user).run()
        assert person.account.business_names[0] in rendered_text(at.sidebar)

    # A visitor who is not logged in sees only the login page: no one's data.
    visitor = as_user(app(), LOGGED_OUT).run()
    assert not visitor.exception
    assert [b.label for b in visitor.button] == ["Log in"]
    text = rendered_text(visitor)
    assert [m for m in alice.markers + bob.markers if m in text] == []
    for page in ("pages/invoices.py", "pages/chat.py", "pages/audit.py"):  # deep links
        visitor = as_user(AppTest.from_file(str(ROOT / page), default_timeout=60), LOGGED_OUT)
        visitor.run()
        assert not visitor.exception
        text = rendered_text(visitor)
        assert [m for m in alice.markers + bob.markers if m in text] == []
        assert [b.label for b in visitor.button] == ["Log in"]
