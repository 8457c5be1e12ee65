"""Services and service rates: ``/comments/business/{business_id}/service[s][/{id}[/rate]]``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from ..errors import ResponseFormatError
from ..listing import Listing
from ..models._base import as_input, parse_model, to_payload
from ..models.services import Service, ServiceInput, ServiceRate, ServiceRateInput
from ..pagination import MAX_PER_PAGE, ListResult, Page
from ..query import bare_params
from ..scopes import Access
from ._base import ProjectFamilyResource, WriteData, announce, bare_page

__all__ = ["Services"]

RateValue = Decimal | str | int | ServiceRateInput


class Services(ProjectFamilyResource[Service]):
    """List, get and create services (official in both SDKs); update and delete exist only
    in the Python SDK and are unverified [?]. Plus each service's hourly rate."""

    scopes: ClassVar[Access] = Access("billable_items")

    service: ClassVar[str] = "comments"
    singular: ClassVar[str] = "service"
    plural: ClassVar[str] = "services"
    model = Service
    listing: ClassVar[Listing | None] = Listing(
        name="services",
        model=Service,
        family="bare",
        path=f"/{service}/business/{{business}}/{plural}",
        key=plural,
        singular=singular,
        ids=("id",),
        resource="services",
    )
    # The rates are a list of their own, keyed by their service.
    rates_listing: ClassVar[Listing] = Listing(
        name="service_rates",
        model=ServiceRate,
        family="bare",
        path=f"/{service}/business/{{business}}/service_rates",
        key="service_rates",
        singular="service_rate",
        ids=("service_id",),
        resource="services",
        method="list_rates",
    )

    def _url(self, service_id: int | None = None) -> str:
        base = f"{self._base()}/service"
        return base if service_id is None else f"{base}/{service_id}"

    def list(
        self, *, include_task_id: bool = False, max_pages: int | None = None
    ) -> ListResult[Service]:
        """Every service (all pages). ``include_task_id`` adds each one's accounting task id."""
        include = ("include_task_id",) if include_task_id else ()
        return self._list(f"{self._base()}/services", include=include, max_pages=max_pages)

    def get(self, service_id: int) -> Service:
        """One service."""
        return self._one(self.http.request("GET", self._url(service_id)))

    def create(self, data: WriteData) -> Service:
        """Create a service (``name`` required). Creates the matching accounting task too."""
        payload = to_payload(as_input(ServiceInput, data))
        if not payload.get("name"):
            raise ValueError("a service needs a name")
        body = {self.singular: payload}
        return self._one(self._written(None, self.http.request("POST", self._url(), json=body)))

    def update(self, service_id: int, data: WriteData) -> Service:
        """Change a service. Only the Python SDK exposes this PUT: unverified [?]."""
        payload = to_payload(as_input(ServiceInput, data))
        if not payload:
            raise ValueError("nothing to update")
        body = {self.singular: payload}
        answer = self.http.request("PUT", self._url(service_id), json=body)
        return self._one(self._written(service_id, answer))

    def delete(self, service_id: int) -> Service | None:
        """Delete a service. Only the Python SDK exposes this DELETE: unverified [?].

        The answer is undocumented, so both a 204 and a body with the service are accepted.
        """
        body = self._written(
            service_id, self.http.request("DELETE", self._url(service_id)), deleted=True
        )
        if isinstance(body, dict) and isinstance(body.get(self.singular), dict):
            return self._one(body)
        return None

    # --- rates -------------------------------------------------------------------------

    def _rate(self, body: Any) -> ServiceRate:
        if not isinstance(body, dict) or not isinstance(body.get("service_rate"), dict):
            raise ResponseFormatError("FreshBooks answered without the service_rate")
        return parse_model(ServiceRate, body["service_rate"], "service rate")

    def _send_rate(self, method: str, service_id: int, rate: RateValue) -> ServiceRate:
        value = rate if isinstance(rate, ServiceRateInput) else ServiceRateInput(rate=rate)  # type: ignore[arg-type]  # pydantic turns a str or int into the Decimal
        # A plain decimal string, no currency: {"service_rate": {"rate": "10.00"}}.
        body = {"service_rate": {"rate": format(value.rate, "f")}}
        answer = self.http.request(method, f"{self._url(service_id)}/rate", json=body)
        rates = self.rates_listing
        announce(self._scope, rates.name, rates.singular, service_id, answer)
        return self._rate(answer)

    def get_rate(self, service_id: int) -> ServiceRate:
        """The service's hourly rate."""
        return self._rate(self.http.request("GET", f"{self._url(service_id)}/rate"))

    def create_rate(self, service_id: int, rate: RateValue) -> ServiceRate:
        """Give a service its first rate (POST)."""
        return self._send_rate("POST", service_id, rate)

    def update_rate(self, service_id: int, rate: RateValue) -> ServiceRate:
        """Change a service's rate (PUT)."""
        return self._send_rate("PUT", service_id, rate)

    def _rates_page(self, body: Any) -> Page[ServiceRate]:
        # No meta documented for this list [?]: without one, the single answer is everything.
        return bare_page(
            body,
            "service_rates",
            lambda row: parse_model(ServiceRate, row, "service rate"),
            plural="service_rates",
        )

    def list_rates(self, *, max_pages: int | None = None) -> ListResult[ServiceRate]:
        """Every service's rate (``GET .../service_rates``)."""
        path = f"{self._base()}/service_rates"

        def fetch(page: int) -> Page[ServiceRate]:
            params = bare_params(page=page, per_page=MAX_PER_PAGE)
            return self._rates_page(self.http.request("GET", path, params=params))

        return self._scope.walk(fetch, max_pages)
