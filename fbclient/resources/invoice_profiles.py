"""Invoice profiles (recurring invoices):
``/accounting/account/{account_id}/invoice_profiles/invoice_profiles``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal

from ..listing import Listing
from ..models.invoice_profiles import InvoiceProfile
from ..pagination import MAX_PER_PAGE, ListResult, Page
from ..scopes import Access
from ._base import AccountingResource, WriteData

__all__ = ["PROFILE_INCLUDES", "InvoiceProfiles"]

# Asked on every read: the lines (what each invoice bills) and the documented next issue date.
PROFILE_INCLUDES = ("lines", "next_issue_date")


def profile_search(
    search: Mapping[str, Any] | None,
    customerid: int | None,
    currency_code: str | None,
    profileids: Sequence[int] | None,
) -> dict[str, Any]:
    """``search`` plus the named filters, under the keys FreshBooks documents for profiles
    (``clientid`` filters on ``customerid``; ``profileids`` is a list)."""
    named: dict[str, Any] = {}
    if customerid is not None:
        named["clientid"] = customerid
    if currency_code is not None:
        named["currency_code"] = currency_code.upper()
    if profileids is not None:
        named["profileids"] = list(profileids)
    return {**(search or {}), **named}


class InvoiceProfiles(AccountingResource[InvoiceProfile]):
    """Recurring invoice profiles: list, get, create, update, ``stop``/``resume``, delete
    (PUT vis_state 1, as the official Python SDK deletes them), archive and restore.

    Documented by FreshBooks: the path, the ``invoice_profile``/``invoice_profiles``
    envelopes, the ``user:invoices:read``/``write`` scopes, the filters ``profileid(s)``,
    ``currency_code``, ``clientid(s)`` (on ``customerid``) and ``include_unbilled_time``, and
    the includes ``lines`` and ``next_issue_date``. Stopping sets ``disable`` (a field of
    FreshBooks' sample profile; that it is how the app stops one is unverified [?]). No
    ``updated_min`` filter is documented for profiles, so the mirror refetches the (short)
    list whole rather than asking for changes.
    """

    scopes: ClassVar[Access] = Access("invoices")

    path: ClassVar[str] = "invoice_profiles/invoice_profiles"
    singular: ClassVar[str] = "invoice_profile"
    plural: ClassVar[str] = "invoice_profiles"
    model = InvoiceProfile
    listing: ClassVar[Listing | None] = Listing.accounting_list(
        "invoice_profiles",
        InvoiceProfile,
        path,
        key=plural,
        singular=singular,
        include=PROFILE_INCLUDES,
        follow="refetch",
    )
    delete_via: ClassVar[Literal["vis_state", "http"]] = "vis_state"

    def list(
        self,
        search: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = PROFILE_INCLUDES,
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
        max_pages: int | None = None,
        customerid: int | None = None,
        currency_code: str | None = None,
        profileids: Sequence[int] | None = None,
    ) -> ListResult[InvoiceProfile]:
        """Every matching profile (all pages), with lines and next issue dates."""
        merged = profile_search(search, customerid, currency_code, profileids)
        return super().list(
            merged, include=include, sort=sort, direction=direction, max_pages=max_pages
        )

    def list_page(
        self,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        search: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = PROFILE_INCLUDES,
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
        customerid: int | None = None,
        currency_code: str | None = None,
        profileids: Sequence[int] | None = None,
    ) -> Page[InvoiceProfile]:
        """One page of matching profiles."""
        merged = profile_search(search, customerid, currency_code, profileids)
        return super().list_page(
            page, per_page, merged, include=include, sort=sort, direction=direction
        )

    def get(
        self, record_id: int | str, *, include: Iterable[str] = PROFILE_INCLUDES
    ) -> InvoiceProfile:
        """One profile, with its lines and next issue date."""
        return super().get(record_id, include=include)

    def create(
        self, data: WriteData, *, include: Iterable[str] = PROFILE_INCLUDES
    ) -> InvoiceProfile:
        """Create a profile; never retried automatically (a retry could bill twice)."""
        return super().create(data, include=include)

    def update(
        self, record_id: int | str, data: WriteData, *, include: Iterable[str] = PROFILE_INCLUDES
    ) -> InvoiceProfile:
        """Change the fields given."""
        return super().update(record_id, data, include=include)

    def stop(self, record_id: int | str) -> InvoiceProfile:
        """Make no more invoices from it (``disable`` true [?]); the profile is kept."""
        return self.update(record_id, {"disable": True})

    def resume(self, record_id: int | str) -> InvoiceProfile:
        """Start making invoices from it again (``disable`` false [?])."""
        return self.update(record_id, {"disable": False})
