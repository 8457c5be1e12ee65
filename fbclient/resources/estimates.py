"""Estimates: ``/accounting/account/{account_id}/estimates/estimates``."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..listing import Listing
from ..models.estimates import Estimate
from ..scopes import Access
from ._actions import LINES, LinedDocument

__all__ = ["Estimates"]


class Estimates(LinedDocument[Estimate]):
    """Estimates: list, get, create, update, delete (HTTP DELETE), archive, restore and
    ``send_by_email``.

    Search keys: ``customerid``, ``estimate_number`` / ``estimate_number_like``,
    ``estimateids`` (list), ``notes``, ``date_min`` / ``date_max``. ``get``, ``create``
    and ``update`` ask for the lines. Writes take ``EstimateInput`` / ``EstimateUpdate``.
    An email's subject and body go in ``estimate_customized_email`` (not the invoice key),
    per a third-party integration.
    """

    scopes: ClassVar[Access] = Access("estimates")

    path: ClassVar[str] = "estimates/estimates"
    singular: ClassVar[str] = "estimate"
    plural: ClassVar[str] = "estimates"
    model = Estimate
    delete_via: ClassVar[Literal["vis_state", "http"]] = "http"
    customized_email_key: ClassVar[str] = "estimate_customized_email"
    # Whether estimates read email_include_pdf is unverified [?]: it is only sent when asked for.
    pdf_when_not_asked: ClassVar[bool | None] = None
    # Changes by search[updated_min] and deletions by search[vis_state]=1, as for invoices: the
    # sandbox honours both; FreshBooks' estimate filter list, as we have it, does not name
    # updated_min, so its support here is by analogy with the other accounting lists [?].
    # Not asked on every visit: estimates change seldom, so they follow the sweep (every 15
    # minutes).
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "estimates",
        Estimate,
        path,
        key=plural,
        singular=singular,
        include=LINES,
        follow="sweep",
    )
