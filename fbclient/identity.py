"""Who the user is and which businesses they can open (``/auth/api/v1/users/me``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from .errors import ResponseFormatError
from .http import HTTPClient
from .models._base import parse_model

__all__ = [
    "WRITE_ROLES",
    "Business",
    "Identity",
    "fetch_identity",
    "parse_identity",
    "zone_named",
]

# Roles that may change the books; others (employee, accountant...) mostly read.
# Which roles may write is not documented [?]: this set is our reading of the role names.
WRITE_ROLES = frozenset(
    {
        "owner",
        "admin",
        "manager",
        "business_manager",
        "business_partner",
        "systemless_owner",
        "systemless_manager",
    }
)


def zone_named(name: str | None) -> tzinfo:
    """The timezone of an IANA name; UTC when the name is missing or unknown.

    FreshBooks usually says a business's timezone; when it does not (or names one this
    machine's tz database lacks), UTC keeps every day and week computable.
    """
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


class Business(BaseModel):
    """One business the user belongs to, with the ids each API family needs.

    ``account_id`` (accounting paths) can be null: such a business has no accounting
    account, so only the project family (``business_id``) is usable for it.
    """

    model_config = ConfigDict(frozen=True)

    business_id: int
    business_uuid: str | None = None
    account_id: str | None = None
    name: str
    role: str
    membership_id: int | None = None
    timezone: str | None = None
    date_format: str | None = None

    @property
    def has_accounting(self) -> bool:
        """Whether invoices, clients, expenses... exist for this business."""
        return bool(self.account_id)

    @property
    def zone(self) -> tzinfo:
        """The business's timezone (UTC when FreshBooks gave none or an unknown one)."""
        return zone_named(self.timezone)

    def today(self, now: datetime) -> date:
        """The business's calendar day at ``now`` (an aware datetime)."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(self.zone).date()

    def now(self) -> datetime:
        """The current time in the business's timezone."""
        return datetime.now(self.zone)

    @property
    def can_write(self) -> bool:
        """Whether the user's role may change records (a notice is shown otherwise)."""
        return self.role in WRITE_ROLES


class Identity(BaseModel):
    """The signed-in FreshBooks user."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    identity_id: int
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    businesses: tuple[Business, ...] = Field(default=())

    @property
    def display_name(self) -> str:
        """First and last name, or the email."""
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or (self.email or f"user {self.identity_id}")


def _business(membership: Any) -> Business | None:
    if not isinstance(membership, dict) or not isinstance(membership.get("business"), dict):
        return None
    biz = membership["business"]
    # The membership's own "id" is NOT the business id (FreshBooks' identity docs warn of this).
    return parse_model(
        Business,
        {
            "business_id": biz.get("id"),
            "business_uuid": biz.get("business_uuid"),
            "account_id": biz.get("account_id") or None,
            "name": biz.get("name") or f"Business {biz.get('id')}",
            "role": membership.get("role") or "unknown",
            "membership_id": membership.get("id"),
            "timezone": biz.get("timezone"),
            "date_format": biz.get("date_format"),
        },
        "business",
    )


def parse_identity(body: Any) -> Identity:
    """Read the identity envelope (``{"response": {...}}``, no ``result`` level)."""
    me = body.get("response") if isinstance(body, dict) else None
    if not isinstance(me, dict):
        raise ResponseFormatError("FreshBooks answered the identity request without a user")
    memberships = me.get("business_memberships")
    if not isinstance(memberships, list):  # null or a malformed value: no businesses
        memberships = []
    businesses = tuple(b for b in (_business(m) for m in memberships) if b is not None)
    return parse_model(
        Identity,
        {
            "identity_id": me.get("identity_id") or me.get("id"),
            "first_name": me.get("first_name"),
            "last_name": me.get("last_name"),
            "email": me.get("email"),
            "businesses": businesses,
        },
        "identity",
    )


def fetch_identity(http: HTTPClient) -> Identity:
    """The current user and their businesses."""
    return parse_identity(http.request("GET", "/auth/api/v1/users/me"))
