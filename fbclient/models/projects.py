"""Projects (``/projects/business/{business_id}/...``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator

from ..types import DecimalText, FlexibleDate, OptionalDecimal, OptionalId, UTCDatetime
from ._base import FBModel, InputModel, none_as_empty_list
from .services import Service

__all__ = [
    "BillingMethod",
    "Project",
    "ProjectAbility",
    "ProjectGroup",
    "ProjectGroupMember",
    "ProjectInput",
    "ProjectSort",
    "ProjectType",
]

BillingMethod = Literal["business_rate", "project_rate", "service_rate", "team_member_rate"]
ProjectType = Literal["fixed_price", "hourly_rate"]
ProjectSort = Literal["created_at", "due_date", "title"]


class ProjectAbility(FBModel):
    """One permission flag FreshBooks reports beside a project, e.g. ``can_edit``."""

    name: str
    value: Any = None


class ProjectGroupMember(FBModel):
    """A person on the project's team."""

    id: int | None = None
    identity_id: OptionalId = None
    role: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    company: str | None = None
    active: bool | None = None


class ProjectGroup(FBModel):
    """The project's team (single-project answers only; lists carry ``group_id``)."""

    id: int | None = None
    members: list[ProjectGroupMember] = Field(default_factory=list)
    pending_invitations: list[Any] = Field(default_factory=list)


class Project(FBModel):
    """A project. Projects have no vis_state: they use ``active`` and ``complete``.

    ``abilities`` is filled from the sibling ``abilities`` list of a single-project answer.
    Read-side enums (billing_method, project_type, billed_status) stay plain strings so a
    value FreshBooks adds later does not break reading.
    """

    id: int
    title: str | None = None
    description: str | None = None
    due_date: FlexibleDate = None
    client_id: OptionalId = None
    internal: bool | None = None
    # Units unverified: the SDK fixture's 21600 reads as minutes or seconds [?].
    budget: int | None = None
    fixed_price: OptionalDecimal = None
    rate: OptionalDecimal = None
    billing_method: str | None = None
    project_type: str | None = None
    project_manager_id: OptionalId = None
    active: bool = True
    complete: bool = False
    sample: bool | None = None
    created_at: UTCDatetime = None  # ISO without Z, meaning UTC
    updated_at: UTCDatetime = None
    logged_duration: int | None = None  # seconds; null unless include_logged_duration
    services: list[Service] = Field(default_factory=list)
    billed_amount: OptionalDecimal = None
    billed_status: str | None = None  # billed | partially_billed | unbilled
    retainer_id: OptionalId = None
    expense_markup: OptionalDecimal = None
    group_id: OptionalId = None
    group: ProjectGroup | None = None
    abilities: list[ProjectAbility] = Field(default_factory=list)

    @field_validator("services", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return none_as_empty_list(value)

    @field_validator("abilities", mode="before")
    @classmethod
    def _abilities(cls, value: Any) -> Any:
        if value is None:
            return []
        # Documented as [{"name", "value"}]; a {"name": value} mapping is read the same way [?].
        if isinstance(value, dict):
            return [{"name": k, "value": v} for k, v in value.items()]
        return value

    def can(self, ability: str) -> bool | None:
        """Whether FreshBooks grants ``ability`` (e.g. ``can_edit``); None when not reported."""
        for item in self.abilities:
            if item.name == ability:
                return bool(item.value)
        return None

    @property
    def logged_hours(self) -> Decimal | None:
        """``logged_duration`` in hours (two decimals), when FreshBooks sent it."""
        if self.logged_duration is None:
            return None
        return (Decimal(self.logged_duration) / 3600).quantize(Decimal("0.01"))


class ProjectInput(InputModel):
    """Fields to create or change a project. ``title`` is required when creating."""

    title: str | None = Field(
        default=None, min_length=1, description="Project name; required when creating"
    )
    description: str | None = Field(default=None, description="Free-text description")
    due_date: date | None = Field(default=None, description="Due date, YYYY-MM-DD")
    client_id: int | None = Field(
        default=None, description="Client the project is for; omit for an internal project"
    )
    internal: bool | None = Field(
        default=None, description="True for an internal project with no client"
    )
    budget: int | None = Field(
        default=None, ge=0, description="Budget as FreshBooks counts it (units unverified)"
    )
    fixed_price: DecimalText | None = Field(
        default=None, ge=0, description="Price of a fixed-price project, e.g. 1500.00"
    )
    rate: DecimalText | None = Field(
        default=None, ge=0, description="Hourly rate when billing_method is project_rate"
    )
    billing_method: BillingMethod | None = Field(
        default=None, description="Which rate time is billed at"
    )
    project_type: ProjectType | None = Field(default=None, description="fixed_price or hourly_rate")
    active: bool | None = Field(default=None, description="False to archive the project")
    complete: bool | None = Field(default=None, description="True to mark the project complete")
