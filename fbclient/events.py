"""What a write made through the client changed, announced to whoever keeps a copy.

The resource methods that create, update or delete announce a :class:`RecordWritten` once
FreshBooks has accepted the write (a local mirror keeps itself current this way, without
another request). Observers subscribe on the client's transport
(:meth:`~fbclient.http.HTTPClient.observe_writes`); an observer's failure is logged, never
raised: the write itself succeeded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["RecordWritten", "WriteEvents", "WriteObserver", "written_record"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordWritten:
    """One record FreshBooks created, changed or deleted at our request."""

    resource: str  # the listing's name: "clients", "time_entries" (see fbclient.catalogue)
    account_id: str | None  # the business's accounting account
    business_id: int
    record_id: str | None  # the id the write addressed (None for a create)
    record: dict[str, Any] | None  # the record as FreshBooks answered with it, if it did
    deleted: bool = False  # an HTTP DELETE (a vis_state delete answers with the record)


WriteObserver = Callable[[RecordWritten], None]


def written_record(body: Any, singular: str) -> dict[str, Any] | None:
    """The record in a write's answer: ``response.result.<singular>`` (accounting) or
    ``<singular>`` (project family); None when the answer carries none (a 204)."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("response"), dict):
        result = body["response"].get("result")
        body = result if isinstance(result, dict) else {}
    record = body.get(singular)
    return record if isinstance(record, dict) else None


class WriteEvents:
    """The observers of one client's writes."""

    def __init__(self) -> None:
        self._observers: list[WriteObserver] = []
        self._lock = threading.Lock()

    def subscribe(self, observer: WriteObserver) -> None:
        """Call ``observer(event)`` after every write the client's resources make."""
        with self._lock:
            self._observers.append(observer)

    def announce(self, event: RecordWritten) -> None:
        """Tell every observer; one failing neither stops the others nor the caller."""
        with self._lock:
            observers = list(self._observers)
        for observer in observers:
            try:
                observer(event)
            except Exception:  # the write succeeded; a stale copy is healed by the next sync
                log.exception("write observer failed after a write to %s", event.resource)
