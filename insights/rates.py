"""Which hourly rate, if any, values a time entry, and in which currency.

FreshBooks bills project time at one of four rates (``billing_method``): the project's own
rate, each service's rate, the business rate or each team member's rate. The API the app
reads exposes the first two (``Project.rate``, ``ServiceRate.rate``); the business rate and
team member rates are not in the records fetched, so time billed at them has **no known
value**, and neither has time on a fixed-price project (it is billed by price, not hours).
A rate is never guessed.

The value's currency is the client's currency (an invoice for that time would be in it);
time without a client takes the business's home currency (see
:func:`insights.frames.home_currency`). Rates are plain decimals without a currency of their
own in FreshBooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from fbclient.models.projects import Project

__all__ = [
    "SOURCE_PROJECT",
    "SOURCE_SERVICE",
    "HourlyRate",
    "hourly_rate",
]

SOURCE_PROJECT = "project rate"
SOURCE_SERVICE = "service rate"


@dataclass(frozen=True)
class HourlyRate:
    """A rate (None when unknown) and where it came from, or why it is unknown."""

    rate: Decimal | None
    source: str


def _service(service_id: int | None, service_rates: Mapping[int, Decimal]) -> HourlyRate:
    rate = service_rates.get(service_id) if service_id is not None else None
    if rate is None:
        return HourlyRate(None, "no rate for this service")
    return HourlyRate(rate, SOURCE_SERVICE)


def hourly_rate(
    project: Project | None,
    service_id: int | None,
    service_rates: Mapping[int, Decimal],
) -> HourlyRate:
    """The rate FreshBooks would bill this time at, when the records say it.

    - fixed-price project: unknown (billed by its price, not by the hour);
    - ``project_rate``: the project's rate;
    - ``service_rate``, or time outside any project: the service's rate;
    - ``business_rate`` / ``team_member_rate``: unknown (not exposed by the API read).
    """
    if project is None:
        return _service(service_id, service_rates)
    if project.project_type == "fixed_price":
        return HourlyRate(None, "fixed-price project")
    method = project.billing_method
    if method == "project_rate":
        if project.rate is None:
            return HourlyRate(None, "project has no rate")
        return HourlyRate(project.rate, SOURCE_PROJECT)
    if method in ("service_rate", None):
        return _service(service_id, service_rates)
    if method == "business_rate":
        return HourlyRate(None, "business rate not available")
    if method == "team_member_rate":
        return HourlyRate(None, "team member rate not available")
    return HourlyRate(None, f"unknown billing method {method}")
