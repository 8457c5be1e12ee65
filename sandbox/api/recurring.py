"""Invoices made from invoice profiles when the sandbox's clock passes their next date.

Run before every accounting request of a business (`catch_up`): each active profile whose
next date is on or before the business's today gets an invoice per date passed, dated that
date, with the profile's client, currency, lines, discount, terms and due days; the profile
counts it and moves to its next date. An invoice of a profile with `send_email` is marked
sent (FreshBooks emails it; the sandbox sends no mail), else it stays a draft. Stopped,
deleted and finished profiles make nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.api.invoices import Invoices
from sandbox.api.profiles import InvoiceProfiles, is_active, next_date
from sandbox.core.kinds import Ctx, Record

PROFILES = InvoiceProfiles()
INVOICES = Invoices()
# Copied from a profile onto each invoice it makes (besides the lines).
COPIED = ("customerid", "currency_code", "discount_value", "due_offset_days", "notes", "terms",
          "po_number", "fname", "lname", "organization", "email")  # fmt: skip
LINE_FIELDS = ("type", "name", "description", "qty", "unit_cost", "taxName1", "taxAmount1",
               "taxName2", "taxAmount2", "taxNumber1", "taxNumber2", "compounded_tax")  # fmt: skip
# A profile far behind (a sandbox file reopened years later) makes at most this many at once.
MAX_PER_REQUEST = 500


def earliest_due(ctx: Ctx) -> dt.date | None:
    """The first next date among the active profiles (cached until a profile changes)."""
    collection = ctx.biz.col(PROFILES.name)

    def build() -> dt.date | None:
        dates = [next_date(p) for p in collection.items.values() if is_active(p)]
        return min(dates, default=None)

    return collection.cached("earliest-due", build)


def catch_up(ctx: Ctx) -> int:
    """Make every invoice that is due; the number made."""
    first = earliest_due(ctx)
    if first is None or first > ctx.today:
        return 0
    made = 0
    collection = ctx.biz.col(PROFILES.name)
    for key in sorted(collection.items):
        profile = collection.items[key]
        while made < MAX_PER_REQUEST and is_active(profile) and next_date(profile) <= ctx.today:
            profile = _issue(ctx, profile)
            made += 1
    return made


def invoice_body(profile: Record, day: dt.date) -> dict[str, Any]:
    """The create body of the invoice `profile` makes on `day`."""
    body: dict[str, Any] = {name: profile[name] for name in COPIED if name in profile}
    body["create_date"] = day.isoformat()
    body["lines"] = [
        {name: line[name] for name in LINE_FIELDS if name in line}
        for line in profile.get("lines") or []
    ]
    return body


def _issue(ctx: Ctx, profile: Record) -> Record:
    day = next_date(profile)
    invoice = INVOICES.create(ctx, invoice_body(profile, day))
    if profile.get("send_email"):
        INVOICES.act(ctx, invoice, {"action_email": True})
    ctx.biz.save(INVOICES.name, int(invoice["id"]), invoice)
    advanced = {**profile, "occurrences_to_date": int(profile.get("occurrences_to_date") or 0) + 1}
    advanced["create_date"] = next_date(advanced).isoformat()
    advanced["updated"] = ctx.stamp
    ctx.biz.save(PROFILES.name, int(profile["id"]), advanced)
    return advanced
