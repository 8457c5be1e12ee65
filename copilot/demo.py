"""Demo mode: the sandbox in this process, with a token minted for the demo user.

No account and no keys: the app connects at once to a seeded demo business. The sandbox's
SQLite file lives in the data folder, so changes survive a restart until the demo is reset.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fbclient import (
    FreshBooksClient,
    MemoryTokenStore,
    OAuthFlow,
    OAuthSettings,
    Token,
    TokenManager,
)
from fbclient.asgi import InProcessTransport

__all__ = ["DEMO_API_URL", "DemoSandbox"]

DEMO_API_URL = "http://sandbox.demo"
_CLIENT_ID = "sandbox-client"
_CLIENT_SECRET = "sandbox-secret"


class DemoSandbox:
    """One in-process sandbox shared by the sessions of this server."""

    def __init__(self, db_path: Path | None, *, seed: int = 7, size: str = "small") -> None:
        self._db_path = db_path
        self._seed = seed
        self._size = size
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        from sandbox.app import create_app  # imported here: only demo mode needs the sandbox
        from sandbox.config import SandboxConfig
        from sandbox.demo_token import issue_token

        self.app = create_app(
            SandboxConfig(
                seed=self._seed,
                size=self._size,  # type: ignore[arg-type]  # a str: SandboxConfig refuses an unknown size
                db=str(self._db_path) if self._db_path else None,
            )
        )
        self.transport = InProcessTransport(self.app)
        self.flow = OAuthFlow(
            OAuthSettings(
                client_id=_CLIENT_ID,
                client_secret=_CLIENT_SECRET,
                redirect_uri="http://localhost:8501/",
                api_url=DEMO_API_URL,
                auth_url=DEMO_API_URL,
            ),
            transport=self.transport,
        )
        token = Token.from_response(issue_token(self.app))
        # Refresh goes through the sandbox's real token endpoint, like a real connection.
        self.tokens = TokenManager(MemoryTokenStore(token), refresh=self.flow.refresh)
        self.generation = getattr(self, "generation", 0) + 1

    def client(self) -> FreshBooksClient:
        """A client connected to the demo business."""
        return FreshBooksClient(self.tokens, api_url=DEMO_API_URL, transport=self.transport)

    def reset(self) -> None:
        """Throw the demo data away and seed it afresh."""
        with self._lock:
            self.close()
            if self._db_path is not None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self._db_path}{suffix}").unlink(missing_ok=True)
            self._start()

    def close(self) -> None:
        """Stop the in-process server."""
        self.transport.shutdown()
        self.app.state.sandbox.close()
