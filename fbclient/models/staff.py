"""Staff (``users/staffs``): FreshBooks' deprecated list of people, still what expenses'
``staffid`` points at."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field, model_validator

from ..types import EasternDatetime, UTCDatetime
from ._base import FBModel, InputModel

__all__ = ["StaffMember", "StaffUpdate"]


class StaffMember(FBModel):
    """One staff member. Staff objects carry ``id``; ``userid`` and ``staffid`` twins are only
    used when ``id`` is missing (which twin FreshBooks sends is unverified [?])."""

    legacy_id: ClassVar[str | None] = "userid"

    id: int
    fname: str | None = None
    lname: str | None = None
    email: str | None = None
    display_name: str | None = None
    username: str | None = None
    note: str | None = None
    bus_phone: str | None = None
    mob_phone: str | None = None
    num_logins: int | None = None
    signup_date: UTCDatetime = None  # naive UTC like clients' signup_date
    last_login: EasternDatetime = None
    updated: EasternDatetime = None
    vis_state: int = 0

    @model_validator(mode="before")
    @classmethod
    def _fold_staffid(cls, data: Any) -> Any:
        # Fills id only when neither id nor userid came, so the order of the folds is moot.
        if isinstance(data, Mapping) and data.get("id") in (None, ""):
            staffid = data.get("staffid")
            if staffid not in (None, "") and data.get("userid") in (None, ""):
                data = {**data, "id": staffid}
        return data

    @property
    def full_name(self) -> str:
        """Display name, else first and last name, else the email."""
        person = " ".join(p for p in (self.fname, self.lname) if p)
        return self.display_name or person or self.email or f"Staff {self.id}"


class StaffUpdate(InputModel):
    """Fields to change on a staff member (staff cannot be created through the API)."""

    fname: str | None = Field(default=None, description="First name")
    lname: str | None = Field(default=None, description="Last name")
    email: str | None = Field(default=None, description="Email address")
    display_name: str | None = Field(default=None, description="Name shown in FreshBooks")
    note: str | None = Field(default=None, description="Private note")
    bus_phone: str | None = Field(default=None, description="Business phone")
    mob_phone: str | None = Field(default=None, description="Mobile phone")
