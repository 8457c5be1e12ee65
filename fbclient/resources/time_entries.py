"""Time entries: ``/timetracking/business/{business_id}/time_entries[/{id}]`` (always plural).

Not the ``/projects/business/{b}/time_entries`` path some third-party code calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel

from ..errors import FreshBooksError
from ..listing import Listing, inactive
from ..models._base import as_input, to_payload
from ..models.time_entries import TimeEntry, TimeEntryInput
from ..pagination import ListResult
from ..scopes import Access
from ..types import utc_z
from ._base import ProjectFamilyResource, WriteData

__all__ = ["MarkBilledResult", "TimeEntries"]

_REQUIRED_ON_CREATE = ("is_logged", "started_at", "duration")


@dataclass(frozen=True)
class MarkBilledResult:
    """What :meth:`TimeEntries.mark_billed` changed, and what failed (by entry id)."""

    updated: list[TimeEntry] = field(default_factory=list)
    failed: dict[int, FreshBooksError] = field(default_factory=dict)


def _writable(entry: TimeEntry) -> dict[str, Any]:
    """The entry's current values of every field a PUT accepts (None left out)."""
    values = {name: getattr(entry, name, None) for name in TimeEntryInput.model_fields}
    return {k: v for k, v in values.items() if v is not None}


class TimeEntries(ProjectFamilyResource[TimeEntry]):
    """List, get, create, update (read, merge, write) and delete (204) time entries."""

    scopes: ClassVar[Access] = Access("time_entries")

    service: ClassVar[str] = "timetracking"
    singular: ClassVar[str] = "time_entry"
    plural: ClassVar[str] = "time_entries"
    model = TimeEntry
    listing: ClassVar[Listing | None] = Listing(
        name="time_entries",
        model=TimeEntry,
        family="bare",
        path=f"/{service}/business/{{business}}/{plural}",
        key=plural,
        singular=singular,
        ids=("id",),
        resource="time_entries",
        filters={"team": True},  # every member's time, not only the caller's
        changes="updated_since",
        busy=True,
        gone=inactive,
        references=(("project_id", "projects"), ("service_id", "services")),
    )

    def _url(self, entry_id: int | None = None) -> str:
        base = f"{self._base()}/time_entries"
        return base if entry_id is None else f"{base}/{entry_id}"

    def list(
        self,
        *,
        started_from: datetime | None = None,
        started_to: datetime | None = None,
        updated_since: datetime | None = None,
        billable: bool | None = None,
        billed: bool | None = None,
        client_id: int | None = None,
        project_id: int | None = None,
        team: bool | None = None,
        include_unlogged: bool | None = None,
        include_deleted: bool | None = None,
        identity_id: int | None = None,
        max_pages: int | None = None,
    ) -> ListResult[TimeEntry]:
        """Every matching entry (all pages). Datetimes must be timezone-aware.

        ``team=True`` returns every member's time; without it FreshBooks appears to return
        only the caller's own [?]. ``project_id`` is not a documented filter [?]: FreshBooks
        ignores unknown filters silently, so check ``entry.project_id`` if it matters.
        """
        filters = {
            "started_from": utc_z(started_from) if started_from else None,
            "started_to": utc_z(started_to) if started_to else None,
            "updated_since": utc_z(updated_since) if updated_since else None,
            "billable": billable,
            "billed": billed,
            "client_id": client_id,
            "project_id": project_id,
            "team": team,
            "include_unlogged": include_unlogged,
            "include_deleted": include_deleted,
            "identity_id": identity_id,
        }
        return self._list(self._url(), filters, max_pages=max_pages)

    def get(self, entry_id: int) -> TimeEntry:
        """One time entry."""
        return self._one(self.http.request("GET", self._url(entry_id)))

    def create(self, data: WriteData) -> TimeEntry:
        """Log time (``is_logged``, aware ``started_at``, ``duration`` seconds required).

        Never retried automatically: a retried create would log the time twice.
        """
        payload = to_payload(as_input(TimeEntryInput, data))
        missing = [name for name in _REQUIRED_ON_CREATE if payload.get(name) is None]
        if missing:
            raise ValueError(f"a time entry needs {', '.join(missing)}")
        body = {self.singular: payload}
        return self._one(self._written(None, self.http.request("POST", self._url(), json=body)))

    def update(self, entry_id: int, changes: BaseModel | Mapping[str, Any]) -> TimeEntry:
        """Change some fields of an entry.

        FreshBooks' PUT replaces the whole record, so this reads the entry, merges
        ``changes`` into its writable fields and PUTs the result. A field set to None in
        ``changes`` is sent as null (cleared). Two people editing the same entry at once
        can still overwrite each other: FreshBooks offers no version check.
        """
        change_set = as_input(TimeEntryInput, changes).model_dump(exclude_unset=True)
        if not change_set:
            raise ValueError("nothing to update")
        current = self.get(entry_id)
        merged = TimeEntryInput.model_validate({**_writable(current), **change_set})
        body = {self.singular: to_payload(merged)}
        return self._one(
            self._written(entry_id, self.http.request("PUT", self._url(entry_id), json=body))
        )

    def delete(self, entry_id: int) -> None:
        """Delete an entry (FreshBooks answers 204 with no body)."""
        self._written(entry_id, self.http.request("DELETE", self._url(entry_id)), deleted=True)

    def mark_billed(self, entry_ids: Iterable[int], billed: bool = True) -> MarkBilledResult:
        """Set ``billed`` on each entry (one read-merge-write per entry).

        Runs at most the business's page concurrency at once. One entry failing does not
        stop the others: the result lists what was updated and what failed.
        """
        ids = list(dict.fromkeys(entry_ids))  # keep order, drop repeats

        def one(entry_id: int) -> TimeEntry | FreshBooksError:
            try:
                return self.update(entry_id, {"billed": billed})
            except FreshBooksError as error:
                return error

        if not ids:
            return MarkBilledResult()
        workers = max(1, min(self._scope.concurrency, len(ids)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fb-billed") as pool:
            outcomes = list(pool.map(one, ids))
        result = MarkBilledResult()
        for entry_id, outcome in zip(ids, outcomes, strict=True):
            if isinstance(outcome, FreshBooksError):
                result.failed[entry_id] = outcome
            else:
                result.updated.append(outcome)
        return result
