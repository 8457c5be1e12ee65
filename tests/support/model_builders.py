"""Wire-like FreshBooks records for insights tests, validated through the real models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fbclient.identity import Business
from fbclient.models.clients import Client
from fbclient.models.expense_categories import ExpenseCategory
from fbclient.models.expenses import Expense
from fbclient.models.invoices import Invoice
from fbclient.models.payments import Payment
from fbclient.models.projects import Project
from fbclient.models.services import Service, ServiceRate
from fbclient.models.team import TeamMember
from fbclient.models.time_entries import TimeEntry
from fbclient.snapshot import Snapshot

TODAY = date(2026, 6, 15)
STATUS_CODES = {"draft": 1, "sent": 2, "viewed": 3, "paid": 4, "partial": 8, "disputed": 0}


def money(amount: str | Decimal, code: str) -> dict[str, str]:
    return {"amount": str(amount), "code": code}


def business(timezone: str | None = "America/New_York") -> Business:
    return Business(
        business_id=9, account_id="acc9", name="Demo Studio", role="owner", timezone=timezone
    )


def client(id: int, name: str, currency: str = "USD", vis_state: int = 0) -> Client:
    return Client.model_validate(
        {"userid": id, "organization": name, "currency_code": currency, "vis_state": vis_state}
    )


def invoice(
    id: int,
    amount: str = "100.00",
    *,
    currency: str = "USD",
    client_id: int = 1,
    created: str = "2026-05-01",
    due: str | None = None,
    paid: str = "0",
    state: str = "sent",
    date_paid: str | None = None,
    lines: list[dict[str, Any]] | None = None,
    discount: str = "0",
    vis_state: int = 0,
) -> Invoice:
    """An invoice whose balances follow ``paid`` as FreshBooks derives them."""
    total, settled = Decimal(amount), Decimal(paid)
    owed = max(total - settled, Decimal(0))
    payment_status = "paid" if settled >= total > 0 else "partial" if settled > 0 else "unpaid"
    v3 = state if state == "draft" or payment_status == "unpaid" else payment_status
    return Invoice.model_validate(
        {
            "invoiceid": id,
            "invoice_number": f"{id:04d}",
            "customerid": client_id,
            "organization": f"Org {client_id}",
            "create_date": created,
            "due_date": due or created,
            "date_paid": date_paid,
            "currency_code": currency,
            "amount": money(amount, currency),
            "paid": money(paid, currency),
            "outstanding": money(owed, currency),
            "discount_total": money(discount, currency),
            "status": STATUS_CODES.get(v3, 2),
            "v3_status": v3,
            "payment_status": payment_status,
            "vis_state": vis_state,
            "lines": lines or [],
        }
    )


def line(qty: str, unit_cost: str, currency: str = "USD", tax: str = "0") -> dict[str, Any]:
    amount = Decimal(qty) * Decimal(unit_cost)
    return {
        "qty": qty,
        "unit_cost": money(unit_cost, currency),
        "amount": money(amount, currency),
        "name": "Work",
        "taxName1": "VAT" if tax != "0" else "",
        "taxAmount1": tax,
    }


def payment(
    id: int,
    invoice_id: int,
    amount: str,
    on: str,
    *,
    currency: str = "USD",
    client_id: int = 1,
    vis_state: int = 0,
) -> Payment:
    return Payment.model_validate(
        {
            "logid": id,
            "invoiceid": invoice_id,
            "clientid": client_id,
            "amount": money(amount, currency),
            "date": on,
            "type": "Check",
            "vis_state": vis_state,
        }
    )


def category(id: int, name: str, parent: int | None = None) -> ExpenseCategory:
    return ExpenseCategory.model_validate(
        {"categoryid": id, "category": name, "parentid": parent or 0}
    )


def expense(
    id: int,
    amount: str,
    on: str,
    *,
    currency: str = "USD",
    category_id: int = 10,
    vendor: str | None = "Shop",
    vis_state: int = 0,
) -> Expense:
    return Expense.model_validate(
        {
            "expenseid": id,
            "amount": money(amount, currency),
            "date": on,
            "categoryid": category_id,
            "vendor": vendor,
            "clientid": 0,
            "status": 0,
            "vis_state": vis_state,
        }
    )


def project(
    id: int,
    *,
    client_id: int | None = 1,
    method: str = "project_rate",
    rate: str | None = "100",
    kind: str = "hourly_rate",
    budget: int | None = None,
    title: str | None = None,
) -> Project:
    return Project.model_validate(
        {
            "id": id,
            "title": title or f"Project {id}",
            "client_id": client_id,
            "billing_method": method,
            "rate": rate,
            "project_type": kind,
            "budget": budget,
        }
    )


def entry(
    id: int,
    started: datetime,
    seconds: int,
    *,
    project_id: int | None = None,
    client_id: int | None = None,
    service_id: int | None = None,
    billable: bool = True,
    billed: bool = False,
    active: bool = True,
) -> TimeEntry:
    return TimeEntry.model_validate(
        {
            "id": id,
            "started_at": started.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration": seconds,
            "project_id": project_id,
            "client_id": client_id,
            "service_id": service_id,
            "billable": billable,
            "billed": billed,
            "active": active,
            "identity_id": 5,
        }
    )


def service(id: int, name: str) -> Service:
    return Service.model_validate({"id": id, "name": name, "billable": True})


def service_rate(service_id: int, rate: str) -> ServiceRate:
    return ServiceRate.model_validate({"service_id": service_id, "rate": rate})


def member(identity_id: int, first: str) -> TeamMember:
    return TeamMember.model_validate(
        {"uuid": f"u{identity_id}", "identity_id": identity_id, "first_name": first}
    )


def snapshot(timezone: str | None = "America/New_York", **parts: Any) -> Snapshot:
    return Snapshot(
        business=business(timezone), fetched_at=datetime(2026, 6, 15, 12, tzinfo=UTC), **parts
    )
