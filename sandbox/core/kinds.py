"""The accounting resource base class: how a kind of record is created, updated and shown.

Each accounting resource (clients, invoices, ...) is a `Kind` subclass naming its paths,
envelope keys, legacy id twin, scope, filters and sort keys, and overriding hooks where
FreshBooks computes or validates something. `sandbox.api.accounting` turns kinds into routes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from sandbox.core.answers import private_keys, public
from sandbox.core.books import Books, Business
from sandbox.core.errors import ApiError, Problem, validation
from sandbox.core.query import VIS_STATE, Filter, Getter, field_getter
from sandbox.core.wire import eastern

Record = dict[str, Any]


@dataclass
class Ctx:
    """What a handler knows about the request: the business, the time, includes, origin."""

    books: Books
    biz: Business
    now: dt.datetime
    includes: frozenset[str] = frozenset()
    base_url: str = "http://sandbox.test"
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def today(self) -> dt.date:
        """The business's local date (`now` is fixed for the request, so computed once)."""
        return self.biz.today(self.now)

    @cached_property
    def stamp(self) -> str:
        """The accounting `updated` timestamp for a write happening now."""
        return eastern(self.now)


class Kind:
    """An accounting resource. Subclasses set the class attributes and override hooks."""

    name: ClassVar[str] = ""  # storage collection
    path: ClassVar[str] = ""  # "<group>/<plural>" below /accounting/account/{a}/
    singular: ClassVar[str] = ""
    plural: ClassVar[str] = ""
    legacy_id: ClassVar[str | None] = None
    scope: ClassVar[str] = ""  # user:<scope>:read|write
    label: ClassVar[str] = ""  # for "<Label> not found."
    creatable: ClassVar[bool] = True
    writable: ClassVar[bool] = True
    http_delete: ClassVar[bool] = False
    # Fields a client cannot set; silently ignored when sent (like FreshBooks' computed fields).
    computed: ClassVar[frozenset[str]] = frozenset()
    filters: ClassVar[dict[str, Filter]] = {}
    sorts: ClassVar[dict[str, Getter]] = {}
    default_sort: ClassVar[tuple[str, str, bool]] = ("id", "id", False)  # name, field, desc
    updated_field: ClassVar[str] = "updated"

    # -- identity -----------------------------------------------------------------------------
    def all_filters(self) -> dict[str, Filter]:
        """Declared filters plus the universal `vis_state`."""
        return {**VIS_STATE, **self.filters}

    def context_filters(self, ctx: Ctx) -> dict[str, Filter]:
        """Filters that need the request context (balances, today's date)."""
        return {}

    def default_getter(self) -> tuple[str, Getter, bool]:
        """The default list order."""
        name, field_name, desc = self.default_sort
        return name, field_getter(field_name), desc

    def set_ids(self, record: Record, key: int) -> None:
        """Both id keys, always equal."""
        record["id"] = key
        if self.legacy_id:
            record[self.legacy_id] = key

    def not_found(self, key: Any) -> ApiError:
        """The 404 for an unknown id of this kind."""
        label = self.label or self.singular.replace("_", " ").capitalize()
        return ApiError(
            404,
            [Problem(1012, f"{label} not found.", self.legacy_id or "id", self.singular, str(key))],
            kind="not_found",
        )

    # -- hooks ----------------------------------------------------------------------------------
    def defaults(self, ctx: Ctx) -> Record:
        """Field defaults of a new record."""
        return {"vis_state": 0}

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """Raise ApiError when a create body is invalid."""

    def validate_update(self, ctx: Ctx, record: Record, body: Record) -> None:
        """Raise ApiError when an update body is invalid."""

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Recompute derived fields after the record changed."""

    def act(self, ctx: Ctx, record: Record, body: Record) -> None:
        """Handle `action_*` keys (the action phase of an update)."""

    def after_save(self, ctx: Ctx, record: Record, before: Record | None) -> None:
        """Propagate a saved change to other records (payments → invoice)."""

    def decorate(self, ctx: Ctx, record: Record, out: Record) -> None:
        """Adjust the presented copy: read-time derived fields and includes."""

    def shown_as_stored(self, ctx: Ctx, record: Record) -> bool:
        """Whether the stored record is exactly its wire copy (no private keys, nothing to
        decorate), so a list can hand it out as is."""
        return type(self).decorate is Kind.decorate and not private_keys(record)

    def present_variant(self, ctx: Ctx, record: Record) -> Hashable | None:
        """What besides the record itself shapes its presented copy (None: do not memoize).

        A kind that overrides `decorate` must override this too, naming every input of its
        decoration (includes, today's date, other records); until it does, nothing is cached.
        """
        return () if type(self).decorate is Kind.decorate else None

    def normalize(self, ctx: Ctx, record: Record) -> Record:
        """Bring a seeded or stored record to the canonical stored shape."""
        out = dict(record)
        key = out.get("id") or (out.get(self.legacy_id) if self.legacy_id else None)
        self.set_ids(out, int(key))  # type: ignore[arg-type]  # every record has an id: None would raise
        out.setdefault("vis_state", 0)
        out.setdefault(self.updated_field, ctx.stamp)
        for name, value in self.defaults(ctx).items():
            out.setdefault(name, value)
        self.finish(ctx, out)
        return out

    # -- operations used by the routes ---------------------------------------------------------
    def present(self, ctx: Ctx, record: Record) -> Record:
        """The wire copy of a record: no private keys, plus decorations."""
        out = public(record)
        self.decorate(ctx, record, out)
        return out

    def present_all(self, ctx: Ctx, records: Iterable[Record]) -> list[Record]:
        """The wire copies of stored records for a list, to be encoded right away.

        A record that is its own wire copy (`shown_as_stored`) is handed out as is: the
        answer is encoded at once and nothing mutates it. Other copies are memoized on the
        collection until the record is replaced (every write replaces it) or its variant
        changes (see `present_variant`).
        """
        collection = ctx.biz.col(self.name)

        def build(record: Record) -> Record:
            return self.present(ctx, record)

        out: list[Record] = []
        for record in records:
            if self.shown_as_stored(ctx, record):
                out.append(record)
                continue
            variant = self.present_variant(ctx, record)
            if variant is None:
                out.append(build(record))
            else:
                out.append(collection.memo(record, variant, build))
        return out

    def accept(self, body: Record) -> Record:
        """The settable part of a body (computed and id fields dropped)."""
        blocked = {"id", self.updated_field, *self.computed}
        if self.legacy_id:
            blocked.add(self.legacy_id)
        return {k: v for k, v in body.items() if k not in blocked and not k.startswith("_")}

    def create(self, ctx: Ctx, body: Record) -> Record:
        """Validate a create body and return the new stored record (not yet saved)."""
        self.validate_create(ctx, body)
        record = self.defaults(ctx)
        record.update(self.accept(body))
        self.set_ids(record, ctx.biz.col(self.name).next_id())
        record["vis_state"] = 0
        record[self.updated_field] = ctx.stamp
        self.finish(ctx, record)
        return record

    def update(self, ctx: Ctx, record: Record, body: Record) -> Record:
        """Apply a PUT in exactly one phase: ext_vis_state, vis_state, actions, then fields."""
        new = dict(record)
        if "ext_vis_state" in body:
            pass  # accepted and, like FreshBooks, pre-empts every other change
        elif "vis_state" in body:
            new["vis_state"] = _vis_state(body["vis_state"], self.singular)
        elif any(k.startswith("action_") for k in body):
            self.act(ctx, new, body)
        else:
            self.validate_update(ctx, record, body)
            new.update(self.accept(body))
            self.finish(ctx, new)
        new[self.updated_field] = ctx.stamp
        return new


def _vis_state(value: Any, obj: str) -> int:
    try:
        state = int(value)
    except (TypeError, ValueError):
        state = -1
    if state not in (0, 1, 2) or isinstance(value, bool):
        raise validation(
            [Problem(1004, "vis_state must be 0, 1 or 2.", "vis_state", obj, str(value))]
        )
    return state


def int_field(body: Record, name: str, obj: str, *, errno: int = 1015) -> int | None:
    """Read an integer field, rejecting strings and junk with errno 1015 (422)."""
    if name not in body or body[name] is None:
        return None
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation([Problem(errno, f"field '{name}' must be a number", name, obj, value)])
    return value


def id_ref(body: Record, name: str, obj: str) -> int | None:
    """Read a foreign key that may arrive as an int or a digit string; 0 means none."""
    value = body.get(name)
    if value in (None, "", 0, "0"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise validation(
            [Problem(1015, f"field '{name}' must be a number", name, obj, value)]
        ) from exc
