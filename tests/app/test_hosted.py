"""Hosted mode: with ``[auth]`` configured nobody sees anything before ``st.login``, and each
logged-in user is their own owner; without it the app stays a single-user install."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from store.crypto import Cipher, load_or_create_key
from store.db import make_engine, make_sessions
from store.tokens import DatabaseTokenStore
from ui import keys
from ui.context import LOCAL_OWNER, owner
from ui.login import LoginRequired, owner_key

from ..support.apptest_text import rendered_text
from ..support.hosted_auth import ALICE, BOB, LOGGED_OUT, as_user, write_auth_secrets
from ..support.sandbox_oauth import approve

PAGES = Path(__file__).resolve().parents[2] / "pages"


@pytest.fixture
def hosted(data_dir, monkeypatch) -> dict[str, str]:
    """An ``[auth]`` table in the app's secrets file (demo mode otherwise)."""
    secrets_file = data_dir / "hosted-secrets.toml"
    auth = write_auth_secrets(secrets_file)
    monkeypatch.setenv("COPILOT_SECRETS_FILE", str(secrets_file))
    return auth


def built_runtimes() -> int:
    from ui.context import _BUILT

    return len(_BUILT)


def assert_login_page_only(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["FreshBooks Copilot"]
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.metric
    assert not at.dataframe
    assert not at.selectbox
    assert not rendered_text(at.sidebar).strip()  # nothing in the sidebar
    text = rendered_text(at)
    for absent in ("Demo data", "Connect FreshBooks", "Overview", "Harbor & Pine"):
        assert absent not in text


# --- the owner key ---------------------------------------------------------------------------


def test_owner_key_is_stable_per_issuer_and_subject():
    first = owner_key(ALICE)
    assert first is not None
    assert first == owner_key(dict(ALICE, name="Alice Renamed", email="new@example.test"))
    assert first.startswith("oidc:")
    assert first != LOCAL_OWNER
    assert first != owner_key(BOB)
    assert first != owner_key(dict(ALICE, iss="https://other-issuer.example.test"))
    assert "alice" not in first  # hashed: neither subject nor address in the store
    assert len(first) == len(owner_key(BOB)) <= 255  # fits the store's owner column


def test_owner_key_falls_back_to_a_verified_email():
    no_sub = {k: v for k, v in ALICE.items() if k != "sub"}
    by_email = owner_key(no_sub)
    assert by_email is not None
    assert by_email == owner_key(dict(no_sub, email="ALICE@example.test "))
    assert by_email != owner_key(ALICE)  # a subject and an email never collide
    assert owner_key(dict(no_sub, email_verified=False)) is None
    assert owner_key({"is_logged_in": True, "iss": "x"}) is None  # names nobody


def test_owner_key_needs_a_login():
    assert owner_key(LOGGED_OUT) is None
    assert owner_key({k: v for k, v in ALICE.items() if k != "is_logged_in"}) is None
    assert owner_key(dict(ALICE, is_logged_in="true")) is None  # only Streamlit's own True


def test_without_auth_the_owner_is_local(data_dir):
    assert owner() == LOCAL_OWNER


def test_with_auth_and_nobody_logged_in_there_is_no_owner(hosted):
    with pytest.raises(LoginRequired):
        owner()  # never "local": that would share one connection between all visitors


# --- the login page --------------------------------------------------------------------------


def test_logged_out_visitor_sees_only_the_log_in_page(app, hosted):
    before = built_runtimes()
    at = as_user(app(), LOGGED_OUT).run()
    assert_login_page_only(at)
    assert built_runtimes() == before  # no store, no demo sandbox: nothing was even started


@pytest.mark.parametrize("script", ["invoices.py", "chat.py", "settings.py", "connect.py"])
def test_a_page_opened_directly_shows_the_log_in_page(app, hosted, script):
    # A deep link (or a page run on its own) goes through the same gate.
    before = built_runtimes()
    at = as_user(AppTest.from_file(str(PAGES / script), default_timeout=60), LOGGED_OUT).run()
    assert_login_page_only(at)
    assert built_runtimes() == before


def test_a_freshbooks_code_in_the_address_is_dropped_on_the_log_in_page(app, hosted):
    at = as_user(app(), LOGGED_OUT)
    at.query_params["code"] = "a-code-for-nobody"
    at.query_params["state"] = "some-state"
    at.run()
    assert_login_page_only(at)
    assert dict(at.query_params) == {}


def test_log_in_calls_st_login(app, hosted, monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(st, "login", lambda *args: calls.append(args))
    at = as_user(app(), LOGGED_OUT).run()
    at.button(key="login-default").click().run()
    assert not at.exception
    assert calls == [()]  # the default provider of the [auth] table


def test_auth_in_streamlits_own_secrets_is_enough_and_names_providers(app, monkeypatch):
    # No [auth] in the app's secrets file, but Streamlit has one: login is required (st.login
    # works from Streamlit's), with a button per named provider.
    calls: list[tuple] = []
    monkeypatch.setattr(st, "login", lambda *args: calls.append(args))
    at = app()
    at.secrets["auth"] = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "not-a-real-cookie-secret",
        "google": {"client_id": "g", "server_metadata_url": "http://127.0.0.1:9/g"},
        "okta": {"client_id": "o", "server_metadata_url": "http://127.0.0.1:9/o"},
    }
    as_user(at, LOGGED_OUT).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in with Google", "Log in with Okta"]
    assert not at.metric
    at.button(key="login-okta").click().run()
    assert calls == [("okta",)]


def test_a_login_that_names_nobody_is_refused(app, hosted):
    at = as_user(app(), {"is_logged_in": True, "iss": "https://login.example.test"}).run()
    assert not at.exception
    assert "did not say who you are" in at.error[0].value
    assert [b.label for b in at.button] == ["Log out"]
    assert not at.metric


# --- logged in -------------------------------------------------------------------------------


def test_logged_in_user_gets_the_demo_and_a_log_out_button(app, hosted):
    at = as_user(app(), ALICE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Overview"
    assert at.metric  # the shared demo business: every user sees it
    sidebar = rendered_text(at.sidebar)
    assert "Demo data" in sidebar
    assert "Logged in as Alice Able" in sidebar
    assert at.session_state[keys.OWNER] == owner_key(ALICE)
    # The timer widget's Start, then Log out.
    assert [b.label for b in at.sidebar.button] == ["Start", "Log out"]


def _logout_script() -> None:
    from ui.login import logout_button

    logout_button()


def test_log_out_ends_the_login(app, hosted):
    # AppTest reruns only the page script after a first run, so app.py's sidebar button is
    # clicked here in a script of its own.
    at = as_user(AppTest.from_function(_logout_script), ALICE).run()
    at.button(key="logout").click().run()
    assert not at.exception
    assert at.user == {"is_logged_in": False}  # st.logout ended the login
    assert_login_page_only(as_user(app(), at.user).run())


def test_without_auth_there_is_no_log_out_button(app):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "logout" not in [b.key for b in at.sidebar.button]


def test_demo_settings_say_the_demo_is_shared(app, hosted):
    at = as_user(app(), BOB).run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    assert any("Everyone who logs in sees this same demo" in c.value for c in at.caption)


def test_a_session_whose_user_changes_forgets_everything(app, hosted):
    at = as_user(app(), ALICE).run()
    assert keys.IDENTITY in at.session_state
    at.session_state["inv-client"] = ["Kestrel Analytics"]  # a filter holding Alice's names
    as_user(at, BOB).run()
    assert not at.exception
    assert at.session_state[keys.OWNER] == owner_key(BOB)
    assert "inv-client" not in at.session_state


# --- connecting FreshBooks in hosted mode ----------------------------------------------------


def stored_token(data_dir: Path, who: str):
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    try:
        cipher = Cipher(load_or_create_key(None, data_dir))
        return DatabaseTokenStore(engine, make_sessions(engine), cipher, who).load()
    finally:
        engine.dispose()


def test_a_connect_link_started_by_another_user_is_refused(app, hosted, real_oauth, data_dir):
    started = as_user(app(), ALICE).run()
    assert started.title[0].value == "Connect FreshBooks"
    url = started.session_state[keys.AUTHORIZE_URL]
    state = parse_qs(urlparse(url).query)["state"][0]
    code = approve(url)
    # Bob's browser comes back with Alice's code and state (a link Alice sent him, say).
    at = as_user(app(), BOB)
    at.query_params["code"] = code
    at.query_params["state"] = state
    at.run()
    assert not at.exception
    assert "started by another user" in at.error[0].value
    assert dict(at.query_params) == {}
    assert at.title[0].value == "Connect FreshBooks"
    assert stored_token(data_dir, owner_key(BOB)) is None
    assert stored_token(data_dir, owner_key(ALICE)) is None  # the code was never exchanged
    assert stored_token(data_dir, LOCAL_OWNER) is None


def test_connecting_stores_the_tokens_under_the_logged_in_user(app, hosted, real_oauth, data_dir):
    started = as_user(app(), ALICE).run()
    url = started.session_state[keys.AUTHORIZE_URL]
    state = parse_qs(urlparse(url).query)["state"][0]
    code = approve(url)
    at = as_user(app(), ALICE)
    at.query_params["code"] = code
    at.query_params["state"] = state
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["FreshBooks is connected."]
    assert at.title[0].value == "Overview"
    assert stored_token(data_dir, owner_key(ALICE)) is not None
    assert stored_token(data_dir, LOCAL_OWNER) is None
    # Bob shares the server, not the connection: he is asked to connect his own account.
    bob = as_user(app(), BOB).run()
    assert bob.title[0].value == "Connect FreshBooks"
    assert not bob.metric
