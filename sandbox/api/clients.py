"""Clients (`users/clients`): the 7012 name rule, UTC signup dates, per-currency balances."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal
from typing import Any, ClassVar

from sandbox.core import query as q
from sandbox.core.answers import private_keys
from sandbox.core.errors import Problem, validation
from sandbox.core.invoicing import ZERO, is_overdue
from sandbox.core.kinds import Ctx, Kind, Record
from sandbox.core.query import Filter, Getter, field_getter
from sandbox.core.wire import dec, money, utc_naive

NAME_FIELDS = ("fname", "lname", "email", "organization")
BALANCE_INCLUDES = (
    "outstanding_balance",
    "credit_balance",
    "draft_balance",
    "overdue_balance",
    "grand_total_balance",
)
# Includes that decorate a client; with any of them its copy is built afresh each time.
DECORATING_INCLUDES = frozenset({*BALANCE_INCLUDES, "late_reminders", "late_fee"})

Balances = dict[str, dict[str, Decimal]]  # balance name -> currency -> amount


def _joined(*names: str) -> Getter:
    return lambda r: [r.get(n) for n in names]


def client_balances(ctx: Ctx) -> dict[int, Balances]:
    """Balances of every client from the business's invoices (cached per invoice version/day)."""
    invoices = ctx.biz.col("invoices")
    today = ctx.today

    def build() -> dict[int, Balances]:
        result: dict[int, Balances] = {}
        for inv in invoices.items.values():
            if inv.get("vis_state") == 1:
                continue
            per = result.setdefault(int(inv.get("customerid") or 0), defaultdict(dict))
            code = inv.get("currency_code") or ctx.biz.currency_code
            amount = dec(inv.get("amount"), ZERO)
            owed = dec(inv.get("outstanding"), ZERO)
            paid = dec(inv.get("paid"), ZERO)

            def add(name: str, value: Decimal, per: Balances = per, code: str = code) -> None:
                per[name][code] = per[name].get(code, ZERO) + value

            if inv.get("v3_status") == "draft":
                add("draft_balance", amount)
                add("grand_total_balance", amount)
                continue
            if owed > ZERO:
                add("outstanding_balance", owed)
                add("grand_total_balance", owed)
                if is_overdue(inv, today):
                    add("overdue_balance", owed)
            if paid > amount:
                add("credit_balance", paid - amount)
        return result

    return invoices.cached(f"client-balances:{today.isoformat()}", build)


def _has(ctx: Ctx, name: str) -> Getter:
    def get(record: Record) -> bool:
        per = client_balances(ctx).get(int(record["id"]), {})
        return any(v != ZERO for v in per.get(name, {}).values())

    return get


class Clients(Kind):
    """FreshBooks clients."""

    name = "clients"
    path = "users/clients"
    singular = "client"
    plural = "clients"
    legacy_id = "userid"
    scope = "clients"
    computed = frozenset({"signup_date", "accounting_systemid", "uuid", "num_logins", "role"})
    filters: ClassVar[dict[str, Filter]] = {
        "email": Filter("eq", field_getter("email")),
        "username": Filter("eq", field_getter("username")),
        **q.ids("userid"),
        **q.likes("fname", "lname", "note", "organization", "email"),
        "address_like": Filter(
            "like", _joined("p_street", "p_street2", "p_city", "p_province", "p_code", "p_country")
        ),
        "phone_like": Filter("like", _joined("bus_phone", "home_phone", "mob_phone", "fax")),
        "user_like": Filter("like", _joined("fname", "lname", "organization")),
        **q.days("updated"),
    }
    sorts: ClassVar[dict[str, Getter]] = {
        "client_id": field_getter("id"),
        "organization_name": field_getter("organization"),
        "email": field_getter("email"),
        "updated": field_getter("updated"),
        "fullname": lambda r: f"{r.get('fname') or ''} {r.get('lname') or ''}".strip(),
        "bus_phone": field_getter("bus_phone"),
    }

    def context_filters(self, ctx: Ctx) -> dict[str, Filter]:
        """Balance-based filters, which need the invoices of the business."""
        return {
            f"has_{name}": Filter("bool", _has(ctx, f"{name}_balance"), "bool")
            for name in ("credit", "draft", "outstanding", "overdue")
        }

    def defaults(self, ctx: Ctx) -> Record:
        """A new client's fields as FreshBooks fills them."""
        blank = dict.fromkeys(
            ("fname", "lname", "organization", "email", "bus_phone", "mob_phone", "fax"), ""
        )
        address = {f"{p}_{f}": "" for p in "ps" for f in ("street", "street2", "city", "province")}
        address |= {f"{p}_{f}": "" for p in "ps" for f in ("code", "country")}
        return {
            **blank,
            **address,
            "accounting_systemid": ctx.biz.account_id,
            "username": None,
            "note": None,
            "language": "en",
            "currency_code": ctx.biz.currency_code,
            "vat_name": None,
            "vat_number": "",
            "home_phone": None,
            "pref_email": True,
            "pref_gmail": False,
            "allow_late_fees": True,
            "allow_late_notifications": True,
            "allow_email_include_pdf": False,
            "has_retainer": False,
            "retainer_id": None,
            "level": 0,
            "role": "client",
            "num_logins": 0,
            "last_login": None,
            "last_activity": None,
            "notified": False,
            "signup_date": utc_naive(ctx.now),
            "uuid": str(uuid.uuid4()),
            "direct_link_token": None,
            "statement_token": None,
            "subdomain": None,
            "company_industry": None,
            "company_size": None,
            "vis_state": 0,
        }

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """At least one of fname, lname, email, organization (errno 7012)."""
        if not any(str(body.get(n) or "").strip() for n in NAME_FIELDS):
            raise validation(
                [
                    Problem(
                        7012,
                        "Client must have a first name, last name, email or organization.",
                        None,
                        "client",
                        None,
                    )
                ]
            )

    def shown_as_stored(self, ctx: Ctx, record: Record) -> bool:
        """Without balance or late-fee includes a client is sent as stored."""
        return not (DECORATING_INCLUDES & ctx.includes) and not private_keys(record)

    def present_variant(self, ctx: Ctx, record: Record) -> Hashable | None:
        """Undecorated clients are memoized; balances depend on every invoice."""
        return None if DECORATING_INCLUDES & ctx.includes else ()

    def decorate(self, ctx: Ctx, record: Record, out: Record) -> None:
        """Balance includes, each a list of `{"amount": money}` per currency."""
        wanted = [name for name in BALANCE_INCLUDES if name in ctx.includes]
        if wanted:
            per = client_balances(ctx).get(int(record["id"]), {})
            for name in wanted:
                out[name] = [
                    {"amount": money(value, code)}
                    for code, value in sorted(per.get(name, {}).items())
                    if value != ZERO
                ]
        if "late_reminders" in ctx.includes:
            out["late_reminders"] = []
        if "late_fee" in ctx.includes:
            out["late_fee"] = None


def client_name(client: dict[str, Any] | None) -> str:
    """Organization, else "First Last", else email (how reports label a client)."""
    if not client:
        return ""
    name = f"{client.get('fname') or ''} {client.get('lname') or ''}".strip()
    return client.get("organization") or name or client.get("email") or ""
