"""A FreshBooks-compatible API server with its OAuth provider, backed by SQLite.

In-process (tests, demo mode)::

    from sandbox import SandboxConfig, create_app
    from sandbox.demo_token import issue_token

    app = create_app(SandboxConfig())          # demo data from sandbox.seed
    token = issue_token(app)                   # the demo user, signed in without a browser
    transport = httpx2.ASGITransport(app=app)

As a server: ``python -m sandbox --port 8700 --size small`` (see ``sandbox.config``).

Layout:

- ``config`` (the command line as a dataclass), ``server`` (uvicorn and the "listening" line),
  ``app`` (``create_app``: routes, middleware, state), ``loader`` (fills the books from demo
  data or an existing database) and ``demo_token`` (demo mode's token, minted in-process);
- ``api/``: the HTTP handlers, one module per API family or accounting resource;
- ``core/``: what they share: storage, in-memory books, tokens, wire formats, errors, faults;
- ``seed/``: the deterministic demo business (``from sandbox.seed import generate``).
"""

from __future__ import annotations

from sandbox.app import create_app
from sandbox.config import SandboxConfig

__all__ = ["SandboxConfig", "create_app"]
