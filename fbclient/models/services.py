"""Services (project-side billable work types) and their hourly rates."""

from __future__ import annotations

from pydantic import Field

from ..types import DecimalText, OptionalDecimal, OptionalId
from ._base import FBModel, InputModel

__all__ = ["Service", "ServiceInput", "ServiceRate", "ServiceRateInput"]


class Service(FBModel):
    """A kind of work time is logged against; the twin of an accounting task."""

    id: int
    business_id: int | None = None
    name: str | None = None
    billable: bool | None = None
    project_default: bool | None = None
    vis_state: int = 0
    task_id: OptionalId = None  # only with include_task_id=true


class ServiceInput(InputModel):
    """Fields to create or change a service. FreshBooks' own SDKs send only ``name``."""

    name: str | None = Field(default=None, min_length=1, description="Service name, e.g. Research")
    billable: bool | None = Field(
        default=None, description="Whether time on this service is billable by default"
    )


class ServiceRate(FBModel):
    """The hourly rate of one service: a plain decimal, no currency (the business's own)."""

    service_id: OptionalId = None
    business_id: int | None = None
    rate: OptionalDecimal = None


class ServiceRateInput(InputModel):
    """The rate to set on a service."""

    rate: DecimalText = Field(ge=0, description="Hourly rate as a decimal, e.g. 10.00; no currency")
