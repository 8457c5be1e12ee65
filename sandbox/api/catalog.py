"""Simple accounting resources: items, taxes, staff, and tasks (kept in sync with services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from sandbox.core import query as q
from sandbox.core.errors import required
from sandbox.core.kinds import Ctx, Kind, Record
from sandbox.core.query import Filter, Getter, field_getter
from sandbox.core.wire import dec, money, money_str, num_str

ZERO = Decimal(0)


def _joined(*names: str) -> Getter:
    return lambda r: [r.get(n) for n in names]


class Items(Kind):
    """Items (products) that can be put on invoices."""

    name = "items"
    path = "items/items"
    singular = "item"
    plural = "items"
    legacy_id = "itemid"
    scope = "billable_items"
    computed = frozenset({"accounting_systemid"})
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("itemid"),
        "sku": Filter("eq", field_getter("sku")),
        "description": Filter("like", field_getter("description")),
        **q.amounts("unit_cost"),
        **q.amounts("inventory"),
        **q.amounts("qty"),
        **q.days("updated"),
    }
    sorts: ClassVar[dict[str, Getter]] = {"name": field_getter("name")}

    def defaults(self, ctx: Ctx) -> Record:
        """A new item's fields."""
        return {
            "accounting_systemid": ctx.biz.account_id,
            "name": "",
            "description": "",
            "qty": "0",
            "inventory": None,
            "sku": None,
            "unit_cost": money(ZERO, ctx.biz.currency_code),
            "tax1": 0,
            "tax2": 0,
            "vis_state": 0,
        }

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """An item needs a name."""
        if not body.get("name"):
            raise required("item", "name")

    def finish(self, ctx: Ctx, record: Record) -> None:
        """unit_cost as money, qty and inventory as decimal strings."""
        raw = record.get("unit_cost")
        code = (raw.get("code") if isinstance(raw, dict) else None) or ctx.biz.currency_code
        record["unit_cost"] = money(dec(raw, ZERO), code)
        record["qty"] = num_str(dec(record.get("qty"), ZERO))
        if record.get("inventory") not in (None, ""):
            record["inventory"] = num_str(dec(record["inventory"], ZERO))


class Taxes(Kind):
    """Taxes (a name and a percentage)."""

    name = "taxes"
    path = "taxes/taxes"
    singular = "tax"
    plural = "taxes"
    legacy_id = "taxid"
    scope = "taxes"
    http_delete = True
    computed = frozenset({"accounting_systemid"})
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("taxid"),
        "name": Filter("like", field_getter("name")),
        "number": Filter("like", field_getter("number")),
        "compound": Filter("bool", field_getter("compound"), "bool"),
        **q.days("updated"),
    }
    sorts: ClassVar[dict[str, Getter]] = {"name": field_getter("name")}

    def defaults(self, ctx: Ctx) -> Record:
        """A new tax: a 0% rate unless told otherwise."""
        return {
            "accounting_systemid": ctx.biz.account_id,
            "name": "",
            "amount": "0",
            "number": None,
            "compound": False,
            "vis_state": 0,
        }

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """A tax needs a name."""
        if not body.get("name"):
            raise required("tax", "name")

    def finish(self, ctx: Ctx, record: Record) -> None:
        """The rate is a decimal string."""
        record["amount"] = num_str(dec(record.get("amount"), ZERO))


class Staff(Kind):
    """Staff (deprecated in favour of team members): list, get, update, delete; no create."""

    name = "staff"
    path = "users/staffs"
    singular = "staff"
    plural = "staffs"
    legacy_id = "staffid"
    scope = "teams"
    creatable = False
    computed = frozenset({"accounting_systemid", "signup_date", "num_logins", "last_login"})
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("userid", "id"),
        "user_like": Filter("like", _joined("fname", "lname", "display_name")),
        **q.likes("note", "email"),
        "phone_like": Filter("like", _joined("bus_phone", "home_phone", "mob_phone")),
    }
    sorts: ClassVar[dict[str, Getter]] = {"lname": field_getter("lname")}

    def defaults(self, ctx: Ctx) -> Record:
        """Staff fields."""
        return {
            "accounting_systemid": ctx.biz.account_id,
            "fname": "",
            "lname": "",
            "email": "",
            "display_name": "",
            "username": "",
            "rate": None,
            "note": None,
            "bus_phone": "",
            "home_phone": "",
            "mob_phone": "",
            "fax": "",
            "signup_date": None,
            "last_login": None,
            "num_logins": 0,
            "level": 0,
            "vis_state": 0,
        }


class Tasks(Kind):
    """Tasks: the invoice-side twin of services; both share ids and stay in sync."""

    name = "tasks"
    path = "projects/tasks"
    singular = "task"
    plural = "tasks"
    legacy_id = "taskid"
    scope = "billable_items"
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("taskid"),
        "billable": Filter("bool", field_getter("billable"), "bool"),
        **q.amounts("rate"),
        **q.days("updated"),
    }
    sorts: ClassVar[dict[str, Getter]] = {"name": field_getter("name")}

    def defaults(self, ctx: Ctx) -> Record:
        """A new task's fields."""
        return {
            "name": "",
            "description": "",
            "rate": money(ZERO, ctx.biz.currency_code),
            "billable": True,
            "tax1": 0,
            "tax2": 0,
            "vis_state": 0,
        }

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """A task needs a name."""
        if not body.get("name") and not body.get("tname"):
            raise required("task", "name")

    def create(self, ctx: Ctx, body: Record) -> Record:
        """Tasks and services share one id sequence."""
        record = super().create(ctx, body)
        self.set_ids(record, next_shared_id(ctx))
        return record

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Legacy twins `tname`/`tdesc`; rate as money."""
        if record.get("tname") and not record.get("name"):
            record["name"] = record["tname"]
        if record.get("tdesc") and not record.get("description"):
            record["description"] = record["tdesc"]
        record["tname"] = record.get("name")
        record["tdesc"] = record.get("description")
        raw = record.get("rate")
        code = (raw.get("code") if isinstance(raw, dict) else None) or ctx.biz.currency_code
        record["rate"] = money(dec(raw, ZERO), code)

    def after_save(self, ctx: Ctx, record: Record, before: Record | None) -> None:
        """Mirror the task into its service and service rate."""
        sync_service_from_task(ctx, record)


def next_shared_id(ctx: Ctx) -> int:
    """The next id free in both tasks and services."""
    return max(ctx.biz.col("tasks").max_id, ctx.biz.col("services").max_id) + 1


def task_from_service(ctx: Ctx, service: Record, rate: Any) -> Record:
    """The task record mirroring a service (and its rate)."""
    existing = ctx.biz.col("tasks").get(int(service["id"])) or {}
    task = {
        **Tasks().defaults(ctx),
        **existing,
        "id": int(service["id"]),
        "taskid": int(service["id"]),
        "name": service.get("name", ""),
        "billable": bool(service.get("billable", True)),
        "vis_state": int(service.get("vis_state", 0)),
        "updated": ctx.stamp,
    }
    if rate is not None:
        task["rate"] = money(dec(rate, ZERO), ctx.biz.currency_code)
    Tasks().finish(ctx, task)
    return task


def sync_task_from_service(ctx: Ctx, service: Record) -> None:
    """Save the task twin of a service that was just created or changed."""
    rate = ctx.biz.col("service_rates").get(int(service["id"]))
    task = task_from_service(ctx, service, rate.get("rate") if rate else None)
    ctx.biz.save("tasks", task["id"], task)


def sync_service_from_task(ctx: Ctx, task: Record) -> None:
    """Save the service (and rate) twin of a task that was just created or changed."""
    services = ctx.biz.col("services")
    existing = services.get(int(task["id"])) or {}
    service = {
        "project_default": False,
        **existing,
        "business_id": ctx.biz.business_id,
        "id": int(task["id"]),
        "name": task.get("name", ""),
        "billable": bool(task.get("billable", True)),
        "vis_state": int(task.get("vis_state", 0)),
    }
    ctx.biz.save("services", service["id"], service)
    rate = money_str(dec(task.get("rate"), ZERO))
    ctx.biz.save(
        "service_rates",
        service["id"],
        {"rate": rate, "business_id": ctx.biz.business_id, "service_id": service["id"]},
    )
