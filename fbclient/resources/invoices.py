"""Invoices: ``/accounting/account/{account_id}/invoices/invoices``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, Literal, TypedDict, Unpack

from ..envelopes import result_of
from ..errors import ResponseFormatError
from ..listing import Listing
from ..models.invoices import Invoice, V3Status
from ..pagination import MAX_PER_PAGE, ListResult, Page
from ..scopes import Access
from ..types import EASTERN
from ._actions import LINES, LinedDocument

__all__ = ["Invoices"]


def _day(value: date | datetime) -> date:
    # Accounting date filters have day granularity and FreshBooks reads them as Eastern days;
    # truncating a lower bound to its day only widens the match.
    if isinstance(value, datetime):
        return (value.astimezone(EASTERN) if value.tzinfo else value).date()
    return value


class InvoiceFilters(TypedDict, total=False):
    """The named filters of ``Invoices.list`` / ``list_page`` (None: not filtered on)."""

    customerid: int | None
    date_min: date | None  # on create_date; "create_date_min" is silently ignored
    date_max: date | None
    updated_min: date | datetime | None
    v3_status: V3Status | None  # "status" and "payment_status" filters are ignored
    invoice_number: str | None  # likely, by analogy with other resources [?]
    invoiceids: Sequence[int] | None  # likely [?]


def _same(value: Any) -> Any:
    return value


# Each filter's wire form, in the order the search keys are sent.
_FILTERS: dict[str, Callable[[Any], Any]] = {
    "customerid": _same,
    "date_min": _same,
    "date_max": _same,
    "updated_min": _day,
    "v3_status": _same,
    "invoice_number": _same,
    "invoiceids": list,
}


def invoice_search(
    search: Mapping[str, Any] | None, filters: InvoiceFilters, method: str
) -> dict[str, Any]:
    """``search`` plus the named ``filters`` (named ones win), with the keys FreshBooks honours.

    ``filters`` arrives as ``**kwargs``, so a misspelt name is refused here as Python would
    refuse it for ``method``.
    """
    unknown = [name for name in filters if name not in _FILTERS]
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")
    given: Mapping[str, Any] = filters
    named = {
        name: wire(given[name]) for name, wire in _FILTERS.items() if given.get(name) is not None
    }
    return {**(search or {}), **named}


class Invoices(LinedDocument[Invoice]):
    """Invoices: list, get, create, update, delete (HTTP DELETE), archive, restore, plus
    ``mark_as_sent``, ``send_by_email`` and ``share_link``.

    ``get``, ``create``, ``update`` and the actions ask for ``include[]=lines`` so the invoice
    comes back with its lines; ``list`` does not unless ``include=["lines"]`` is passed.
    Writes take ``InvoiceInput`` (create: a draft) or ``InvoiceUpdate`` (``due_date`` is
    read-only). Creates are never retried: a retry could bill twice.

    ``list`` / ``list_page`` filters (keyword arguments, also accepted in ``search``):
    ``customerid``; ``date_min`` / ``date_max`` (on ``create_date``, whole days);
    ``updated_min``; ``v3_status`` (e.g. ``"overdue"``, ``"paid"``, ``"draft"``: the only
    working status filter); ``invoice_number``; ``invoiceids`` (a list). Other useful
    ``search`` keys: ``paid``, ``outstanding`` (booleans), ``vis_state``. Unknown keys are
    ignored by FreshBooks, not refused. Sorting: only ``sort="invoice_date"`` is honoured.
    """

    scopes: ClassVar[Access] = Access("invoices")

    path: ClassVar[str] = "invoices/invoices"
    singular: ClassVar[str] = "invoice"
    plural: ClassVar[str] = "invoices"
    model = Invoice
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "invoices",
        Invoice,
        path,
        key=plural,
        singular=singular,
        include=LINES,  # for tax-free income (P&L) and the Invoices page
        follow="busy",
    )
    delete_via: ClassVar[Literal["vis_state", "http"]] = "http"
    customized_email_key: ClassVar[str] = "invoice_customized_email"

    def list(
        self,
        search: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = (),
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
        max_pages: int | None = None,
        **filters: Unpack[InvoiceFilters],
    ) -> ListResult[Invoice]:
        """Every matching invoice (all pages); filters as in the class docstring."""
        merged = invoice_search(search, filters, "Invoices.list")
        return super().list(
            merged, include=include, sort=sort, direction=direction, max_pages=max_pages
        )

    def list_page(
        self,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        search: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = (),
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
        **filters: Unpack[InvoiceFilters],
    ) -> Page[Invoice]:
        """One page of matching invoices; filters as in the class docstring."""
        merged = invoice_search(search, filters, "Invoices.list_page")
        return super().list_page(
            page, per_page, merged, include=include, sort=sort, direction=direction
        )

    def mark_as_sent(self, record_id: int | str) -> Invoice:
        """Mark a draft as sent without emailing it."""
        return self.update(record_id, {"action_mark_as_sent": True})

    def share_link(self, record_id: int | str) -> str:
        """The public link a client can open to view (and pay) the invoice."""
        answer = self.http.request(
            "GET",
            f"{self._url(record_id)}/share_link",
            params=[("share_method", "share_link")],
        )
        result = result_of(answer, "share link")
        # FreshBooks does not document this answer, as far as we know. The Node SDK reads
        # result.share_link.share_link; a flat result.share_link string is accepted too.
        link: Any = result.get("share_link")
        if isinstance(link, Mapping):
            link = link.get("share_link")
        if not isinstance(link, str) or not link.strip():
            raise ResponseFormatError("FreshBooks answered the share link request without a link")
        return link.strip()
