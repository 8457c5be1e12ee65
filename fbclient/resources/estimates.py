"""Estimates: ``/accounting/account/{account_id}/estimates/estimates``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Literal

from ..listing import Listing
from ..models.estimates import Estimate
from ._actions import email_action
from ._base import AccountingResource, WriteData

__all__ = ["Estimates"]

# As for invoices: whether lines come back without include[]=lines is unverified [?].
LINES = ("lines",)


class Estimates(AccountingResource[Estimate]):
    """Estimates: list, get, create, update, delete (HTTP DELETE), archive, restore and
    ``send_by_email``.

    Search keys: ``customerid``, ``estimate_number`` / ``estimate_number_like``,
    ``estimateids`` (list), ``notes``, ``date_min`` / ``date_max``. ``get``, ``create``
    and ``update`` ask for the lines.
    """

    path: ClassVar[str] = "estimates/estimates"
    singular: ClassVar[str] = "estimate"
    plural: ClassVar[str] = "estimates"
    model = Estimate
    delete_via: ClassVar[Literal["vis_state", "http"]] = "http"
    # Changes by search[updated_min] and deletions by search[vis_state]=1, as for invoices: the
    # sandbox honours both; FreshBooks' estimate filter list, as we have it, does not name
    # updated_min, so its support here is by analogy with the other accounting lists [?]. Not asked
    # on every visit: estimates change seldom, so they follow the sweep (every 15 minutes).
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "estimates",
        Estimate,
        path,
        key=plural,
        singular=singular,
        include=LINES,
        changes="updated_min",
        sweep=True,
    )

    def get(self, record_id: int | str, *, include: Iterable[str] = LINES) -> Estimate:
        """One estimate, with its lines unless ``include`` says otherwise."""
        return super().get(record_id, include=include)

    def create(self, data: WriteData, *, include: Iterable[str] = LINES) -> Estimate:
        """Create an estimate (see ``EstimateInput``). Never retried automatically."""
        return super().create(data, include=include)

    def update(
        self, record_id: int | str, data: WriteData, *, include: Iterable[str] = LINES
    ) -> Estimate:
        """Change the fields given (see ``EstimateUpdate``)."""
        return super().update(record_id, data, include=include)

    def send_by_email(
        self,
        record_id: int | str,
        recipients: Sequence[str],
        subject: str | None = None,
        body: str | None = None,
        include_pdf: bool = False,
    ) -> Estimate:
        """Email the estimate to ``recipients``.

        Estimates take ``estimate_customized_email`` (not the invoice key) per a third-party
        integration, and whether they read ``email_include_pdf`` is unverified [?]: it is
        only sent when asked for.
        """
        fields = email_action(
            recipients,
            customized_key="estimate_customized_email",
            subject=subject,
            body=body,
            include_pdf=True if include_pdf else None,
        )
        return self.update(record_id, fields)
