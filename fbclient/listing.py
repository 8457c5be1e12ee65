"""What one FreshBooks list is, declared once next to its resource class.

A :class:`Listing` says where a list lives and how its rows are keyed (path, envelope key, the
record's id and its legacy twins), how it is listed whole, how its changes are asked for and
whether deletions need a request of their own. The local mirror, and anything else that walks
every list, is built from these declarations (:mod:`fbclient.catalogue` gathers them).

How changes are asked for (``changes``):

- ``"updated_min"``: accounting lists, ``search[updated_min]`` (a day: FreshBooks reads the
  filter as a date in US/Eastern [?], so the whole current day comes back). Accounting lists
  leave deleted records out, so with ``sweep`` a second request asks for them
  (``search[vis_state]=1``).
- ``"updated_since"``: time entries, ``updated_since`` (UTC, to the second) with
  ``include_deleted=true``: deleted entries come back (inactive) and are dropped.
- ``"refetch"``: small reference lists, fetched whole when due.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .identity import Business
from .models._base import FBModel
from .raw import Family, RawList, Record
from .types import EASTERN, utc_z

if TYPE_CHECKING:
    from .client import BusinessClient
    from .pagination import ListResult

__all__ = ["ChangeQuery", "Listing", "deleted_vis_state", "inactive"]

ChangeQuery = Literal["updated_min", "updated_since", "refetch"]


# Every field the deletion predicates below read: a record read as its text (see
# :meth:`Listing.fields`) carries these and its ids.
GONE_FIELDS = ("vis_state", "active")


def deleted_vis_state(record: Record) -> bool:
    """An accounting record that was deleted (``vis_state`` 1)."""
    return record.get("vis_state") == 1


def inactive(record: Record) -> bool:
    """A time entry that was deleted (``active`` false)."""
    return record.get("active") is False


@dataclass(frozen=True)
class Listing:
    """One FreshBooks list: where it is, how its rows are keyed, how its changes are found."""

    name: str  # the Snapshot field and the mirror's part: "clients", "service_rates"
    model: type[FBModel]
    family: Family
    path: str  # the list's path, with {account} or {business}
    key: str  # the rows' key in a list answer
    singular: str  # a single record's envelope key in a write's answer ("client")
    ids: tuple[str, ...]  # the record's id, then its legacy twins ("id", "invoiceid")
    resource: str  # the BusinessClient attribute that lists it ("clients")
    method: str = "list"  # ... and its method ("list_rates")
    include: tuple[str, ...] = ()  # asked on every listing (invoice lines)
    filters: Mapping[str, Any] = field(default_factory=dict)  # on every listing (team=True)
    changes: ChangeQuery = "refetch"
    sweep: bool = False  # deletions are left out of change answers: ask for them apart
    busy: bool = False  # asked for changes on every visit, not only when a sweep is due
    gone: Callable[[Record], bool] = deleted_vis_state  # a listed record that must leave
    # field -> the listing it names: an unknown id there means that list changed too
    references: tuple[tuple[str, str], ...] = ()
    # The scope that reads it: the catalogue fills it in from the resource's declaration.
    scope: str = ""

    @property
    def accounting(self) -> bool:
        """Whether it needs an accounting account (``account_id``)."""
        return self.family == "accounting"

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the mirror reads from a record it stores as text: its ids, and what
        ``gone`` reads (one of :data:`GONE_FIELDS`' predicates)."""
        return (*self.ids, *GONE_FIELDS)

    def raw(self, business: Business) -> RawList:
        """The list endpoint for ``business``, for :func:`~fbclient.raw.fetch_raw`."""
        path = self.path.format(account=business.account_id, business=business.business_id)
        return RawList(path=path, family=self.family, key=self.key)

    def record_id(self, record: Record) -> str | None:
        """The record's id as text (the first of ``ids`` it carries), or None."""
        for name in self.ids:
            value = record.get(name)
            if value not in (None, "", 0):
                return str(value)
        return None

    def changed_since(self, since: datetime) -> dict[str, Any] | None:
        """The filters of "what changed since ``since``" (None: refetched whole instead)."""
        if self.changes == "updated_min":
            # Accounting timestamps are US/Eastern and the filter is read as a day.
            return {**self.filters, "updated_min": since.astimezone(EASTERN).date()}
        if self.changes == "updated_since":
            return {**self.filters, "include_deleted": True, "updated_since": utc_z(since)}
        return None

    def deleted_since(self, since: datetime) -> dict[str, Any] | None:
        """The filters of the deletion sweep (None: the list needs none)."""
        if not self.sweep:
            return None
        return {"vis_state": 1, "updated_min": since.astimezone(EASTERN).date()}

    def listed(self, books: BusinessClient) -> ListResult[Any]:
        """Every record, parsed, through the resource's own list method (all pages)."""
        kwargs: dict[str, Any] = {"include": list(self.include)} if self.include else {}
        if self.filters:
            if self.accounting:
                kwargs["search"] = dict(self.filters)
            else:
                kwargs.update(self.filters)
        result: ListResult[Any] = getattr(getattr(books, self.resource), self.method)(**kwargs)
        return result

    @classmethod
    def accounting_list(
        cls,
        name: str,
        model: type[FBModel],
        path: str,
        *,
        key: str,
        singular: str,
        follow: Literal["refetch", "sweep", "busy"] = "refetch",
        **kw: Any,
    ) -> Listing:
        """An accounting list at ``/accounting/account/{account}/<path>``, keyed by ``id``
        and the legacy twin its model names (``invoiceid``, ``userid``...).

        ``follow``: ``"refetch"`` (fetched whole when due), ``"sweep"`` (changes by
        ``updated_min`` and a deletion sweep, when the sweep is due) or ``"busy"`` (the same,
        asked on every visit).
        """
        twin = model.legacy_id
        if follow != "refetch":
            kw = {"changes": "updated_min", "sweep": True, "busy": follow == "busy", **kw}
        return cls(
            name=name,
            model=model,
            family="accounting",
            path=f"/accounting/account/{{account}}/{path}",
            key=key,
            singular=singular,
            ids=("id", twin) if twin else ("id",),
            resource=kw.pop("resource", name),
            **kw,
        )
