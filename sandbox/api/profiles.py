"""Invoice profiles (recurring invoices): `invoice_profiles/invoice_profiles`.

A profile holds an invoice's client, currency and lines plus a schedule: `create_date` is the
date of its next invoice [?], `frequency` how often ("m", "2w"...), `numberRecurring` how many
invoices in all (0: no end [?]), `occurrences_to_date` how many were made, `disable` true
when it was stopped [?]. Deleting is a PUT of vis_state 1, as for clients (the official
Python SDK deletes profiles that way); HTTP DELETE is refused.

The dates are counted from a private anchor (the date the schedule was last set and the
count made by then) so a monthly schedule on the 31st does not drift; `sandbox.api.recurring`
makes the invoices when the clock passes a profile's next date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import ClassVar

from sandbox.api.invoices import LineDocument, _copy_client
from sandbox.core import query as q
from sandbox.core import schedule
from sandbox.core.errors import Problem, validation
from sandbox.core.kinds import Ctx, Kind, Record, int_field
from sandbox.core.query import Filter, Getter, field_getter

# Whether the client's sending of these fields is refused or ignored is unverified: ignored.
COMPUTED = frozenset(
    {
        "amount",
        "discount_total",
        "occurrences_to_date",
        "accountid",
        "accounting_systemid",
        "current_organization",
        "next_issue_date",
        "ownerid",
    }
)


def is_active(profile: Record) -> bool:
    """Live, not stopped and not finished: it will make more invoices."""
    if profile.get("vis_state") != 0 or profile.get("disable"):
        return False
    total = int(profile.get("numberRecurring") or 0)
    return total == 0 or int(profile.get("occurrences_to_date") or 0) < total


def next_date(profile: Record) -> dt.date:
    """The date of the profile's next invoice (from its anchor and the count made)."""
    anchor = dt.date.fromisoformat(str(profile["_anchor"]))
    steps = int(profile.get("occurrences_to_date") or 0) - int(profile.get("_anchor_n") or 0)
    return schedule.nth(anchor, str(profile["frequency"]), steps)


def reanchor(profile: Record) -> None:
    """Count the schedule from its current `create_date` (after it was set or changed)."""
    profile["create_date"] = str(profile["create_date"])[:10]
    profile["_anchor"] = profile["create_date"]
    profile["_anchor_n"] = int(profile.get("occurrences_to_date") or 0)


class InvoiceProfiles(LineDocument):
    """FreshBooks invoice profiles: lines and totals like an invoice, plus a schedule."""

    name = "invoice_profiles"
    path = "invoice_profiles/invoice_profiles"
    singular = "invoice_profile"
    plural = "invoice_profiles"
    legacy_id = "profileid"
    scope = "invoices"
    label = "Invoice profile"
    http_delete = False
    computed = COMPUTED
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("profileid"),
        **q.ids("clientid", "customerid"),
        "currency_code": Filter("eq", field_getter("currency_code")),
        "include_unbilled_time": Filter("bool", field_getter("include_unbilled_time"), "bool"),
        **q.days("updated"),
    }
    sorts: ClassVar[dict[str, Getter]] = {"create_date": field_getter("create_date")}
    default_sort = ("id", "id", False)

    def _check_schedule(self, body: Record) -> None:
        obj = self.singular
        if "frequency" in body and schedule.parse(body["frequency"]) is None:
            raise validation(
                [Problem(1004, "Invalid frequency.", "frequency", obj, body["frequency"])]
            )
        count = int_field(body, "numberRecurring", obj)
        if count is not None and count < 0:
            raise validation(
                [Problem(1004, "Invalid numberRecurring.", "numberRecurring", obj, count)]
            )

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """customerid, create_date (by analogy with invoices [?]) and frequency are required."""
        if body.get("frequency") in (None, ""):
            raise validation([Problem(1001, "frequency is required.", "frequency", self.singular)])
        super().validate_create(ctx, body)
        self._check_schedule(body)

    def validate_update(self, ctx: Ctx, record: Record, body: Record) -> None:
        """The document checks and the schedule's."""
        super().validate_update(ctx, record, body)
        self._check_schedule(body)

    def defaults(self, ctx: Ctx) -> Record:
        """Profile fields on top of the document defaults."""
        base = super().defaults(ctx)
        base.pop("uuid", None)
        base.pop("_sending", None)
        return {
            **base,
            "numberRecurring": 0,
            "occurrences_to_date": 0,
            "disable": False,
            "send_email": False,
            "auto_bill": False,
            "due_offset_days": 0,
            "include_unbilled_time": False,
        }

    def create(self, ctx: Ctx, body: Record) -> Record:
        """A new profile, its client's name and address copied like an invoice's."""
        record = Kind.create(self, ctx, body)
        _copy_client(ctx, record, given=body)
        record["created_at"] = ctx.stamp
        reanchor(record)
        self.finish(ctx, record)
        return record

    def update(self, ctx: Ctx, record: Record, body: Record) -> Record:
        """A PUT; a new date or frequency restarts the count of the schedule from there."""
        new = super().update(ctx, record, body)
        if new.get("create_date") != record.get("create_date") or new.get(
            "frequency"
        ) != record.get("frequency"):
            reanchor(new)
        return new

    def normalize(self, ctx: Ctx, record: Record) -> Record:
        """Seeded profiles: anchored on their next date, with the count they already made."""
        out = Kind.normalize(self, ctx, record)
        if "_anchor" not in out:
            reanchor(out)
        return out

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Lines and totals, and the date as a plain day."""
        super().finish(ctx, record)
        record.pop("_tax_total", None)
        record["create_date"] = str(record["create_date"])[:10]
        record["numberRecurring"] = int(record.get("numberRecurring") or 0)

    def present_variant(self, ctx: Ctx, record: Record) -> Hashable | None:
        """The includes shape the copy."""
        return tuple(sorted(ctx.includes & {"lines", "presentation", "next_issue_date"}))

    def decorate(self, ctx: Ctx, record: Record, out: Record) -> None:
        """Lines when asked; `next_issue_date` when asked (null once it makes no more)."""
        super().decorate(ctx, record, out)
        if "next_issue_date" in ctx.includes:
            out["next_issue_date"] = next_date(record).isoformat() if is_active(record) else None
