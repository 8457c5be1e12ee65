"""A FreshBooks-compatible API server with its OAuth provider, backed by SQLite.

In-process (tests, demo mode)::

    from sandbox import SandboxConfig, create_app
    from sandbox.testing import auth_headers, issue_token

    app = create_app(SandboxConfig())          # demo data from sandbox.seed
    transport = httpx2.ASGITransport(app=app)

As a server: ``python -m sandbox --port 8700 --size small`` (see ``sandbox.config``).
"""

from __future__ import annotations

from sandbox.app import create_app
from sandbox.config import SandboxConfig

__all__ = ["SandboxConfig", "create_app"]
