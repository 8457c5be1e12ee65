"""Who is looking at which FreshBooks business: the context every service is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fbclient import BusinessClient, FreshBooksClient
from fbclient.identity import Business, Identity

__all__ = ["AppContext", "OwnerKey", "pick_business", "today_for"]

# (app user, FreshBooks identity, business): whose data a cached value is.
OwnerKey = tuple[str, int, int]


@dataclass
class AppContext:
    """A connected session: the client, the user, and the business being looked at."""

    owner: str
    demo: bool
    fb: FreshBooksClient
    identity: Identity
    business: Business

    @property
    def books(self) -> BusinessClient:
        """The chosen business's resources."""
        return self.fb.business(self.business)

    @property
    def account_key(self) -> str:
        """What chat history and the audit log are stored under: the accounting id, else
        the business id (a business without accounting has no accounting id)."""
        return self.business.account_id or str(self.business.business_id)

    @property
    def cache_key(self) -> OwnerKey:
        """Whose data this is: owner, FreshBooks identity, business."""
        return (self.owner, self.identity.identity_id, self.business.business_id)


def today_for(ctx: AppContext) -> datetime:
    """Now in the business's timezone (UTC when FreshBooks did not say, or named an unknown one)."""
    return ctx.business.now()


def pick_business(identity: Identity, chosen: int | None) -> Business:
    """The business ``chosen`` (a business id) when the identity has it, else the first with
    accounting, else the first. The identity must have at least one business."""
    return next(
        (b for b in identity.businesses if b.business_id == chosen),
        next((b for b in identity.businesses if b.has_accounting), identity.businesses[0]),
    )
