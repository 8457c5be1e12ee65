"""Expenses (derived status 0/1/2/4) and their read-only categories."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any, ClassVar

from sandbox.core import query as q
from sandbox.core.answers import private_keys
from sandbox.core.errors import Problem, validation
from sandbox.core.kinds import Ctx, Kind, Record, id_ref
from sandbox.core.query import Filter, Getter, field_getter
from sandbox.core.wire import dec, money, parse_day

ZERO = Decimal(0)
STATUS_INTERNAL, STATUS_OUTSTANDING, STATUS_INVOICED, STATUS_RECOUPED = 0, 1, 2, 4


def _money_or_none(value: Any, code: str) -> dict[str, str] | None:
    if value in (None, ""):
        return None
    return money(dec(value), value.get("code", code) if isinstance(value, dict) else code)


class Expenses(Kind):
    """FreshBooks expenses."""

    name = "expenses"
    path = "expenses/expenses"
    singular = "expense"
    plural = "expenses"
    legacy_id = "expenseid"
    scope = "expenses"
    computed = frozenset(
        {"status", "accounting_systemid", "is_cogs", "isduplicate", "from_bulk_import"}
    )
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("expenseid"),
        **q.ids("clientid"),
        "clientid_not": Filter("not", field_getter("clientid"), "int"),
        **q.ids("staffid"),
        **q.ids("profileid"),
        **q.ids("categoryid"),
        **q.ids("projectid"),
        **q.ids("invoiceid"),
        "has_receipt": Filter("bool", field_getter("has_receipt"), "bool"),
        **q.amounts("amount"),
        **q.days("date"),
        **q.days("updated"),
        **q.likes("vendor", "notes"),
    }
    sorts: ClassVar[dict[str, Getter]] = {
        "date": field_getter("date"),
        "amount": field_getter("amount"),
        "vendor": field_getter("vendor"),
        "updated": field_getter("updated"),
    }
    default_sort = ("date", "date", True)

    def defaults(self, ctx: Ctx) -> Record:
        """A new expense's fields."""
        return {
            "accounting_systemid": ctx.biz.account_id,
            "vendor": "",
            "notes": "",
            "clientid": 0,
            "projectid": 0,
            "invoiceid": None,
            "taxName1": None,
            "taxPercent1": None,
            "taxAmount1": None,
            "taxName2": None,
            "taxPercent2": None,
            "taxAmount2": None,
            "markup_percent": "0",
            "has_receipt": False,
            "include_receipt": False,
            "bank_name": None,
            "account_name": None,
            "profileid": None,
            "transactionid": None,
            "is_cogs": False,
            "isduplicate": False,
            "from_bulk_import": False,
            "background_jobid": None,
            "modern_projectid": None,
            "ext_accountid": None,
            "ext_invoiceid": 0,
            "ext_systemid": 0,
            "bill_matches": [],
            "billable": False,
            "vis_state": 0,
        }

    def _check(self, ctx: Ctx, body: Record) -> None:
        problems = []
        for name, kind in (
            ("categoryid", "category"),
            ("staffid", "staff"),
            ("clientid", "client"),
        ):
            if name in body:
                ref = id_ref(body, name, "expense")
                collection = {"category": "categories", "staff": "staff", "client": "clients"}
                if ref is not None and ctx.biz.col(collection[kind]).get(ref) is None:
                    problems.append(Problem(1004, f"Unknown {kind}.", name, "expense", ref))
        if "amount" in body:
            try:
                dec(body["amount"])
            except ValueError:
                problems.append(
                    Problem(1004, "field 'amount' must be a number", "amount", "expense", None)
                )
        if "date" in body:
            try:
                parse_day(str(body["date"]))
            except ValueError:
                problems.append(
                    Problem(1033, "field 'date' must be a date", "date", "expense", body["date"])
                )
        if "attachment" in body:
            problems.extend(_attachment_problems(ctx, body["attachment"]))
        if problems:
            raise validation(problems)

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """categoryid, staffid, date and amount are required."""
        missing = [
            n for n in ("categoryid", "staffid", "date", "amount") if body.get(n) in (None, "")
        ]
        if missing:
            raise validation(
                [Problem(1001, f"{n} is required.", n, "expense", None) for n in missing]
            )
        self._check(ctx, body)

    def validate_update(self, ctx: Ctx, record: Record, body: Record) -> None:
        """Referenced ids must exist; numbers and dates must parse."""
        self._check(ctx, body)

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Money objects in the expense currency; the category's COGS flag."""
        amount = record.get("amount")
        code = (amount.get("code") if isinstance(amount, dict) else None) or ctx.biz.currency_code
        record["amount"] = money(dec(amount, ZERO), code)
        for name in ("taxAmount1", "taxAmount2"):
            record[name] = _money_or_none(record.get(name), code)
        for name in ("clientid", "projectid", "staffid", "categoryid"):
            if record.get(name) not in (None, ""):
                record[name] = int(record[name])
        record["date"] = str(record["date"])[:10]
        category = ctx.biz.col("categories").get(int(record.get("categoryid") or 0))
        record["is_cogs"] = bool(category and category.get("is_cogs"))
        _link_attachment(ctx, record)

    def shown_as_stored(self, ctx: Ctx, record: Record) -> bool:
        """As stored when the stored status is still the one its invoice implies."""
        if "category" in ctx.includes or "attachment" in ctx.includes or private_keys(record):
            return False
        stored = record.get("status")
        return type(stored) is int and stored == expense_status(ctx, record)

    def present_variant(self, ctx: Ctx, record: Record) -> Hashable | None:
        """The status, which follows another record (the invoice); category includes are not
        memoized."""
        if "category" in ctx.includes:
            return None
        return (expense_status(ctx, record), "attachment" in ctx.includes)

    def decorate(self, ctx: Ctx, record: Record, out: Record) -> None:
        """Status follows the client link, the invoice and its payment (not writable)."""
        out["status"] = expense_status(ctx, record)
        if "category" in ctx.includes:
            category = ctx.biz.col("categories").get(int(record.get("categoryid") or 0))
            out["category"] = Categories().present(ctx, category) if category else None
        if "attachment" in ctx.includes:
            out["attachment"] = record.get("_attachment")


def _attachment_problems(ctx: Ctx, value: Any) -> list[Problem]:
    """An expense's `attachment` must name an upload of this business by its jwt."""
    if value is None:
        return []
    jwt = value.get("jwt") if isinstance(value, dict) else None
    if not isinstance(jwt, str) or ctx.biz.col("uploads").get(jwt) is None:
        return [Problem(1004, "Unknown attachment.", "attachment", "expense", None)]
    return []


def _link_attachment(ctx: Ctx, record: Record) -> None:
    """Keep a sent `attachment` as the private link read back with include[]=attachment, as
    FreshBooks answers it (id, attachmentid, jwt, media_type); a receipt is then on file.
    [?] That FreshBooks sets has_receipt by itself is assumed."""
    sent = record.pop("attachment", None)
    if not isinstance(sent, dict):
        return
    upload = ctx.biz.col("uploads").get(str(sent.get("jwt")))
    if upload is None:
        return
    record["_attachment"] = {
        "id": upload["id"],
        "attachmentid": upload["id"],
        "jwt": upload["jwt"],
        "media_type": sent.get("media_type") or upload["media_type"],
    }
    record["has_receipt"] = True


def expense_status(ctx: Ctx, record: Record) -> int:
    """0 internal, 1 outstanding (client, not invoiced), 2 invoiced, 4 recouped (paid)."""
    if not record.get("clientid"):
        return STATUS_INTERNAL
    invoice_id = record.get("invoiceid")
    if not invoice_id:
        return STATUS_OUTSTANDING
    invoice = ctx.biz.col("invoices").get(int(invoice_id))
    if invoice and invoice.get("payment_status") == "paid":
        return STATUS_RECOUPED
    return STATUS_INVOICED


class Categories(Kind):
    """Expense categories: list and get only."""

    name = "categories"
    path = "expenses/categories"
    singular = "category"
    plural = "categories"
    legacy_id = "categoryid"
    scope = "expenses"
    creatable = False
    writable = False
    updated_field = "updated_at"
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("categoryid"),
        "name": Filter("like", field_getter("category")),
        "is_cogs": Filter("bool", field_getter("is_cogs"), "bool"),
        "is_editable": Filter("bool", field_getter("is_editable"), "bool"),
        "parentid": Filter("eq", field_getter("parentid"), "int"),
    }
    sorts: ClassVar[dict[str, Getter]] = {"category": field_getter("category")}

    def defaults(self, ctx: Ctx) -> Record:
        """Category fields."""
        return {
            "category": "",
            "parentid": None,
            "is_cogs": False,
            "is_editable": True,
            "transaction_posted": False,
            "created_at": ctx.stamp,
            "vis_state": 0,
        }
