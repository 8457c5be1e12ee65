"""Everything the dashboards and the agent read about one business, as one value.

The local mirror (``copilot.mirror``) builds it: one part per list of the catalogue
(:mod:`fbclient.catalogue`), same names. A business without an accounting account has empty
accounting lists.

A snapshot is given its parts either as lists of models, or by a :class:`PartSource` that
reads them when first asked: a process that starts draws its dashboards from light rows
(:class:`~fbclient.models.projection.Projection`) and parses full models only for the parts
someone reads, so a large business is never all in memory as models at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, overload

from .identity import Business
from .models.clients import Client
from .models.estimates import Estimate
from .models.expense_categories import ExpenseCategory
from .models.expenses import Expense
from .models.invoice_profiles import InvoiceProfile
from .models.invoices import Invoice
from .models.payments import Payment
from .models.projection import Projection
from .models.projects import Project
from .models.services import Service, ServiceRate
from .models.team import TeamMember
from .models.time_entries import TimeEntry

__all__ = ["PART_NAMES", "PartSource", "Snapshot"]

M = TypeVar("M")

PART_NAMES: tuple[str, ...] = (
    "clients",
    "invoices",
    "payments",
    "expenses",
    "expense_categories",
    "projects",
    "time_entries",
    "services",
    "service_rates",
    "team_members",
    "estimates",
    "invoice_profiles",
)


class PartSource(Protocol):
    """Where a snapshot reads the parts it was not given (the mirror of one business)."""

    def models(self, part: str) -> list[Any]:
        """Every record of ``part`` as its model."""

    def rows(self, part: str, projection: Projection) -> Iterator[Any]:
        """Every record of ``part`` as a light row of ``projection`` (or as its model), read
        a batch at a time as the caller goes."""

    def record(self, part: str, record_id: int) -> Any | None:
        """One record of ``part`` as its model, None when there is none with that id."""

    def rows_of(self, part: str, ids: Iterable[str], projection: Projection) -> list[Any]:
        """The records of ``part`` with these ids (those there are) as light rows."""

    def changes_since(self, older: object, version: int) -> dict[str, frozenset[str]] | None:
        """Per part, the ids of the records changed since ``older`` (another source's)
        snapshot of ``version``; None when that is not known."""


class _Part(Generic[M]):
    """A part of a snapshot: the list given, else read from the source on first use."""

    name: str

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _Part[M]: ...
    @overload
    def __get__(self, obj: Snapshot, objtype: type | None = None) -> list[M]: ...
    def __get__(self, obj: Snapshot | None, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return obj.part(self.name)


class Snapshot:
    """The records of one business at ``fetched_at`` (UTC)."""

    clients: _Part[Client] = _Part()
    invoices: _Part[Invoice] = _Part()
    payments: _Part[Payment] = _Part()
    expenses: _Part[Expense] = _Part()
    expense_categories: _Part[ExpenseCategory] = _Part()
    projects: _Part[Project] = _Part()
    time_entries: _Part[TimeEntry] = _Part()
    services: _Part[Service] = _Part()
    service_rates: _Part[ServiceRate] = _Part()
    team_members: _Part[TeamMember] = _Part()
    estimates: _Part[Estimate] = _Part()
    invoice_profiles: _Part[InvoiceProfile] = _Part()

    def __init__(
        self,
        business: Business,
        fetched_at: datetime,
        *,
        clients: list[Client] | None = None,
        invoices: list[Invoice] | None = None,
        payments: list[Payment] | None = None,
        expenses: list[Expense] | None = None,
        expense_categories: list[ExpenseCategory] | None = None,
        projects: list[Project] | None = None,
        time_entries: list[TimeEntry] | None = None,
        services: list[Service] | None = None,
        service_rates: list[ServiceRate] | None = None,
        team_members: list[TeamMember] | None = None,
        estimates: list[Estimate] | None = None,
        invoice_profiles: list[InvoiceProfile] | None = None,
        truncated: tuple[str, ...] = (),
        unreadable: Mapping[str, int] | None = None,
        withheld: Mapping[str, str] | None = None,
        version: int = 0,
        source: PartSource | None = None,
        revision: str | None = None,
    ) -> None:
        self.business = business
        self.fetched_at = fetched_at
        self.truncated = truncated  # parts cut short by the page ceiling
        # part -> records left out because they could not be read
        # (the mirror's own dict, shared: counts found by reading a part later join it)
        self.unreadable: dict[str, int] = (
            unreadable if isinstance(unreadable, dict) else dict(unreadable or {})
        )
        # part -> the scope it needs: left empty because the connection lacks that scope
        self.withheld: dict[str, str] = dict(withheld or {})
        self.version = version  # changes whenever the records do (the mirror's own counter)
        # The stored records' revision, the same in every process (None: not from a store).
        self.revision = revision
        self._source = source
        given = {
            "clients": clients,
            "invoices": invoices,
            "payments": payments,
            "expenses": expenses,
            "expense_categories": expense_categories,
            "projects": projects,
            "time_entries": time_entries,
            "services": services,
            "service_rates": service_rates,
            "team_members": team_members,
            "estimates": estimates,
            "invoice_profiles": invoice_profiles,
        }
        # Without a source, a part not given is empty; with one, it is read when first asked.
        self._parts: dict[str, list[Any]] = {
            name: list(value or ())
            for name, value in given.items()
            if value is not None or source is None
        }
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"Snapshot(business={self.business.name!r}, fetched_at={self.fetched_at!r}, "
            f"version={self.version})"
        )

    def replace(self, **changes: Any) -> Snapshot:
        """A copy with ``changes`` (parts given as lists, or any other constructor argument);
        the parts not changed are this snapshot's, read now."""
        fields: dict[str, Any] = {
            "truncated": self.truncated,
            "unreadable": dict(self.unreadable),
            "withheld": self.withheld,
            "version": self.version,
            "revision": None,  # no longer the stored records as they are
        }
        fields.update({name: self.part(name) for name in PART_NAMES if name not in changes})
        fields.update(changes)
        business = fields.pop("business", self.business)
        fetched_at = fields.pop("fetched_at", self.fetched_at)
        return Snapshot(business, fetched_at, **fields)

    def part(self, name: str) -> list[Any]:
        """Every record of part ``name`` as its model (read from the source on first use)."""
        held = self._parts.get(name)
        if held is not None:
            return held
        if name not in PART_NAMES or self._source is None:
            raise KeyError(name)
        with self._lock:
            held = self._parts.get(name)
            if held is None:
                held = self._parts[name] = self._source.models(name)
        return held

    def rows(self, name: str, projection: Projection) -> Iterator[Any]:
        """Part ``name`` for one pass of bulk reading: its models when held, else light rows
        of ``projection`` (the fields and rules it names, nothing else), read a batch at a
        time so the whole part is never in memory at once."""
        held = self._parts.get(name)
        if held is not None or self._source is None:
            return iter(self.part(name))
        return self._source.rows(name, projection)

    def changes_since(self, older: Snapshot) -> dict[str, frozenset[str]] | None:
        """Per part, the ids (as text) of the records upserted or removed since ``older``, an
        earlier snapshot of the same mirror; None when that is not known (then everything
        may have changed)."""
        if self._source is None or older._source is None:
            return None
        return self._source.changes_since(older._source, older.version)

    def rows_of(self, name: str, ids: Iterable[str], projection: Projection) -> list[Any]:
        """The records of part ``name`` with these ids (as text), as light rows of
        ``projection`` (or models when held); ids no longer there are left out."""
        held = self._parts.get(name)
        if held is not None or self._source is None:
            wanted = set(ids)
            return [r for r in self.part(name) if str(r.id) in wanted]
        return self._source.rows_of(name, ids, projection)

    def find(self, name: str, record_id: int) -> Any | None:
        """One record of part ``name`` by id, as its model; None when there is none."""
        held = self._parts.get(name)
        if held is not None or self._source is None:
            return next((r for r in self.part(name) if r.id == record_id), None)
        return self._source.record(name, record_id)
