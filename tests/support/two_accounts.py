"""Two FreshBooks accounts behind one API origin, for the hosted-mode isolation tests.

The sandbox serves one FreshBooks user, so two sandboxes stand for two accounts; the app
knows one ``FRESHBOOKS_API_URL``, so a small ASGI dispatcher in front sends each request to
the sandbox that issued its token (the bearer token, or the ``code``/``refresh_token``/
``token`` of an OAuth form). The consent page goes to the sandbox chosen with ``consent_to``,
as a person signs in to their own FreshBooks account.

Account "alpha" is the seed-7 demo (invoice numbers prefixed ``HPD-``); account "zephyr" is the
hand-written tiny demo renamed so that none of its names or numbers occur in alpha's books.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette

from sandbox import SandboxConfig, create_app
from sandbox.seed import DemoData, generate

from .sandbox import TinyDemo, sandbox_state, tiny_demo

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass
class Account:
    """One FreshBooks account: its sandbox and the strings only its books contain."""

    name: str
    app: Starlette
    account_id: str  # of the business the app opens on
    user_name: str
    business_names: list[str]
    client_names: list[str]
    invoice_numbers: list[str]
    data_json: str = field(repr=False)

    @property
    def markers(self) -> list[str]:
        """Every name and number that identifies this account's data on a page."""
        return [self.user_name, *self.business_names, *self.client_names, *self.invoice_numbers]

    def knows(self, token: str) -> bool:
        """Whether this sandbox issued ``token`` (code, access or refresh token)."""
        return token in sandbox_state(self.app).books.db.all_grants()

    def close(self) -> None:
        """Release the sandbox's database."""
        sandbox_state(self.app).close()


def alpha_account() -> Account:
    """The seed-7 small demo, its invoice numbers made distinctive."""
    data: DemoData = generate(seed=7, size="small")
    for business in data.businesses:
        for invoice in business.invoices:
            invoice["invoice_number"] = f"HPD-{invoice['invoice_number']}"
    return _account("alpha", data)


def zephyr_account() -> Account:
    """The tiny demo under other names, its invoices dated in the last few weeks."""
    data: TinyDemo = tiny_demo()
    data.user.update(first_name="Bea", last_name="Zephyrine", email="bea@zephyr.test")
    for membership, name in zip(
        data.user["business_memberships"],
        ("Zephyr Works", "Zenith Advisory", "Zircon Side Project"),
        strict=True,
    ):
        membership["business"]["name"] = name
    studio, northwind = data.businesses
    studio.name, northwind.name = "Zephyr Works", "Zenith Advisory"
    renames = {"Acme Corp": "Zephyr Quarry Ltd", "Old Co": "Zircon Mills", "Globex": "Zinnia Labs"}
    for business in data.businesses:
        for client in business.clients:
            client["organization"] = renames.get(client["organization"], client["organization"])
            if client.get("email"):
                client["email"] = client["email"].replace(".test", ".zephyr.test")
        for member in [*business.staff, *business.team_members]:
            if member.get("fname") == "Jane" or member.get("first_name") == "Jane":
                member.update({"email": "bea@zephyr.test"})
    bob = next(c for c in studio.clients if c["fname"] == "Bob")
    bob.update(fname="Ysolde", lname="Zarkov", organization="Yarrow Ventures")
    today = dt.date.today()
    for age, invoice in zip((60, 40, 20), studio.invoices, strict=True):
        invoice["create_date"] = (today - dt.timedelta(days=age)).isoformat()
        invoice["invoice_number"] = f"ZPH-{invoice['id']:04d}"
    for payment in studio.payments:
        paid = next(i for i in studio.invoices if i["id"] == payment["invoiceid"])
        payment["date"] = (
            dt.date.fromisoformat(paid["create_date"]) + dt.timedelta(days=5)
        ).isoformat()
    for invoice in northwind.invoices:
        invoice["invoice_number"] = f"ZNA-{invoice['id']:04d}"
    return _account("zephyr", data)


def _account(name: str, data: DemoData | TinyDemo) -> Account:
    app = create_app(SandboxConfig(size="small"), data)
    default = data.businesses[0]  # the first business with books: what the app opens on
    return Account(
        name=name,
        app=app,
        account_id=default.account_id,
        user_name=f"{data.user['first_name']} {data.user['last_name']}",
        business_names=[b.name for b in data.businesses],
        client_names=sorted({c["organization"] for c in default.clients if c["organization"]}),
        invoice_numbers=[i["invoice_number"] for i in default.invoices],
        data_json=json.dumps(
            {"user": data.user, "businesses": [vars(b) for b in data.businesses]}, default=str
        ),
    )


class Dispatcher:
    """One origin for several sandboxes: each request goes to the one that knows its token."""

    def __init__(self, accounts: list[Account]) -> None:
        self.accounts = {a.name: a for a in accounts}
        self.consent_to = accounts[0].name
        self.routed: list[tuple[str, str]] = []  # (account name, path) of every API request

    def _by_token(self, token: str | None) -> Account | None:
        if not token:
            return None
        return next((a for a in self.accounts.values() if a.knows(token)), None)

    def _route(self, scope: Scope, body: bytes) -> Account:
        path = scope["path"]
        if "/oauth/authorize" in path:
            return self.accounts[self.consent_to]
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            found = self._by_token(auth[7:].strip())
        else:
            form = {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}
            token = form.get("code") or form.get("refresh_token") or form.get("token")
            found = self._by_token(token)
        # An unknown token goes to the first sandbox, which answers 401 as FreshBooks would.
        return found or next(iter(self.accounts.values()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        account = self._route(scope, body)
        self.routed.append((account.name, scope["path"]))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await account.app(scope, replay, send)
