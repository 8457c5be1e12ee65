"""The demo user's identity (`/auth/api/v1/users/me`) and the businesses it belongs to.

Four memberships: owner of the two businesses with books (the studio and the consulting
practice), manager of a third business whose books are not part of the demo, and employee of a
fourth that has no accounting account at all (`account_id: None`).
"""

from __future__ import annotations

import datetime as dt
import random
import string
from typing import Any, NamedTuple

from sandbox.seed.catalog import BUSINESSES, OTHER_MEMBERSHIPS, OWNER, BusinessSeed, Place
from sandbox.seed.common import HISTORY_DAYS, iso_z, make_uuid, phone

ALPHANUMERIC = string.ascii_letters + string.digits


class Shell(NamedTuple):
    """One business membership of the demo user; `seed` is None for those without books."""

    business_id: int
    business_uuid: str
    account_id: str | None
    name: str
    role: str
    membership_id: int
    place: Place
    date_format: str
    timezone: str
    seed: BusinessSeed | None


class Identity(NamedTuple):
    """The demo user's ids and memberships."""

    identity_id: int
    identity_uuid: str
    shells: list[Shell]


def make_identity(rng: random.Random) -> Identity:
    """Ids for the user and every membership; business ids and membership ids come from
    disjoint ranges so a client that confuses them fails."""
    accounts: set[str] = set()
    count = len(BUSINESSES) + len(OTHER_MEMBERSHIPS)
    business_ids = rng.sample(range(100_000, 1_000_000), k=count)
    membership_ids = rng.sample(range(1_000_000, 2_000_000), k=count)
    shells = []
    for n, seed in enumerate(BUSINESSES):
        shells.append(Shell(business_ids[n], make_uuid(rng), _account_id(rng, accounts),
                            seed.name, "owner", membership_ids[n], seed.place,
                            seed.date_format, seed.timezone, seed))  # fmt: skip
    for n, other in enumerate(OTHER_MEMBERSHIPS, len(BUSINESSES)):
        account = _account_id(rng, accounts) if other.has_account else None
        shells.append(Shell(business_ids[n], make_uuid(rng), account, other.name, other.role,
                            membership_ids[n], other.place, other.date_format,
                            other.timezone, None))  # fmt: skip
    return Identity(rng.randint(3_000_000, 3_999_999), make_uuid(rng), shells)


def _account_id(rng: random.Random, taken: set[str]) -> str:
    """A short alphanumeric account id like "xJ4kq8"."""
    while True:
        value = rng.choice(string.ascii_letters) + "".join(rng.choices(ALPHANUMERIC, k=5))
        if value not in taken:
            taken.add(value)
            return value


def make_user(
    rng: random.Random, today: dt.date, identity: Identity, owner_staff: dict[str, int]
) -> dict[str, Any]:
    """The identity in `/users/me` wire shape (without the `{"response": ...}` envelope).

    `owner_staff` maps account ids to the owner's staff id there (the legacy `userid`).
    """
    uid, uuid = identity.identity_id, identity.identity_uuid
    created = dt.datetime.combine(today - dt.timedelta(days=HISTORY_DAYS + 120), dt.time(14, 5))
    accounts = [s for s in identity.shells if s.account_id is not None]
    profession = {"id": rng.randint(50_000, 99_999), "business_id": None,
                  "title": OWNER["profession"], "company": BUSINESSES[0].name,
                  "designation": None}  # fmt: skip
    return {
        "id": uid, "identity_id": uid, "identity_uuid": uuid,
        "first_name": OWNER["first"], "last_name": OWNER["last"], "email": OWNER["email"],
        "language": "en", "confirmed_at": iso_z(created + dt.timedelta(minutes=7)),
        "created_at": iso_z(created), "unconfirmed_email": None, "setup_complete": True,
        "profile": {"setup_complete": True, "first_name": OWNER["first"],
                    "last_name": OWNER["last"], "phone_number": OWNER["phone"], "address": None,
                    "professions": [profession], "has_password": True},
        "phone_numbers": [{"title": "mobile", "phone_number": OWNER["phone"]}],
        "addresses": [_address(rng, BUSINESSES[0].place)],
        "profession": profession,
        "links": {"me": f"/service/auth/api/v1/users?id={uid}",
                  "roles": f"/service/auth/api/v1/users/role/{uid}"},
        "permissions": {s.account_id: {} for s in accounts},
        "groups": [_group(rng, s, uid, uuid) for s in identity.shells],
        "subscription_statuses": {s.account_id: "active" for s in accounts},
        "integrations": {},
        "business_memberships": [_membership(rng, s) for s in identity.shells],
        "identity_origin": None,
        "roles": [_role(rng, s, created, owner_staff) for s in accounts],
    }  # fmt: skip


def _address(rng: random.Random, place: Place) -> dict[str, Any]:
    return {"id": rng.randint(10_000, 99_999), "street": place.street, "city": place.city,
            "province": place.province, "country": place.country,
            "postal_code": place.postal}  # fmt: skip


def _group(rng: random.Random, shell: Shell, uid: int, uuid: str) -> dict[str, Any]:
    return {"id": rng.randint(10_000_000, 19_999_999), "group_id": rng.randint(5_000, 9_999),
            "role": shell.role, "identity_id": uid, "identity_uuid": uuid,
            "business_id": shell.business_id, "active": True}  # fmt: skip


def _membership(rng: random.Random, shell: Shell) -> dict[str, Any]:
    business = {
        "id": shell.business_id, "business_uuid": shell.business_uuid, "name": shell.name,
        "account_id": shell.account_id, "date_format": shell.date_format,
        "address": _address(rng, shell.place),
        "phone_number": {"id": rng.randint(100_000, 999_999),
                         "phone_number": phone(rng, shell.place.phone_prefix)},
        "business_clients": [], "timezone": shell.timezone, "active": True,
    }  # fmt: skip
    return {"id": shell.membership_id, "role": shell.role, "unacknowledged_change": False,
            "business": business}  # fmt: skip


def _role(
    rng: random.Random, shell: Shell, created: dt.datetime, owner_staff: dict[str, int]
) -> dict[str, Any]:
    rid = rng.randint(60_000, 69_999)
    assert shell.account_id is not None
    return {"id": rid, "role": "admin" if shell.role == "owner" else shell.role,
            "systemid": rng.randint(600_000, 699_999),
            "userid": owner_staff.get(shell.account_id, 1), "accountid": shell.account_id,
            "created_at": iso_z(created + dt.timedelta(days=rng.randint(1, 90))),
            "links": {"destroy": f"/service/auth/api/v1/users/role/{rid}"}}  # fmt: skip
