"""The Connect page with a real OAuth app whose FreshBooks (the loopback sandbox) misbehaves.

- The code exchange times out after FreshBooks took the code: a sentence, the exchange is not
  retried (the code is single-use), and a fresh link connects at the next attempt.
- A connected user whose FreshBooks does not answer is not sent to sign in again: the page says
  the account is connected and offers to try again; the next visit works.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx2
import pytest
from streamlit.testing.v1 import AppTest

import copilot.runtime
from copilot.connection import ConnectionService
from fbclient import FreshBooksClient, RetryPolicy, ServerError

from ..support.apptest_text import rendered_text
from ..support.constants import APP, CONFIG_NAMES
from ..support.faulty_transport import Faults, FaultyTransport
from ..support.sandbox_oauth import approve

TOKEN = r"^/auth/oauth/token"
IDENTITY = r"^/auth/api/v1/users/me"


@pytest.fixture
def connected_app(tmp_path, monkeypatch, sandbox_server) -> Iterator[Faults]:
    """A real OAuth configuration on the loopback sandbox, every request through the faults."""
    from ui.context import close_runtimes

    faults = Faults()
    wire = httpx2.HTTPTransport()

    class FaultyConnections(ConnectionService):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, transport=FaultyTransport(wire, faults), **kwargs)

        def client_for(self, owner: str) -> FreshBooksClient:
            fb = super().client_for(owner)
            fb.http._sleep = faults.sleep  # retries are recorded, never slept
            return fb

    for name in CONFIG_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COPILOT_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("FRESHBOOKS_CLIENT_ID", "sandbox-client")
    monkeypatch.setenv("FRESHBOOKS_CLIENT_SECRET", "sandbox-secret")
    monkeypatch.setenv("FRESHBOOKS_REDIRECT_URI", "http://127.0.0.1:8501/")
    monkeypatch.setenv("FRESHBOOKS_API_URL", sandbox_server)
    monkeypatch.setenv("FRESHBOOKS_AUTH_URL", sandbox_server)
    monkeypatch.setattr(copilot.runtime, "ConnectionService", FaultyConnections)
    yield faults
    close_runtimes()
    wire.close()


def session() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def paste_back(at: AppTest, code: str, state: str) -> AppTest:
    """Paste the address FreshBooks sent the browser to, and click Finish connecting."""
    at.text_input(key="paste_address").set_value(
        f"https://localhost:8501/?code={code}&state={state}"
    ).run()
    return at.button(key="finish_connecting").click().run()


def link_state(at: AppTest) -> tuple[str, str]:
    """The Connect link and its state."""
    url = next(b.proto.url for b in at.get("link_button") if b.proto.label == "Connect FreshBooks")
    return url, parse_qs(urlparse(url).query)["state"][0]


def connect(at: AppTest) -> None:
    url, state = link_state(at)
    paste_back(at, approve(url), state)
    assert not at.error, [e.value for e in at.error]


def test_a_code_exchange_that_times_out_is_not_retried_and_a_new_link_works(connected_app):
    faults = connected_app
    at = session().run()
    assert at.title[0].value == "Connect FreshBooks"
    url, state = link_state(at)
    code = approve(url)
    faults.inject("timeout_after", method="POST", path=TOKEN)  # FreshBooks took the code

    paste_back(at, code, state)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "FreshBooks could not finish the sign-in just now, so FreshBooks is not "
        "connected. Click Connect FreshBooks to try again."
    ]
    assert "Traceback" not in rendered_text(at)
    assert len(faults.requests("POST", TOKEN)) == 1  # a single-use code is never sent twice
    fresh_url, fresh_state = link_state(at)
    assert fresh_state != state  # the spent link is replaced

    faults.calm()
    paste_back(at, approve(fresh_url), fresh_state)
    assert not at.error
    assert session().run().title[0].value == "Overview"


def test_a_connected_user_whose_freshbooks_is_down_is_not_asked_to_sign_in(connected_app):
    faults = connected_app
    connect(session().run())
    faults.forget()
    faults.inject("html_502", path=IDENTITY)

    at = session().run()
    assert not at.exception
    assert at.title[0].value == "Connect FreshBooks"
    assert ServerError("x").user_message in [e.value for e in at.error]
    assert "Your FreshBooks account is connected" in at.info[0].value
    assert at.button(key="connect-retry")
    assert len(faults.requests("GET", IDENTITY)) == RetryPolicy().max_attempts
    assert not faults.requests("POST")  # no token request: nothing to reauthorize

    faults.calm()
    back = session().run()
    assert not back.exception
    assert back.title[0].value == "Overview"
    assert not back.error
