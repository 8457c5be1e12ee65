"""The OAuth callback on the app's own URL: a good, a forged, a replayed and an expired state."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from fbclient import OAuthFlow, OAuthSettings, ReauthorizationRequired
from store.crypto import Cipher
from store.db import make_engine, make_sessions
from store.oauth_states import StateStore
from store.schema import utcnow
from store.tokens import DatabaseTokenStore
from ui import keys

from ..support.sandbox_oauth import approve


def start_connect(app) -> tuple[str, str]:
    """Open the app, read the Connect link, approve on the sandbox: (code, state)."""
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Connect FreshBooks"
    url = at.session_state[keys.AUTHORIZE_URL]
    state = parse_qs(urlparse(url).query)["state"][0]
    return approve(url), state


def come_back(app, **params):
    """A new session, as the browser opens the redirect URI with these query parameters."""
    at = app()
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def texts(at) -> str:
    return " ".join(
        str(e.value)
        for kind in ("error", "success", "markdown", "title", "caption")
        for e in getattr(at, kind)
    )


def test_good_state_connects_and_clears_the_url(app, real_oauth):
    code, state = start_connect(app)
    at = come_back(app, code=code, state=state)
    assert not at.exception
    assert [s.value for s in at.success] == ["FreshBooks is connected."]
    assert dict(at.query_params) == {}
    assert at.title[0].value == "Overview"
    assert code not in texts(at)


def test_replayed_state_is_refused(app, real_oauth):
    code, state = start_connect(app)
    assert not come_back(app, code=code, state=state).error
    replay = come_back(app, code=code, state=state)
    assert not replay.exception
    assert "already used" in replay.error[0].value
    assert dict(replay.query_params) == {}


def test_forged_state_is_refused(app, real_oauth):
    code, _ = start_connect(app)
    at = come_back(app, code=code, state="forged-by-someone")
    assert not at.exception
    assert "not started here" in at.error[0].value
    assert at.title[0].value == "Connect FreshBooks"


def test_expired_state_is_refused(app, real_oauth, data_dir):
    code, _ = start_connect(app)
    states = StateStore(make_sessions(make_engine(f"sqlite:///{data_dir / 'copilot.db'}")))
    old = states.issue("local", now=utcnow() - timedelta(minutes=11))
    at = come_back(app, code=code, state=old)
    assert not at.exception
    assert "expired" in at.error[0].value


def test_declined_access_is_explained(app, real_oauth):
    at = app().run()
    state = parse_qs(urlparse(at.session_state[keys.AUTHORIZE_URL]).query)["state"][0]
    back = come_back(app, error="access_denied", state=state)
    assert "declined" in back.error[0].value


def stored_token(data_dir):
    engine = make_engine(f"sqlite:///{data_dir / 'copilot.db'}")
    key = (data_dir / "secret.key").read_text()
    return DatabaseTokenStore(engine, make_sessions(engine), Cipher(key), "local").load()


def test_pasted_address_connects_then_disconnect_revokes(app, real_oauth, data_dir):
    code, state = start_connect(app)
    at = app().run()
    at.text_input[0].input(f"https://127.0.0.1:8501/?code={code}&state={state}").run()
    at.button[0].click().run()  # "Finish connecting"
    assert not at.exception
    assert not at.error
    # AppTest reruns only the page after st.rerun(); a new session shows the connected app.
    connected = app().run()
    assert connected.title[0].value == "Overview"
    connected.switch_page("pages/settings.py").run()
    assert "Connected as" in texts(connected)
    token = stored_token(data_dir)
    assert token is not None
    assert token.access_token not in texts(connected)  # never rendered
    disconnect = next(b for b in connected.button if b.label == "Disconnect FreshBooks")
    disconnect.click().run()
    assert not connected.exception
    assert stored_token(data_dir) is None
    flow = OAuthFlow(
        OAuthSettings(
            "sandbox-client", "sandbox-secret", "http://127.0.0.1:8501/", api_url=real_oauth
        )
    )
    with pytest.raises(ReauthorizationRequired):
        flow.refresh(token.refresh_token)  # revoked at FreshBooks, not just forgotten here
    assert app().run().title[0].value == "Connect FreshBooks"
