"""Invoices and estimates: documents with lines, numbers, computed totals and statuses."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Hashable
from decimal import Decimal
from typing import Any, ClassVar

from sandbox.core import invoicing as calc
from sandbox.core import query as q
from sandbox.core.errors import ApiError, Problem, validation
from sandbox.core.kinds import Ctx, Kind, Record, id_ref, int_field
from sandbox.core.query import Filter, Getter, field_getter
from sandbox.core.wire import dec, money, num_str

ZERO = calc.ZERO

LINE_DEFAULTS: dict[str, Any] = {
    "type": 0,
    "name": "",
    "description": "",
    "taxName1": "",
    "taxAmount1": "0",
    "taxName2": "",
    "taxAmount2": "0",
    "taxNumber1": "",
    "taxNumber2": "",
    "compounded_tax": False,
    "expenseid": 0,
    "date": None,
    "retainer_id": None,
    "retainer_period_id": None,
    "modern_project_id": None,
    "modern_time_entries": [],
    "basecampid": 0,
}

ADDRESS_FIELDS = ("street", "street2", "city", "province", "code", "country")


def _copy_client(ctx: Ctx, record: Record, given: Record) -> None:
    """Currency, name and address default to the client's, as FreshBooks fills them."""
    client = ctx.biz.col("clients").get(int(record.get("customerid") or 0))
    if not client:
        return
    if "currency_code" not in given:
        record["currency_code"] = client.get("currency_code") or ctx.biz.currency_code
    for name in ("fname", "lname", "organization", "email"):
        if name not in given:
            record[name] = client.get(name) or ""
    record["current_organization"] = client.get("organization") or ""
    for name in ADDRESS_FIELDS:
        if name not in given:
            record[name] = client.get(f"p_{name}") or ""


def _bad(errno: int, text: str, name: str | None, obj: str, value: Any) -> ApiError:
    return validation([Problem(errno, text, name, obj, value)])


class LineDocument(Kind):
    """Shared behaviour of invoices and estimates."""

    number_field: ClassVar[str] = ""
    http_delete = True
    writable_statuses: ClassVar[frozenset[int]] = calc.WRITABLE_STATUSES

    # -- validation -----------------------------------------------------------------------------
    def _check_common(self, ctx: Ctx, body: Record, record: Record | None) -> None:
        obj = self.singular
        if "due_date" in body:
            raise ApiError(
                403,
                [Problem(1038, "Write access denied to field 'due_date'.", "due_date", obj, None)],
                kind="forbidden",
            )
        status = int_field(body, "status", obj)
        if status is not None and status not in self.writable_statuses:
            raise _bad(1004, "Invalid status.", "status", obj, status)
        if "customerid" in body:
            client_id = id_ref(body, "customerid", obj)
            if client_id is None or ctx.biz.col("clients").get(client_id) is None:
                raise _bad(1004, "Client not found.", "customerid", obj, body.get("customerid"))
        if "create_date" in body:
            try:
                dt.date.fromisoformat(str(body["create_date"])[:10])
            except ValueError:
                raise _bad(
                    1033, "field 'create_date' must be a date", "create_date", obj, None
                ) from None
        if "due_offset_days" in body:
            int_field(body, "due_offset_days", obj)
        if "discount_value" in body:
            try:
                pct = dec(body["discount_value"], ZERO)
            except ValueError:
                pct = Decimal(-1)
            if not ZERO <= pct <= Decimal(100):
                raise _bad(
                    1018, "Invalid percent value.", "discount_value", obj, body["discount_value"]
                )
        if "lines" in body:
            self._check_lines(body["lines"])
        number = body.get(self.number_field)
        if number not in (None, ""):
            self._check_unique_number(ctx, str(number), record)

    def _check_lines(self, lines: Any) -> None:
        obj = "line"
        if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
            raise _bad(1006, "lines must be a list of objects.", "lines", self.singular, None)
        for line in lines:
            for name in ("qty", "unit_cost", "taxAmount1", "taxAmount2"):
                if line.get(name) in (None, ""):
                    continue
                try:
                    dec(line[name])
                except ValueError:
                    raise _bad(
                        1004, f"field '{name}' must be a number", name, obj, line[name]
                    ) from None

    def _check_unique_number(self, ctx: Ctx, number: str, record: Record | None) -> None:
        same = ctx.biz.col(self.name).group_by(self.number_field).get(number, [])
        clash = [
            d
            for d in same
            if d.get("vis_state") != 1 and (not record or d.get("id") != record.get("id"))
        ]
        if clash:
            raise ApiError(
                409,
                [
                    Problem(
                        409,
                        f"{self.label or self.singular.capitalize()} number already exists.",
                        self.number_field,
                        self.singular,
                        number,
                    )
                ],
                kind="conflict",
            )

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """customerid and create_date are required; then the common checks."""
        missing = [n for n in ("customerid", "create_date") if body.get(n) in (None, "")]
        if missing:
            raise validation(
                [Problem(1001, f"{n} is required.", n, self.singular, None) for n in missing]
            )
        self._check_common(ctx, body, None)

    def validate_update(self, ctx: Ctx, record: Record, body: Record) -> None:
        """The common checks against the stored record."""
        self._check_common(ctx, body, record)

    # -- building -------------------------------------------------------------------------------
    def accept(self, body: Record) -> Record:
        """Settable fields; a written `status` sets the sending state."""
        accepted = super().accept(body)
        if "status" in accepted:
            accepted["_sending"] = accepted.pop("status")
        return accepted

    def create(self, ctx: Ctx, body: Record) -> Record:
        """Create as a draft, numbered after the previous document when no number is sent."""
        record = super().create(ctx, body)
        if record.get(self.number_field) in (None, ""):
            col = ctx.biz.col(self.name)
            last = col.get(col.max_id)
            record[self.number_field] = calc.next_number(
                str(last.get(self.number_field)) if last else None
            )
        _copy_client(ctx, record, given=body)
        record["created_at"] = ctx.stamp
        self.finish(ctx, record)
        return record

    def defaults(self, ctx: Ctx) -> Record:
        """Fields every document carries."""
        return {
            "accountid": ctx.biz.account_id,
            "accounting_systemid": ctx.biz.account_id,
            "currency_code": ctx.biz.currency_code,
            "discount_value": "0",
            "language": "en",
            "template": "clean-grouped",
            "notes": "",
            "terms": "",
            "po_number": None,
            "vat_name": None,
            "vat_number": None,
            "fname": "",
            "lname": "",
            "organization": "",
            "current_organization": "",
            "email": "",
            **dict.fromkeys(ADDRESS_FIELDS, ""),
            "ownerid": 1,
            "parent": 0,
            "uuid": str(uuid.uuid4()),
            "lines": [],
            "_sending": 1,
            "vis_state": 0,
            "created_at": ctx.stamp,
        }

    def normalize(self, ctx: Ctx, record: Record) -> Record:
        """Seeded documents carry the sending state in `status`; keep it apart from payments'."""
        if "_sending" not in record:
            status = record.get("status", 1)
            # Payment-driven statuses (4-8 on invoices) fall back to "sent" as sending state.
            sending = status if status in self.writable_statuses else 2
            record = {**record, "_sending": sending}
            _copy_client(ctx, record, given=record)
        return super().normalize(ctx, record)

    def _finish_lines(self, ctx: Ctx, record: Record) -> list[Record]:
        code = record.get("currency_code") or ctx.biz.currency_code
        lines = []
        for index, raw in enumerate(record.get("lines") or [], start=1):
            line = {**LINE_DEFAULTS, **raw}
            line["lineid"] = raw.get("lineid") or index
            line[self.legacy_id or "id"] = record["id"]
            line["qty"] = num_str(dec(raw.get("qty"), Decimal(1)))
            line["unit_cost"] = money(dec(raw.get("unit_cost"), ZERO), code)
            line["amount"] = money(calc.line_amount(line), code)
            for name in ("taxAmount1", "taxAmount2"):
                line[name] = num_str(dec(raw.get(name), ZERO))
            line.setdefault("updated", record.get("updated"))
            lines.append(line)
        return lines

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Recompute lines and totals."""
        code = record.get("currency_code") or ctx.biz.currency_code
        record["lines"] = self._finish_lines(ctx, record)
        totals = calc.totals(record["lines"], record.get("discount_value"))
        record["discount_value"] = num_str(dec(record.get("discount_value"), ZERO))
        record["discount_total"] = money(totals.discount_total, code)
        record["amount"] = money(totals.amount, code)
        # Kept private for reports: revenue excludes the taxes collected.
        record["_tax_total"] = str(totals.tax_total)

    def present_variant(self, ctx: Ctx, record: Record) -> Hashable | None:
        """Lines and presentation follow the includes."""
        return ("lines" in ctx.includes, "presentation" in ctx.includes)

    def decorate(self, ctx: Ctx, record: Record, out: Record) -> None:
        """Lines only when `include[]=lines` is asked for."""
        if "lines" not in ctx.includes:
            out.pop("lines", None)
        if "presentation" in ctx.includes:
            out["presentation"] = record.get("presentation") or {
                "theme_primary_color": "#1d1d1d",
                "theme_layout": "simple",
                "theme_font_name": "modern",
                "image_logo_src": None,
            }


def _v3(ctx: Ctx) -> Getter:
    today = ctx.today
    return lambda r: "overdue" if calc.is_overdue(r, today) else r.get("v3_status")


class Invoices(LineDocument):
    """FreshBooks invoices."""

    name = "invoices"
    path = "invoices/invoices"
    singular = "invoice"
    plural = "invoices"
    legacy_id = "invoiceid"
    scope = "invoices"
    number_field = "invoice_number"
    computed = frozenset(
        {
            "amount",
            "outstanding",
            "paid",
            "discount_total",
            "payment_status",
            "v3_status",
            "display_status",
            "date_paid",
            "created_at",
            "accountid",
            "accounting_systemid",
            "uuid",
            "current_organization",
            "due_date",
            "autobill_status",
            "dispute_status",
            "sentid",
        }
    )
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("customerid"),
        **q.ids("invoiceid"),
        "invoice_number": Filter("eq", field_getter("invoice_number")),
        **q.likes("invoice_number"),
        **q.days("date", "create_date"),
        **q.days("updated"),
    }
    sorts: ClassVar[dict[str, Getter]] = {
        "invoice_date": field_getter("create_date"),
        "invoice_number": field_getter("invoice_number"),
        "due_date": field_getter("due_date"),
        "amount": field_getter("amount"),
        "outstanding": field_getter("outstanding"),
    }
    default_sort = ("create_date", "create_date", True)

    def context_filters(self, ctx: Ctx) -> dict[str, Filter]:
        """`v3_status` includes the read-time "overdue" state."""
        get = _v3(ctx)
        return {"v3_status": Filter("eq", get), "v3_statuses": Filter("in", get)}

    def defaults(self, ctx: Ctx) -> Record:
        """Invoice fields on top of the document defaults."""
        return {
            **super().defaults(ctx),
            "due_offset_days": 30,
            "date_paid": None,
            "deposit_amount": None,
            "deposit_percentage": None,
            "deposit_status": "none",
            "autobill_status": None,
            "auto_bill": False,
            "dispute_status": None,
            "estimateid": 0,
            "sentid": 0,
            "version": None,
        }

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Totals, due date, payments received and the statuses they imply."""
        super().finish(ctx, record)
        code = record.get("currency_code") or ctx.biz.currency_code
        offset = int(record.get("due_offset_days") or 0)
        record["due_offset_days"] = offset
        record["create_date"] = str(record["create_date"])[:10]
        record["due_date"] = calc.due_date(record["create_date"], offset)
        amount = dec(record["amount"])
        payments = [
            p
            for p in ctx.biz.col("payments").group_by("invoiceid").get(record["id"], [])
            if p.get("vis_state") != 1
        ]
        paid = sum((dec(p.get("amount"), ZERO) for p in payments), ZERO)
        owed = max(amount - paid, ZERO)
        record["paid"] = money(paid, code)
        record["outstanding"] = money(owed, code)
        record.update(calc.status_fields(int(record.get("_sending", 1)), amount, paid))
        paid_dates = [str(p.get("date")) for p in payments if p.get("date")]
        record["date_paid"] = max(paid_dates) if record["payment_status"] == "paid" else None
        record["version"] = record.get("updated")

    def act(self, ctx: Ctx, record: Record, body: Record) -> None:
        """action_mark_as_sent / action_email move a draft to sent."""
        if body.get("action_mark_as_sent") or body.get("action_email"):
            if record.get("_sending", 1) == 1:
                record["_sending"] = 2
            if body.get("action_email"):
                record["_emails"] = int(record.get("_emails", 0)) + 1
                record["sentid"] = 1
        self.finish(ctx, record)

    def after_save(self, ctx: Ctx, record: Record, before: Record | None) -> None:
        """The estimate an invoice came from becomes invoiced once that invoice is sent.

        FreshBooks defines estimate status 6 as "converted to an invoice, and that invoice
        has been sent to a Client"; which of its fields it also sets is unverified [?]: the
        estimate's ``invoiceid`` is filled here.
        """
        estimate_id = int(record.get("estimateid") or 0)
        if not estimate_id or record.get("_sending", 1) in (0, 1) or record.get("vis_state") == 1:
            return
        estimate = ctx.biz.col("estimates").get(estimate_id)
        if estimate is None or estimate.get("_sending") == 6:
            return
        updated = {**estimate, "_sending": 6, "invoiceid": record["id"]}
        Estimates().finish(ctx, updated)
        updated["updated"] = ctx.stamp
        ctx.biz.save("estimates", estimate_id, updated)

    def present_variant(self, ctx: Ctx, record: Record) -> Hashable | None:
        """The includes, and the day: overdue is decided at read time."""
        return ("lines" in ctx.includes, "presentation" in ctx.includes, ctx.today)

    def decorate(self, ctx: Ctx, record: Record, out: Record) -> None:
        """Overdue is a read-time state: it depends on today's date."""
        super().decorate(ctx, record, out)
        if calc.is_overdue(record, ctx.today):
            out["v3_status"] = "overdue"
            out["display_status"] = "outstanding"


ESTIMATE_UI = {0: "draft", 1: "draft", 2: "sent", 3: "viewed", 4: "replied", 5: "accepted"}
ESTIMATE_UI[6] = "invoiced"


class Estimates(LineDocument):
    """FreshBooks estimates (quotes)."""

    name = "estimates"
    path = "estimates/estimates"
    singular = "estimate"
    plural = "estimates"
    legacy_id = "estimateid"
    scope = "estimates"
    number_field = "estimate_number"
    writable_statuses = frozenset(range(0, 7))
    computed = frozenset(
        {"amount", "discount_total", "ui_status", "display_status", "created_at", "accountid"}
    )
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("customerid"),
        **q.ids("estimateid"),
        "estimate_number": Filter("eq", field_getter("estimate_number")),
        **q.likes("estimate_number"),
        "notes": Filter("like", field_getter("notes")),
        **q.days("date", "create_date"),
        **q.days("updated"),
        "statusid": Filter("eq", field_getter("status"), "int"),
        "statusids": Filter("in", field_getter("status"), "int"),
    }
    sorts: ClassVar[dict[str, Getter]] = {
        "estimate_date": field_getter("create_date"),
        "estimate_number": field_getter("estimate_number"),
        "amount": field_getter("amount"),
    }
    default_sort = ("create_date", "create_date", True)

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Totals and the UI status of the sending state."""
        super().finish(ctx, record)
        record["create_date"] = str(record["create_date"])[:10]
        record["status"] = int(record.get("_sending", 1))
        record["ui_status"] = ESTIMATE_UI.get(record["status"], "draft")
        record["display_status"] = record["ui_status"]

    def act(self, ctx: Ctx, record: Record, body: Record) -> None:
        """action_email / action_mark_as_sent send a draft estimate."""
        if (body.get("action_email") or body.get("action_mark_as_sent")) and record.get(
            "_sending", 1
        ) in (0, 1):
            record["_sending"] = 2
        self.finish(ctx, record)
