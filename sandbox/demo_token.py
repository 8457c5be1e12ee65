"""A token for demo mode: the app's own sandbox signs the demo user in, without a browser.

Tokens are minted by the same store the OAuth flow uses, so they expire, refresh (single-use,
rotated) and revoke exactly like tokens obtained through `/oauth/authorize`::

    app = create_app(SandboxConfig())
    token = issue_token(app)                      # all registered scopes
    narrow = issue_token(app, ["user:profile:read"])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.applications import Starlette

from sandbox.core.state import Sandbox


def issue_token(app: Starlette, scopes: Iterable[str] | None = None) -> dict[str, Any]:
    """Mint a token pair as the token endpoint would; returns the token response body.

    `app` is one made by `create_app`. `scopes=None` grants the app's registered scopes (every
    scope the sandbox knows unless `--scopes` says otherwise): what an authorize request
    without `scope` gets.
    """
    box: Sandbox = app.state.sandbox
    wanted = tuple(scopes) if scopes is not None else box.config.registered_scopes
    return box.tokens.issue(box.config.client_id, wanted)
