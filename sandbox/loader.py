"""Fill the books: from demo data (seed generator output) or from an existing SQLite file.

Seeded records arrive in FreshBooks response wire format, possibly without computed fields;
each is normalized through its kind (both id keys, money objects, invoice totals and statuses
recomputed from lines and payments) before being indexed and written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from sandbox.api.catalog import task_from_service
from sandbox.api.projects import project_defaults
from sandbox.api.timetracking import entry_defaults
from sandbox.core.books import Books, Business
from sandbox.core.db import Database
from sandbox.core.kinds import Ctx, Kind
from sandbox.core.wire import dec, money_str, to_iso_naive, to_iso_z


class DemoLike(Protocol):
    """What the loader reads from seed output (see `sandbox.seed.DemoData`)."""

    user: dict[str, Any]
    businesses: list[Any]


# Seed list attribute -> accounting kind name, in dependency order (invoices after payments).
ACCOUNTING_ORDER = (
    ("expense_categories", "categories"),
    ("staff", "staff"),
    ("taxes", "taxes"),
    ("items", "items"),
    ("clients", "clients"),
    ("payments", "payments"),
    ("invoices", "invoices"),
    ("estimates", "estimates"),
    ("invoice_profiles", "invoice_profiles"),
    ("expenses", "expenses"),
)


def identity_id_of(identity: dict[str, Any]) -> int:
    """The identity id time entries and groups refer to."""
    return int(identity.get("identity_id") or identity.get("id") or 0)


def open_books(db: Database, data: DemoLike | None, now: dt.datetime, size_hint: str) -> Books:
    """Books from a populated database, else from `data` written into the database."""
    if db.get_meta("businesses") is not None:
        return load_from_db(db)
    if data is None:
        raise ValueError(f"no demo data given and the database is empty (size {size_hint})")
    return load_demo(db, data, now)


def load_from_db(db: Database) -> Books:
    """Rebuild the in-memory books from SQLite."""
    books = Books(db, db.get_meta("identity") or {})
    for header in db.get_meta("businesses"):
        books.add(Business(db=db, **header))
    for business_id, kind, key, body in db.all_records():
        business = books.businesses.get(business_id)
        if business is not None:
            business.col(kind).put(int(key) if key.isdigit() else key, body)
    return books


def _memberships(identity: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for membership in identity.get("business_memberships") or []:
        business = membership.get("business") or {}
        if business.get("id") is not None:
            yield business


def load_demo(db: Database, data: DemoLike, now: dt.datetime) -> Books:
    """Normalize demo data into the books and persist it (a database file only)."""
    from sandbox.api.accounting import BY_NAME  # local: accounting imports the kinds

    books = Books(db, dict(data.user))
    for seeded in data.businesses:
        books.add(
            Business(
                business_id=int(seeded.business_id),
                account_id=seeded.account_id,
                business_uuid=seeded.business_uuid,
                name=seeded.name,
                currency_code=seeded.currency_code,
                timezone=seeded.timezone or "UTC",
                db=db,
            )
        )
    # Memberships without demo data (e.g. the account_id: null edge case) still exist, empty.
    for header in _memberships(books.identity):
        if int(header["id"]) not in books.businesses:
            books.add(
                Business(
                    business_id=int(header["id"]),
                    account_id=header.get("account_id"),
                    business_uuid=str(header.get("business_uuid") or ""),
                    name=str(header.get("name") or ""),
                    currency_code=str(header.get("currency_code") or "USD"),
                    timezone=str(header.get("timezone") or "UTC"),
                    db=db,
                )
            )
    for seeded in data.businesses:
        _load_business(books, books.businesses[int(seeded.business_id)], seeded, now, BY_NAME)
    if not db.path:
        # An in-memory database is never read back: copying the seed into it would only burn
        # CPU (seconds at size large) while the first requests are being answered.
        return books
    rows = [
        (business.business_id, kind, str(key), record)
        for business in books.businesses.values()
        for kind, collection in business.collections.items()
        for key, record in collection.items.items()
    ]
    meta = {
        "identity": books.identity,
        "businesses": [b.describe() for b in books.businesses.values()],
    }

    def current(business_id: int, kind: str, key: str, body: dict[str, Any]) -> bool:
        # Records are replaced, never mutated, on writes: identity tells "still as seeded".
        collection = books.businesses[business_id].col(kind)
        return collection.get(int(key) if key.isdigit() else key) is body

    db.persist_in_background(rows, meta, current)
    return books


def _load_business(
    books: Books, business: Business, seeded: Any, now: dt.datetime, kinds: dict[str, Kind]
) -> None:
    ctx = Ctx(books, business, now)
    raw_invoices = list(getattr(seeded, "invoices", None) or [])
    # Payments read their invoice's currency and client: index raw invoices first.
    invoices = business.col("invoices")
    for invoice in raw_invoices:
        key = int(invoice.get("id") or invoice.get("invoiceid"))
        invoices.put(key, {**invoice, "id": key})
    for attribute, name in ACCOUNTING_ORDER:
        kind = kinds[name]
        collection = business.col(name)
        for raw in getattr(seeded, attribute, None) or []:
            record = kind.normalize(ctx, raw)
            collection.put(record["id"], record)
    _load_project_side(ctx, business, seeded, now)


def _load_project_side(ctx: Ctx, business: Business, seeded: Any, now: dt.datetime) -> None:
    services = business.col("services")
    for raw in getattr(seeded, "services", None) or []:
        record = {"billable": True, "project_default": False, "vis_state": 0, **raw}
        record["business_id"] = business.business_id
        services.put(int(record["id"]), record)
    rates = business.col("service_rates")
    for raw in getattr(seeded, "service_rates", None) or []:
        service_id = int(raw["service_id"])
        rates.put(
            service_id,
            {
                "rate": money_str_safe(raw.get("rate")),
                "business_id": business.business_id,
                "service_id": service_id,
            },
        )
    tasks = business.col("tasks")
    for service in services.items.values():
        rate = rates.get(service["id"])
        tasks.put(service["id"], task_from_service(ctx, service, rate["rate"] if rate else None))
    projects = business.col("projects")
    for raw in getattr(seeded, "projects", None) or []:
        record = {**project_defaults(business, now), **raw}
        for name in ("created_at", "updated_at"):
            record[name] = to_iso_naive(str(record[name]))
        projects.put(int(record["id"]), record)
    entries = business.col("time_entries")
    for raw in getattr(seeded, "time_entries", None) or []:
        record = {**entry_defaults(), "active": True, **raw}
        record["started_at"] = to_iso_z(str(record["started_at"]))
        record["created_at"] = to_iso_z(str(record.get("created_at") or record["started_at"]))
        record.setdefault("_updated_at", record["created_at"])
        record.setdefault("timer", None)
        entries.put(int(record["id"]), record)
    members = business.col("team_members")
    for raw in getattr(seeded, "team_members", None) or []:
        members.put(str(raw["uuid"]), dict(raw))


def money_str_safe(value: Any) -> str:
    """A service rate as a plain two-decimal string ("0.00" when missing)."""
    return money_str(dec(value, Decimal(0)))
