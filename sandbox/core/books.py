"""The in-memory books of every business, written through to SQLite on each change.

Lists are answered from here (dicts in memory, with per-collection caches of sorted orders and
groupings that are dropped whenever the collection changes), so a page of a 50,000-row
collection costs a slice, not a query. Each record's presented wire copy is memoized too
(`Collection.memo`), until that record is replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sandbox.core.db import Database

T = TypeVar("T")
Key = int | str

# Variants memoized per record (e.g. with and without lines, per day); more clears the slot.
MAX_VARIANTS = 4


class Collection:
    """One kind of record in one business: a dict by id plus version-keyed caches."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.items: dict[Key, dict[str, Any]] = {}
        self.version = 0
        self.max_id = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        # key -> variant -> (the record it was built from, value)
        self._memo: dict[Key, dict[Hashable, tuple[dict[str, Any], Any]]] = {}

    def get(self, key: Key) -> dict[str, Any] | None:
        """The record with this id, or None."""
        return self.items.get(key)

    def values(self) -> list[dict[str, Any]]:
        """All records (a list copy of the values view)."""
        return list(self.items.values())

    def put(self, key: Key, record: dict[str, Any]) -> None:
        """Insert or replace a record in memory and invalidate caches."""
        self.items[key] = record
        if isinstance(key, int) and key > self.max_id:
            self.max_id = key
        self.version += 1
        self._memo.pop(key, None)

    def remove(self, key: Key) -> None:
        """Forget a record (hard delete)."""
        self.items.pop(key, None)
        self.version += 1
        self._memo.pop(key, None)

    def next_id(self) -> int:
        """A fresh integer id for a new record."""
        return self.max_id + 1

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """Memoize a derived value (sorted order, grouping) until the collection changes."""
        hit = self._cache.get(name)
        if hit is not None and hit[0] == self.version:
            return hit[1]  # type: ignore[no-any-return]  # the cache holds values of any type
        value = build()
        self._cache[name] = (self.version, value)
        return value

    def memo(
        self,
        record: dict[str, Any],
        variant: Hashable,
        build: Callable[[dict[str, Any]], T],
    ) -> T:
        """`build(record)`, memoized until the record changes (its presented wire copy).

        The record must be stored under its `id`. `variant` names everything besides the
        record that shapes the value (includes, the day). Writes replace records rather than
        mutate them, so a value is reused only while the very same record object is stored;
        `put` and `remove` also drop the values of their key. Callers must not mutate values.
        """
        key = record["id"]
        slots = self._memo.get(key)
        if slots is None:
            slots = self._memo[key] = {}
        else:
            hit = slots.get(variant)
            if hit is not None and hit[0] is record:
                return hit[1]  # type: ignore[no-any-return]  # the memo holds values of any type
            if len(slots) >= MAX_VARIANTS:
                slots.clear()
        value = build(record)
        slots[variant] = (record, value)
        return value

    def group_by(self, field_name: str) -> dict[Any, list[dict[str, Any]]]:
        """Records grouped by the value of one field (cached)."""

        def build() -> dict[Any, list[dict[str, Any]]]:
            groups: dict[Any, list[dict[str, Any]]] = {}
            for record in self.items.values():
                groups.setdefault(record.get(field_name), []).append(record)
            return groups

        return self.cached(f"group:{field_name}", build)


@dataclass
class Business:
    """A business: its ids, home currency and timezone, and its collections."""

    business_id: int
    account_id: str | None
    business_uuid: str
    name: str
    currency_code: str
    timezone: str
    db: Database = field(repr=False)
    collections: dict[str, Collection] = field(default_factory=dict, repr=False)

    def col(self, kind: str) -> Collection:
        """The collection of `kind`, created empty on first use."""
        found = self.collections.get(kind)
        if found is None:
            found = self.collections[kind] = Collection(kind)
        return found

    def save(self, kind: str, key: Key, record: dict[str, Any]) -> None:
        """Store a record in memory and write it through to SQLite."""
        self.col(kind).put(key, record)
        self.db.upsert(self.business_id, kind, str(key), record)

    def drop(self, kind: str, key: Key) -> None:
        """Hard-delete a record in memory and on disk."""
        self.col(kind).remove(key)
        self.db.delete(self.business_id, kind, str(key))

    def tz(self) -> dt.tzinfo:
        """The business timezone (UTC when the name is unknown)."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    def today(self, now: dt.datetime) -> dt.date:
        """The business's local date at `now`."""
        return now.astimezone(self.tz()).date()

    def describe(self) -> dict[str, Any]:
        """The business header as stored in the meta table."""
        return {
            "business_id": self.business_id,
            "account_id": self.account_id,
            "business_uuid": self.business_uuid,
            "name": self.name,
            "currency_code": self.currency_code,
            "timezone": self.timezone,
        }


@dataclass
class Books:
    """All businesses of the demo identity, reachable by account id and by business id."""

    db: Database
    identity: dict[str, Any]
    businesses: dict[int, Business] = field(default_factory=dict)

    def add(self, business: Business) -> None:
        """Register a business."""
        self.businesses[business.business_id] = business

    def by_account(self, account_id: str) -> Business | None:
        """The business whose accounting `account_id` this is."""
        for business in self.businesses.values():
            if business.account_id is not None and business.account_id == account_id:
                return business
        return None

    def by_business_id(self, business_id: str | int) -> Business | None:
        """The business with this numeric id (path segments arrive as strings)."""
        try:
            return self.businesses.get(int(business_id))
        except (TypeError, ValueError):
            return None
