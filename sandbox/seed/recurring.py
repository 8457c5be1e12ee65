"""Invoice profiles: the recurring invoices of a business (retainers, a weekly service, a
stopped subscription), anchored on the seed's today.

Every active profile's next date lies at least two days after today, so a sandbox serving the
seed on its own day (in any timezone) makes no invoice from them before a test or a demo moves
the clock on; the invoices they made so far are counted (`occurrences_to_date`) but belong to
the invoice history like any other.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sandbox.seed.common import Ctx, eastern_stamp
from sandbox.seed.parties import Parties

__all__ = ["build_profiles"]

Record = dict[str, Any]
SOON = dt.timedelta(days=2)  # the earliest next date, counted from the seed's today


@dataclass(frozen=True)
class Plan:
    """One profile to seed: whom (by currency), what, how often, where its count stands."""

    currency: str  # bill the first ongoing client in this currency ("" : any client)
    name: str
    amount: str
    frequency: str
    day: int  # day of the month of the next date (0: the first weekday after SOON)
    total: int  # numberRecurring (0: no end)
    made: int  # occurrences_to_date
    stopped: bool = False
    send_email: bool = False


PLANS: dict[str, tuple[Plan, ...]] = {
    "studio": (
        Plan("USD", "Monthly design retainer", "2500.00", "m", 1, 0, 14, send_email=True),
        Plan("EUR", "Brand support retainer", "1800.00", "m", 15, 12, 7),
        Plan("GBP", "Quarterly campaign refresh", "4200.00", "3m", 10, 0, 3),
        Plan("CAD", "Weekly social media kit", "350.00", "w", 0, 26, 9),
        Plan("USD", "Website hosting and care", "1200.00", "y", 20, 0, 2, stopped=True),
    ),
    "consulting": (Plan("CAD", "Advisory retainer", "3000.00", "m", 1, 0, 5),),
}


def _next_date(today: dt.date, day: int) -> dt.date:
    """The first date at least `SOON` after `today` on `day` of its month (0: a Monday)."""
    earliest = today + SOON
    if day == 0:
        return earliest + dt.timedelta(days=(7 - earliest.weekday()) % 7)
    candidate = earliest.replace(day=min(day, 28))
    if candidate < earliest:
        month = earliest.month % 12 + 1
        candidate = candidate.replace(year=earliest.year + (month == 1), month=month)
    return candidate


def _client_for(parties: Parties, currency: str) -> tuple[int, str] | None:
    ongoing = [c for c in parties.clients if c.end is None]
    for client in ongoing:
        code = str(client.wire.get("currency_code") or "")
        if code == currency:
            return client.id, code
    return None


def build_profiles(ctx: Ctx, parties: Parties) -> list[Record]:
    """The business's invoice profiles in response wire format (totals left to the server)."""
    rng = random.Random(f"freshbooks-demo:{ctx.seed}:{ctx.biz.key}:profiles")
    out: list[Record] = []
    for plan in PLANS.get(ctx.biz.key, ()):
        found = _client_for(parties, plan.currency)
        if found is None:
            continue
        client_id, currency = found
        key = ctx.ids.take("profile")
        out.append(
            {
                "id": key,
                "profileid": key,
                "customerid": client_id,
                "create_date": _next_date(ctx.today, plan.day).isoformat(),
                "frequency": plan.frequency,
                "numberRecurring": plan.total,
                "occurrences_to_date": plan.made,
                "disable": plan.stopped,
                "send_email": plan.send_email,
                "currency_code": currency,
                "due_offset_days": 14,
                "notes": plan.name,
                "lines": [
                    {
                        "name": plan.name,
                        "qty": "1",
                        "unit_cost": {"amount": plan.amount, "code": currency},
                    }
                ],
                "updated": eastern_stamp(rng, ctx.today - dt.timedelta(days=rng.randint(1, 60))),
                "vis_state": 0,
            }
        )
    return out
