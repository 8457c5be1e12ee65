"""Payments: each one recomputes the paid, outstanding and statuses of its invoice."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from sandbox.core import query as q
from sandbox.core.errors import Problem, validation
from sandbox.core.kinds import Ctx, Kind, Record, id_ref
from sandbox.core.query import Filter, Getter, field_getter
from sandbox.core.wire import dec, money, parse_day

PAYMENT_TYPES = (
    "Check",
    "Credit",
    "Cash",
    "Bank Transfer",
    "Credit Card",
    "Debit",
    "PayPal",
    "2Checkout",
    "VISA",
    "MASTERCARD",
    "DISCOVER",
    "AMEX",
    "DINERS",
    "JCB",
    "ACH",
    "Other",
)


def refresh_invoice(ctx: Ctx, invoice_id: int | None) -> None:
    """Recompute and save an invoice after its payments changed."""
    from sandbox.api.invoices import Invoices  # local: invoices never import payments

    if not invoice_id:
        return
    invoice = ctx.biz.col("invoices").get(int(invoice_id))
    if invoice is None:
        return
    updated = dict(invoice)
    Invoices().finish(ctx, updated)
    updated["updated"] = ctx.stamp
    ctx.biz.save("invoices", updated["id"], updated)


class Payments(Kind):
    """FreshBooks invoice payments."""

    name = "payments"
    path = "payments/payments"
    singular = "payment"
    plural = "payments"
    legacy_id = "logid"
    scope = "payments"
    computed = frozenset({"clientid", "accounting_systemid", "overpaymentid", "creditid"})
    filters: ClassVar[dict[str, Filter]] = {
        **q.ids("logid"),
        **q.days("date"),
        **q.days("updated"),
        **q.amounts("amount"),
        "type": Filter("eq", field_getter("type")),
        **q.ids("customerid", "clientid"),
        **q.ids("clientid"),
        **q.ids("invoiceid"),
        "currency": Filter("eq", lambda r: (r.get("amount") or {}).get("code")),
        "notes": Filter("like", field_getter("note")),
        "from_credit": Filter("bool", field_getter("from_credit"), "bool"),
    }
    sorts: ClassVar[dict[str, Getter]] = {
        "date": field_getter("date"),
        "amount": field_getter("amount"),
        "updated": field_getter("updated"),
    }
    default_sort = ("date", "date", True)

    def defaults(self, ctx: Ctx) -> Record:
        """A new payment's fields."""
        return {
            "accounting_systemid": ctx.biz.account_id,
            "type": "Check",
            "note": "",
            "creditid": None,
            "overpaymentid": None,
            "gateway": None,
            "from_credit": False,
            "orderid": None,
            "transactionid": None,
            "bulk_paymentid": None,
            "send_client_notification": False,
            "vis_state": 0,
        }

    def _check(self, ctx: Ctx, body: Record) -> None:
        problems = []
        if "invoiceid" in body:
            ref = id_ref(body, "invoiceid", "payment")
            invoice = ctx.biz.col("invoices").get(ref) if ref else None
            if invoice is None or invoice.get("vis_state") == 1:
                problems.append(
                    Problem(1004, "Invoice not found.", "invoiceid", "payment", body["invoiceid"])
                )
        if "amount" in body:
            try:
                if dec(body["amount"]) <= 0:
                    raise ValueError
            except ValueError:
                problems.append(
                    Problem(1004, "amount must be a positive number.", "amount", "payment", None)
                )
        if "type" in body and body["type"] not in PAYMENT_TYPES:
            problems.append(Problem(1004, "Invalid payment type.", "type", "payment", body["type"]))
        if "date" in body:
            try:
                parse_day(str(body["date"]))
            except ValueError:
                problems.append(
                    Problem(1033, "field 'date' must be a date", "date", "payment", None)
                )
        if problems:
            raise validation(problems)

    def validate_create(self, ctx: Ctx, body: Record) -> None:
        """invoiceid, amount and date are required."""
        missing = [n for n in ("invoiceid", "amount", "date") if body.get(n) in (None, "")]
        if missing:
            raise validation(
                [Problem(1001, f"{n} is required.", n, "payment", None) for n in missing]
            )
        self._check(ctx, body)

    def validate_update(self, ctx: Ctx, record: Record, body: Record) -> None:
        """Same checks; the invoice of a payment cannot be changed."""
        self._check(ctx, {k: v for k, v in body.items() if k != "invoiceid"})

    def update(self, ctx: Ctx, record: Record, body: Record) -> Record:
        """A payment keeps its invoice; other fields follow the generic phases."""
        new = super().update(ctx, record, {k: v for k, v in body.items() if k != "invoiceid"})
        new["invoiceid"] = record["invoiceid"]
        return new

    def finish(self, ctx: Ctx, record: Record) -> None:
        """Amount in the invoice currency; the client comes from the invoice."""
        invoice = ctx.biz.col("invoices").get(int(record.get("invoiceid") or 0))
        raw = record.get("amount")
        code = (raw.get("code") if isinstance(raw, dict) else None) or (
            invoice.get("currency_code") if invoice else None
        )
        record["amount"] = money(dec(raw, Decimal(0)), code or ctx.biz.currency_code)
        record["invoiceid"] = int(record.get("invoiceid") or 0)
        if invoice is not None:
            record["clientid"] = int(invoice.get("customerid") or 0)
        record.setdefault("clientid", 0)
        record["date"] = str(record.get("date"))[:10]

    def after_save(self, ctx: Ctx, record: Record, before: Record | None) -> None:
        """The invoice's paid/outstanding/status follow its payments."""
        refresh_invoice(ctx, record.get("invoiceid"))
        if before and before.get("invoiceid") != record.get("invoiceid"):
            refresh_invoice(ctx, before.get("invoiceid"))
