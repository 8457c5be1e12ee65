"""Sandbox test doubles: hand-written demo data, bearer headers, a server on a thread.

app = create_app(SandboxConfig(), tiny_demo())
headers = auth_headers(issue_token(app))      # issue_token: sandbox.demo_token
with LiveServer(app) as server:               # real HTTP for clients that need it
    ...
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette

from sandbox.core.state import Sandbox
from sandbox.server import bind


def sandbox_state(app: Starlette) -> Sandbox:
    """The `Sandbox` behind an app made by `create_app`."""
    return app.state.sandbox  # type: ignore[no-any-return]  # Starlette types app.state attributes Any


def auth_headers(token: dict[str, Any] | str) -> dict[str, str]:
    """`Authorization: Bearer ...` for a token body or a bare access token."""
    access = token if isinstance(token, str) else token["access_token"]
    return {"Authorization": f"Bearer {access}"}


@dataclass
class TinyBusiness:
    """A hand-written business shaped like `sandbox.seed.BusinessData`."""

    account_id: str
    business_id: int
    business_uuid: str
    name: str
    currency_code: str
    timezone: str
    clients: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    expenses: list[dict[str, Any]] = field(default_factory=list)
    expense_categories: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    taxes: list[dict[str, Any]] = field(default_factory=list)
    estimates: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    time_entries: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    service_rates: list[dict[str, Any]] = field(default_factory=list)
    team_members: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TinyDemo:
    """Hand-written demo data shaped like `sandbox.seed.DemoData` (fast, fully known)."""

    user: dict[str, Any]
    businesses: list[TinyBusiness]


OWNER_IDENTITY = 1001
EMPLOYEE_IDENTITY = 2002


def _money(amount: str, code: str) -> dict[str, str]:
    return {"amount": amount, "code": code}


def _line(
    name: str, qty: str, cost: str, code: str, tax: tuple[str, str] | None = None
) -> dict[str, Any]:
    line: dict[str, Any] = {"name": name, "qty": qty, "unit_cost": _money(cost, code)}
    if tax:
        line["taxName1"], line["taxAmount1"] = tax
    return line


def _membership(
    mid: int, role: str, bid: int, name: str, account: str | None, tz: str
) -> dict[str, Any]:
    return {
        "id": mid,
        "role": role,
        "unacknowledged_change": False,
        "business": {
            "id": bid,
            "business_uuid": f"00000000-0000-4000-8000-{bid:012d}",
            "name": name,
            "account_id": account,
            "date_format": "mm/dd/yyyy",
            "timezone": tz,
            "address": {
                "id": bid,
                "street": "1 Main St",
                "city": "Toronto",
                "province": "ON",
                "country": "Canada",
                "postal_code": "M5V 1A1",
            },
            "phone_number": None,
            "business_clients": [],
            "active": True,
        },
    }


def tiny_demo() -> TinyDemo:
    """Two businesses with a few known records each, plus a membership without accounting.

    Business 77 / account "ABC123" (CAD, America/Toronto) holds the worked invoice example of
    freshbooks-api.md §3.2 as invoice 1 (amount 41.94, paid 20.00, outstanding 21.94).
    Business 88 / account "XYZ789" (USD) is small; business 99 has `account_id: None`.
    """
    user = {
        "id": OWNER_IDENTITY,
        "identity_id": OWNER_IDENTITY,
        "identity_uuid": "11111111-1111-4111-8111-111111111111",
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
        "language": "en",
        "confirmed_at": "2020-01-01T00:00:00Z",
        "created_at": "2020-01-01T00:00:00Z",
        "setup_complete": True,
        "business_memberships": [
            _membership(501, "owner", 77, "Doe Design Studio", "ABC123", "America/Toronto"),
            _membership(
                502, "business_manager", 88, "Northwind Consulting", "XYZ789", "America/New_York"
            ),
            _membership(503, "owner", 99, "Side Project", None, "UTC"),
        ],
        "roles": [{"id": 1, "role": "admin", "systemid": 1, "userid": 1, "accountid": "ABC123"}],
        "groups": [],
        "permissions": {},
        "subscription_statuses": {"ABC123": "active", "XYZ789": "active"},
        "integrations": {},
    }
    cad, usd = "CAD", "USD"
    studio = TinyBusiness(
        "ABC123",
        77,
        "00000000-0000-4000-8000-000000000077",
        "Doe Design Studio",
        cad,
        "America/Toronto",
    )
    studio.expense_categories = [
        {"id": 1, "category": "Office Supplies", "parentid": None, "is_cogs": False},
        {"id": 2, "category": "Software", "parentid": None, "is_cogs": False},
        {"id": 3, "category": "Cost of Goods Sold", "parentid": None, "is_cogs": True},
    ]
    studio.staff = [{"id": 1, "fname": "Jane", "lname": "Doe", "email": "jane@example.com"}]
    studio.taxes = [{"id": 1, "name": "HST", "amount": "13", "number": "RT0001"}]
    studio.items = [{"id": 1, "name": "Widget", "unit_cost": _money("5.00", cad), "qty": "10"}]
    studio.clients = [
        {
            "id": 1,
            "organization": "Acme Corp",
            "fname": "Ann",
            "lname": "Acme",
            "email": "ann@acme.test",
            "currency_code": cad,
            "p_city": "Toronto",
        },
        {
            "id": 2,
            "organization": "",
            "fname": "Bob",
            "lname": "Smith",
            "email": "bob@smith.test",
            "currency_code": usd,
            "p_city": "Boston",
        },
        {
            "id": 3,
            "organization": "Old Co",
            "fname": "",
            "lname": "",
            "email": "",
            "currency_code": cad,
            "vis_state": 2,
        },
    ]
    studio.invoices = [
        {
            "id": 1,
            "customerid": 1,
            "invoice_number": "0000001",
            "create_date": "2024-01-10",
            "due_offset_days": 30,
            "currency_code": cad,
            "discount_value": "10",
            "status": 2,
            "lines": [
                _line("Widgets", "4", "5.00", cad, ("HST", "13")),
                _line("Gadgets", "6", "4.00", cad),
            ],
        },
        {
            "id": 2,
            "customerid": 1,
            "invoice_number": "0000002",
            "create_date": "2024-02-01",
            "due_offset_days": 30,
            "currency_code": cad,
            "status": 1,
            "lines": [_line("Consulting", "1", "100.00", cad)],
        },
        {
            "id": 3,
            "customerid": 2,
            "invoice_number": "0000003",
            "create_date": "2024-03-01",
            "due_offset_days": 15,
            "currency_code": usd,
            "status": 2,
            "lines": [_line("Design", "10", "50.00", usd)],
        },
    ]
    studio.payments = [
        {
            "id": 1,
            "invoiceid": 1,
            "amount": _money("20.00", cad),
            "date": "2024-01-20",
            "type": "Check",
        },
        {
            "id": 2,
            "invoiceid": 3,
            "amount": _money("500.00", usd),
            "date": "2024-03-15",
            "type": "Bank Transfer",
        },
    ]
    studio.expenses = [
        {
            "id": 1,
            "categoryid": 1,
            "staffid": 1,
            "date": "2024-01-05",
            "vendor": "Staples",
            "amount": _money("50.00", cad),
            "taxName1": "HST",
            "taxPercent1": "13",
            "taxAmount1": _money("6.50", cad),
        },
        {
            "id": 2,
            "categoryid": 2,
            "staffid": 1,
            "date": "2024-02-10",
            "vendor": "Figma",
            "amount": _money("120.00", cad),
            "clientid": 1,
        },
        {
            "id": 3,
            "categoryid": 3,
            "staffid": 1,
            "date": "2024-02-15",
            "vendor": "Printer",
            "amount": _money("300.00", cad),
        },
    ]
    studio.estimates = [
        {
            "id": 1,
            "customerid": 1,
            "estimate_number": "E-001",
            "create_date": "2024-01-02",
            "currency_code": cad,
            "status": 1,
            "lines": [_line("Logo", "2", "100.00", cad)],
        },
    ]
    studio.services = [
        {"id": 1, "name": "Design", "billable": True, "project_default": True, "vis_state": 0},
        {"id": 2, "name": "Admin", "billable": False, "project_default": False, "vis_state": 0},
    ]
    studio.service_rates = [{"service_id": 1, "rate": "100.00"}]
    studio.projects = [
        {
            "id": 1,
            "title": "Website redesign",
            "client_id": 1,
            "internal": False,
            "project_type": "hourly_rate",
            "billing_method": "project_rate",
            "rate": "100",
            "budget": 36000,
            "due_date": "2024-12-31",
            "created_at": "2024-01-01T10:00:00",
            "updated_at": "2024-01-05T10:00:00",
            "group_id": 1,
        },
        {
            "id": 2,
            "title": "Internal tooling",
            "client_id": None,
            "internal": True,
            "active": False,
            "created_at": "2024-02-01T10:00:00",
            "updated_at": "2024-02-01T10:00:00",
        },
    ]
    studio.time_entries = [
        {
            "id": 1,
            "identity_id": OWNER_IDENTITY,
            "is_logged": True,
            "started_at": "2024-01-08T14:00:00Z",
            "duration": 3600,
            "client_id": 1,
            "project_id": 1,
            "service_id": 1,
            "note": "Wireframes",
            "billable": True,
            "billed": False,
            "created_at": "2024-01-08T15:00:00Z",
        },
        {
            "id": 2,
            "identity_id": EMPLOYEE_IDENTITY,
            "is_logged": True,
            "started_at": "2024-01-09T14:00:00Z",
            "duration": 1800,
            "client_id": 1,
            "project_id": 1,
            "service_id": 1,
            "note": "Review",
            "billable": True,
            "billed": True,
            "created_at": "2024-01-09T15:00:00Z",
        },
        {
            "id": 3,
            "identity_id": OWNER_IDENTITY,
            "is_logged": False,
            "started_at": "2024-01-10T14:00:00Z",
            "duration": None,
            "project_id": 2,
            "billable": False,
            "created_at": "2024-01-10T14:00:00Z",
        },
    ]
    studio.team_members = [
        {
            "uuid": "aaaaaaaa-0000-4000-8000-000000000001",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane@example.com",
            "business_id": 77,
            "business_role_name": "owner",
            "active": True,
            "identity_id": OWNER_IDENTITY,
            "created_at": "2020-01-01T00:00:00Z",
        },
        {
            "uuid": "aaaaaaaa-0000-4000-8000-000000000002",
            "first_name": "Eve",
            "last_name": "Lee",
            "email": "eve@example.com",
            "business_id": 77,
            "business_role_name": "business_employee",
            "active": True,
            "identity_id": EMPLOYEE_IDENTITY,
            "created_at": "2021-01-01T00:00:00Z",
        },
    ]
    northwind = TinyBusiness(
        "XYZ789",
        88,
        "00000000-0000-4000-8000-000000000088",
        "Northwind Consulting",
        usd,
        "America/New_York",
    )
    northwind.expense_categories = [{"id": 1, "category": "Travel", "is_cogs": False}]
    northwind.staff = [{"id": 1, "fname": "Jane", "lname": "Doe"}]
    northwind.clients = [{"id": 10, "organization": "Globex", "currency_code": usd}]
    northwind.invoices = [
        {
            "id": 10,
            "customerid": 10,
            "invoice_number": "NW-0099",
            "create_date": "2024-05-01",
            "due_offset_days": 30,
            "currency_code": usd,
            "status": 2,
            "lines": [_line("Advisory", "3", "200.00", usd)],
        },
    ]
    return TinyDemo(user, [studio, northwind])


class LiveServer:
    """Serve an app on loopback from a background thread, for clients that need real HTTP.

    with LiveServer(app) as server:
        requests.get(f"{server.url}/auth/api/v1/users/me", headers=...)
    """

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def __enter__(self) -> LiveServer:
        self._sock = bind(self.host, self.port)
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("sandbox server did not start")
            time.sleep(0.01)
        self.url = f"http://{self.host}:{self.port}"
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
