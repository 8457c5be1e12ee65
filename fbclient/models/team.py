"""Team members (``/auth/api/v1/businesses/{business_id}/team_members``)."""

from __future__ import annotations

from ..types import OptionalId, UTCDatetime
from ._base import FBModel

__all__ = ["TeamMember"]


class TeamMember(FBModel):
    """A person on the business's team, keyed by ``uuid`` (team members have no int id).

    ``identity_id`` is None for members without a FreshBooks login; time entries and project
    groups refer to people by that identity id.
    """

    uuid: str
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    job_title: str | None = None
    street_1: str | None = None
    street_2: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    postal_code: str | None = None
    phone_number: str | None = None
    business_id: int | None = None
    business_role_name: str | None = None  # e.g. business_employee, no_seat_employee
    active: bool = True
    identity_id: OptionalId = None
    invitation_date_accepted: UTCDatetime = None
    created_at: UTCDatetime = None
    updated_at: UTCDatetime = None

    @property
    def display_name(self) -> str:
        """First, middle and last name, else the email."""
        name = " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)
        return name or self.email or f"Team member {self.uuid}"
