"""AppTest fixtures: an isolated data folder per test, demo mode or a real OAuth app."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ..support.constants import APP, CONFIG_NAMES


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A fresh data folder (store, key, demo database) and no configuration from outside."""
    for name in CONFIG_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path))
    # A developer's own .streamlit/secrets.toml must not leak into the tests.
    monkeypatch.setenv("COPILOT_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    return tmp_path


@pytest.fixture
def app(data_dir):
    """A new browser session on the app (call ``.run()``); runtimes are closed afterwards."""
    from ui.context import close_runtimes

    def session() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        # The app also reads Streamlit's own secrets files (an [auth] table turns on hosted
        # mode): a developer's .streamlit/secrets.toml must not reach the tests either.
        at.secrets["copilot_tests"] = "isolated"
        return at

    yield session
    close_runtimes()


@pytest.fixture
def real_oauth(data_dir, sandbox_server, monkeypatch) -> str:
    """Configure a real OAuth app whose FreshBooks is a loopback sandbox server."""
    monkeypatch.setenv("FRESHBOOKS_CLIENT_ID", "sandbox-client")
    monkeypatch.setenv("FRESHBOOKS_CLIENT_SECRET", "sandbox-secret")
    monkeypatch.setenv("FRESHBOOKS_REDIRECT_URI", "http://127.0.0.1:8501/")
    monkeypatch.setenv("FRESHBOOKS_API_URL", sandbox_server)
    monkeypatch.setenv("FRESHBOOKS_AUTH_URL", sandbox_server)
    return sandbox_server
