"""The running sandbox: configuration, books and token store, shared by every handler."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sandbox.config import SandboxConfig
from sandbox.core.books import Books
from sandbox.core.faults import FaultState
from sandbox.core.tokens import TokenStore


@dataclass
class Sandbox:
    """Everything a request handler may need, reachable as `request.app.state.sandbox`."""

    config: SandboxConfig
    books: Books
    tokens: TokenStore
    faults: FaultState

    def now(self) -> dt.datetime:
        """The sandbox clock (aware UTC)."""
        moment = self.config.clock()
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def close(self) -> None:
        """Release the SQLite connection."""
        self.books.db.close()
