"""Hosted mode in AppTest: an ``[auth]`` secrets file and simulated OIDC users (``at.user``)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from ..secret_scan import register_secret

ISSUER = "https://login.example.test"
ALICE: dict[str, Any] = {
    "is_logged_in": True,
    "iss": ISSUER,
    "sub": "alice-0001",
    "email": "alice@example.test",
    "email_verified": True,
    "name": "Alice Able",
    "provider": "default",
}
BOB: dict[str, Any] = {
    "is_logged_in": True,
    "iss": ISSUER,
    "sub": "bob-0002",
    "email": "bob@example.test",
    "email_verified": True,
    "name": "Bob Baker",
    "provider": "default",
}
LOGGED_OUT: dict[str, Any] = {"is_logged_in": False}


def write_auth_secrets(path: Path) -> dict[str, str]:
    """A secrets file whose ``[auth]`` table turns hosted mode on; returns that table.

    The provider is never contacted: ``st.login`` is not clicked through in these tests.
    """
    auth = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": f"cookie-{secrets.token_hex(16)}",
        "client_id": "copilot-hosted-test",
        "client_secret": f"oidc-{secrets.token_hex(16)}",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    body = "\n".join(f'{key} = "{value}"' for key, value in auth.items())
    path.write_text(f"[auth]\n{body}\n")
    register_secret(auth["cookie_secret"], "the [auth] cookie secret")
    register_secret(auth["client_secret"], "the [auth] OIDC client secret")
    return auth


def as_user(at: AppTest, user: dict[str, Any]) -> AppTest:
    """The session of ``user`` (what ``st.user`` reads), before ``run()``."""
    at.user = dict(user)
    return at
