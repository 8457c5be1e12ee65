"""One assistant session's place in the books: whose they are, which business, which client.

The owner comes from the transport (stdio: the local install's owner; HTTP: the owner of the
bearer token), so each assistant reaches only its owner's books. The business starts as the
one last chosen in the app, else the first with accounting, as the app does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from agent.audit import StoreAudit
from agent.tool import Tool, ToolContext, ToolRegistry
from copilot.chat import tool_context
from copilot.context import AppContext, pick_business
from copilot.runtime import Runtime
from fbclient.identity import Identity

__all__ = ["LOCAL_OWNER", "Desk", "NotConnected"]

LOCAL_OWNER = "local"  # the owner of a single-user install, as the app names it


class NotConnected(Exception):
    """The owner has no FreshBooks connection (or it has no business)."""

    user_message = (
        "FreshBooks is not connected for this account: open FreshBooks Copilot, connect "
        "FreshBooks, then try again."
    )


@dataclass
class Desk:
    """A session's owner and business; the FreshBooks client is the runtime's, per owner."""

    runtime: Runtime
    owner: str
    client_name: str
    read_only: bool = False
    business_id: int | None = None
    _identity: Identity | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def context(self) -> AppContext:
        """The connected context for the session's business (raises :class:`NotConnected`)."""
        fb = self.runtime.client(self.owner)
        if fb is None:
            raise NotConnected(self.owner)
        with self._lock:
            if self._identity is None:
                self._identity = fb.identity()
            identity = self._identity
        if not identity.businesses:
            raise NotConnected(self.owner)
        chosen = self.business_id
        if chosen is None and self.runtime.connections is not None:
            chosen = self.runtime.connections.chosen_business(self.owner)
        business = pick_business(identity, chosen)
        self.business_id = business.business_id
        return AppContext(
            owner=self.owner,
            demo=self.runtime.demo is not None,
            fb=fb,
            identity=identity,
            business=business,
        )

    def writes_allowed(self, ctx: AppContext) -> bool:
        """Not in read-only mode, and the person's role in the business can write."""
        return not self.read_only and ctx.business.can_write

    def tools(self, registry: ToolRegistry, ctx: AppContext) -> list[Tool[Any]]:
        """The registry's tools this session offers: as the chat, none the connection's
        OAuth grant cannot use, and no writes where writes are not allowed."""
        return registry.available(read_only=not self.writes_allowed(ctx), grant=ctx.fb.grant())

    def tool_context(self, ctx: AppContext) -> ToolContext:
        """What the tools may use, with the business's clock read now."""
        return tool_context(self.runtime, ctx)

    def audit(self, ctx: AppContext) -> StoreAudit:
        """The app's audit log for this business, marked as written over MCP by this client."""
        return StoreAudit(
            self.runtime.sessions,
            self.owner,
            ctx.account_key,
            channel="mcp",
            client=self.client_name,
        )

    def businesses(self) -> dict[str, Any]:
        """The connection's businesses, and the session's."""
        ctx = self.context()
        return {
            "businesses": [
                {
                    "business_id": b.business_id,
                    "name": b.name,
                    "accounting": b.has_accounting,
                    "can_write": b.can_write,
                }
                for b in ctx.identity.businesses
            ],
            "current": ctx.business.business_id,
        }

    def choose(self, business_id: int) -> dict[str, Any]:
        """Switch the session to ``business_id`` (raises ``ValueError`` if not one of them)."""
        ctx = self.context()
        if not any(b.business_id == business_id for b in ctx.identity.businesses):
            raise ValueError(
                f"There is no business {business_id} on this connection; use list_businesses."
            )
        self.business_id = business_id
        now = self.context()
        return {"done": f"This session now works on {now.business.name}.", "current": business_id}
