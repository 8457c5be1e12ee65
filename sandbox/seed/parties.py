"""The people in the books: clients (named anchors, then generated ones), staff, team members."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sandbox.seed.catalog import (
    FIRST_NAMES,
    LAST_NAMES,
    ORG_FIRST,
    ORG_SECOND,
    OWNER,
    PERSONAL_DOMAINS,
    PLACES,
    TLD,
    ClientSeed,
    MemberSeed,
)
from sandbox.seed.common import (
    Ctx,
    add_months,
    clamp,
    eastern_stamp,
    iso_z,
    make_uuid,
    phone,
    utc_stamp,
)

WORK_MIX = (("hourly", 0.5), ("fixed", 0.25), ("occasional", 0.2), ("retainer", 0.05))
PAYER_MIX = (("prompt", 0.45), ("average", 0.33), ("slow", 0.14), ("partial", 0.04),
             ("delinquent", 0.04))  # fmt: skip
METHODS = ("Bank Transfer", "ACH", "Check", "Credit Card", "PayPal")


@dataclass
class Client:
    """A client as the other builders need it, plus its wire dict."""

    id: int
    seed: ClientSeed
    start: dt.date  # first day of the working relationship inside the history
    end: dt.date | None  # last day of it, None while ongoing
    service_tax: str  # tax name on labour and licences ("" = none)
    goods_tax: str  # tax name on taxable goods
    wire: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        """How the freelancer calls the client in notes."""
        return self.seed.organization or f"{self.seed.fname} {self.seed.lname}"

    def active(self, lo: dt.date, hi: dt.date) -> bool:
        """True when the relationship overlaps [lo, hi]."""
        return self.start <= hi and (self.end is None or self.end >= lo)


@dataclass
class Member:
    """A team member: identity (None without a login), staff id, and when they worked."""

    seed: MemberSeed
    identity_id: int | None
    staff_id: int | None
    start: dt.date
    end: dt.date | None


@dataclass
class Parties:
    """The people of one business."""

    clients: list[Client]
    members: list[Member]
    staff: list[dict[str, Any]]
    team_members: list[dict[str, Any]]

    @property
    def owner(self) -> Member:
        """The owner (always the first member)."""
        return self.members[0]


def build_parties(ctx: Ctx) -> Parties:
    """Clients, team and staff of one business."""
    rng = ctx.rng("parties")
    seeds = list(ctx.biz.clients[: ctx.scale.clients])
    seeds += _generated_seeds(ctx, rng, ctx.scale.clients - len(seeds))
    emails: set[str] = set()
    clients = [_client(ctx, rng, seed, emails) for seed in seeds]
    members = _members(ctx, rng)
    return Parties(
        clients=clients,
        members=members,
        staff=[_staff(ctx, rng, m) for m in members if m.staff_id is not None],
        team_members=[_team_member(ctx, rng, m) for m in members],
    )


# -- clients ------------------------------------------------------------------------------------
def _generated_seeds(ctx: Ctx, rng: random.Random, count: int) -> list[ClientSeed]:
    """Extra clients for the larger sizes: long-tail, mostly small, some churned."""
    taken = {s.organization for s in ctx.biz.clients}
    currencies, weights = zip(*ctx.biz.currencies, strict=True)
    out: list[ClientSeed] = []
    while len(out) < count:
        currency = rng.choices(currencies, weights)[0]
        place = rng.choice(PLACES[currency])
        fname, lname = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        person = rng.random() < 0.25
        organization = "" if person else f"{rng.choice(ORG_FIRST)} {rng.choice(ORG_SECOND)}"
        if organization in taken:
            continue
        taken.add(organization)
        since = int(rng.triangular(-6, 34, 22))  # more clients as the business grows
        until = since + rng.randint(3, 20) if rng.random() < 0.35 else None
        until = until if until is None or until < 35 else None
        seed = ClientSeed(
            organization, fname, lname, currency, place,
            work=_pick(rng, WORK_MIX), payer=_pick(rng, PAYER_MIX),
            weight=round(min(rng.paretovariate(1.3), 12.0), 2),
            terms=rng.choice((0, 15, 15)) if person else rng.choice((15, 30, 30, 30, 45)),
            since=since, until=until,
            archived=until is not None and until < 27 and rng.random() < 0.5,
            po_prefix="PO-" if not person and rng.random() < 0.15 else "",
            pay_method=rng.choice(METHODS),
        )  # fmt: skip
        out.append(seed)
    return out


def _pick(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    names, weights = zip(*mix, strict=True)
    return rng.choices(names, weights)[0]  # type: ignore[no-any-return]  # zip(*mix) loses the element types


def _client(ctx: Ctx, rng: random.Random, seed: ClientSeed, emails: set[str]) -> Client:
    cid = ctx.ids.take("client")
    start = clamp(ctx.month(seed.since, rng.randint(1, 25)), ctx.start, ctx.today)
    end = None if seed.until is None else min(ctx.month(seed.until, rng.randint(1, 28)), ctx.today)
    # Signing up happens before the first job; anchors "since" before the history signed up then.
    signup = min(ctx.month(seed.since, 1), start) - dt.timedelta(days=rng.randint(3, 20))
    service_tax, goods_tax = client_taxes(ctx.biz.key, seed.place.country, seed.place.province)
    # Active clients log in to view invoices until today; former clients stopped when they left.
    seen = end or ctx.today - dt.timedelta(days=rng.randint(0, 40))
    wire = _client_wire(ctx, rng, cid, seed, _email(rng, seed, emails), signup, max(start, seen))
    return Client(cid, seed, start, end, service_tax, goods_tax, wire)


def client_taxes(business: str, country: str, province: str) -> tuple[str, str]:
    """(service tax, goods tax) a business charges a client in this place.

    The studio charges UK VAT (it is VAT-registered for its London work) and New York sales tax
    on printed goods; the Ontario practice charges HST in Ontario and GST elsewhere in Canada.
    """
    if business == "studio":
        if country == "United Kingdom":
            return "VAT", "VAT"
        return "", "Sales Tax" if province == "NY" else ""
    if country == "Canada":
        tax = "HST" if province == "ON" else "GST"
        return tax, tax
    return "", ""


def _slug(text: str, words: int = 2) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", plain) if p and p not in ("inc", "co", "bv")]
    return "".join(parts[:words]) or "client"


def _email(rng: random.Random, seed: ClientSeed, taken: set[str]) -> str:
    local = f"{_slug(seed.fname, 1)}.{_slug(seed.lname, 2)}"
    if seed.organization:
        domain = f"{_slug(seed.organization)}.{TLD[seed.place.country]}"
    else:
        domain = rng.choice(PERSONAL_DOMAINS)
    email, n = f"{local}@{domain}", 1
    while email in taken:  # email identifies a client within a business
        n += 1
        email = f"{local}{n}@{domain}"
    taken.add(email)
    return email


def _client_wire(
    ctx: Ctx,
    rng: random.Random,
    cid: int,
    seed: ClientSeed,
    email: str,
    signup: dt.date,
    touched: dt.date,
) -> dict[str, Any]:
    place = seed.place
    company_eu = bool(seed.organization) and place.country not in ("United States", "Canada")
    logins = rng.randint(0, 25) if seed.payer != "delinquent" else rng.randint(0, 3)
    return {
        "id": cid, "userid": cid, "accounting_systemid": ctx.account_id,
        "fname": seed.fname, "lname": seed.lname, "organization": seed.organization,
        "email": email, "username": None, "note": seed.note or None,
        "language": "fr" if place.country == "France" else "en",
        "currency_code": seed.currency,
        "vat_name": "VAT Number" if company_eu else None,
        "vat_number": f"{place.country[:2].upper()}{rng.randint(10**8, 10**9 - 1)}"
        if company_eu else None,
        "bus_phone": phone(rng, place.phone_prefix) if seed.organization else "",
        "home_phone": "", "mob_phone": phone(rng, place.phone_prefix), "fax": "",
        "p_street": f"{rng.randint(2, 480)} {place.street}", "p_street2": "",
        "p_city": place.city, "p_province": place.province, "p_code": place.postal,
        "p_country": place.country,
        "s_street": "", "s_street2": "", "s_city": "", "s_province": "", "s_code": "",
        "s_country": "",
        "pref_email": True, "pref_gmail": False,
        "allow_late_fees": False,
        "allow_late_notifications": seed.payer in ("slow", "partial", "delinquent"),
        "allow_email_include_pdf": seed.payer == "slow",
        "has_retainer": False, "retainer_id": None, "level": 0, "role": "client",
        "num_logins": logins,
        "last_login": eastern_stamp(rng, touched) if logins else None,
        "last_activity": None, "notified": False,
        "signup_date": utc_stamp(rng, signup),  # UTC, unlike every other accounting stamp
        "updated": eastern_stamp(rng, max(signup, touched)),
        "uuid": make_uuid(rng), "direct_link_token": None, "statement_token": None,
        "subdomain": None, "company_industry": None, "company_size": None,
        "vis_state": 2 if seed.archived else 0,
    }  # fmt: skip


# -- team and staff -----------------------------------------------------------------------------
def _members(ctx: Ctx, rng: random.Random) -> list[Member]:
    members = []
    for n, seed in enumerate(ctx.biz.team):
        if n == 0:
            identity: int | None = ctx.owner_identity  # the demo user, in every business
        else:
            identity = ctx.ids.take("identity") if seed.has_login else None
        start = max(ctx.month(seed.since, rng.randint(1, 20)), ctx.start - dt.timedelta(400))
        end = None if seed.until is None else ctx.month(seed.until, rng.randint(1, 28))
        staff_id = ctx.ids.take("staff") if seed.has_staff else None
        members.append(Member(seed, identity, staff_id, start, end))
    return members


def _member_email(ctx: Ctx, seed: MemberSeed) -> str:
    if seed.role == "owner":
        return OWNER["email"] if ctx.biz.key == "studio" else f"alex@{ctx.biz.domain}"
    return f"{_slug(seed.first, 1)}@{ctx.biz.domain}"


def _staff(ctx: Ctx, rng: random.Random, member: Member) -> dict[str, Any]:
    seed, place = member.seed, ctx.biz.place
    sid = member.staff_id
    return {
        "id": sid, "userid": sid, "accounting_systemid": ctx.account_id,
        "fname": seed.first, "lname": seed.last, "email": _member_email(ctx, seed),
        "display_name": f"{seed.first} {seed.last}", "username": None,
        "organization": ctx.biz.name, "rate": "0.00", "note": seed.job_title,
        "bus_phone": phone(rng, place.phone_prefix), "home_phone": "",
        "mob_phone": phone(rng, place.phone_prefix), "fax": "",
        "p_street": place.street, "p_street2": "", "p_city": place.city,
        "p_province": place.province, "p_code": place.postal, "p_country": place.country,
        "signup_date": utc_stamp(rng, max(member.start, ctx.start - dt.timedelta(400))),
        "last_login": eastern_stamp(rng, ctx.today - dt.timedelta(days=rng.randint(0, 6))),
        "updated": eastern_stamp(rng, member.start),
        "num_logins": rng.randint(40, 900), "api_token": None,
        "level": 0 if seed.role == "owner" else 1, "vis_state": 0,
    }  # fmt: skip


def _team_member(ctx: Ctx, rng: random.Random, member: Member) -> dict[str, Any]:
    seed, place = member.seed, ctx.biz.place
    joined = ctx.to_utc(max(member.start, ctx.start - dt.timedelta(400)), 10 * 3600)
    left = member.end is not None and member.end <= ctx.today
    changed = ctx.to_utc(member.end, 17 * 3600) if left and member.end else joined
    return {
        "uuid": make_uuid(rng), "first_name": seed.first, "middle_name": "",
        "last_name": seed.last, "email": _member_email(ctx, seed), "job_title": seed.job_title,
        "street_1": place.street, "street_2": "", "city": place.city,
        "province": place.province, "country": place.country, "postal_code": place.postal,
        "phone_number": phone(rng, place.phone_prefix), "business_id": ctx.business_id,
        "business_role_name": seed.role, "active": not left,
        "identity_id": member.identity_id,
        "invitation_date_accepted": iso_z(joined) if member.identity_id else None,
        "created_at": iso_z(joined), "updated_at": iso_z(changed),
    }  # fmt: skip


def month_members(members: list[Member], first: dt.date) -> list[Member]:
    """Members with a login who worked during the month starting `first`."""
    last = add_months(first, 1) - dt.timedelta(days=1)
    return [
        m
        for m in members
        if m.identity_id is not None and m.start <= last and (m.end is None or m.end >= first)
    ]
