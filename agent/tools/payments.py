"""Payment tools: search payments and record a payment on an invoice."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import Field

from agent.queries import PaymentQuery
from agent.results import money, rows_result
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient import Money
from fbclient.models.invoices import Invoice
from fbclient.models.payments import PaymentInput, PaymentType

from ._args import Amount, Args, CurrencyCode, Note, PeriodArgs, RecordId, today_of
from ._cards import read_back, record_ids, written, written_id
from ._lookup import LIST_PAGES, client_names
from ._recent import FOUND_PAGE, first_day, made_since, same_text
from ._rows import (
    amount_totals,
    invoice_currency,
    invoice_owed,
    invoice_row,
    money_text,
    payment_row,
)

__all__ = ["TOOLS"]


# --- search_payments --------------------------------------------------------------------


class SearchPaymentsArgs(PeriodArgs):
    """Filters for a payment search; the dates are payment dates."""

    client_id: RecordId | None = Field(default=None, description="Only this client's payments")
    invoice_id: RecordId | None = Field(default=None, description="Only payments on this invoice")


def search_payments(ctx: ToolContext, args: SearchPaymentsArgs) -> dict[str, Any]:
    """Matching payments, newest first, with totals per currency over every match."""
    start, end = args.bounds(ctx)
    found = ctx.reads.payments(
        PaymentQuery(
            pages=LIST_PAGES,
            clientid=args.client_id,
            invoiceid=args.invoice_id,
            date_min=start,
            date_max=end,
        )
    )
    payments = sorted(found, key=lambda p: (p.date or date.min, p.id), reverse=True)
    names = client_names(ctx) if payments else {}
    return rows_result(
        [payment_row(p, names) for p in payments],
        totals={"amount": amount_totals(payments)},
        note="More payments exist than were read; narrow the search." if found.truncated else None,
    )


# --- record_payment ---------------------------------------------------------------------


class RecordPaymentArgs(Args):
    """A payment received against one invoice."""

    invoice_id: RecordId = Field(description="FreshBooks id of the invoice paid (not its number)")
    amount: Amount = Field(description="Amount received as a decimal string, e.g. '1200.00'")
    currency_code: CurrencyCode = Field(description="Currency of the amount, ISO 4217")
    payment_date: date | None = Field(
        default=None, description="Day the money was received, YYYY-MM-DD; null for today"
    )
    method: PaymentType | None = Field(default=None, description="How it was paid; null for Other")
    note: Note | None = Field(default=None, description="Private note about the payment, or null")


def _payment_warnings(
    invoice: Invoice, args: RecordPaymentArgs, day: date, today: date
) -> list[str]:
    currency = invoice_currency(invoice)
    owed = invoice_owed(invoice)
    warnings = []
    if args.currency_code != currency:
        warnings.append(
            f"The invoice is in {currency} but the payment is in {args.currency_code}; "
            "FreshBooks records payments in the invoice's currency."
        )
    elif args.amount > owed:
        warnings.append(
            f"{money_text(args.amount, currency)} is more than the "
            f"{money_text(owed, currency)} still owed"
            + ("" if owed else " (the invoice is already paid)")
            + "."
        )
    if invoice.is_draft:
        warnings.append("The invoice is still a draft (not sent).")
    if invoice.vis_state == 2:
        warnings.append("The invoice is archived.")
    if day > today:
        warnings.append(f"The payment date {day} is in the future.")
    return warnings


def propose_record_payment(ctx: ToolContext, args: RecordPaymentArgs) -> ProposedChange:
    """The card: invoice, client, amount, date, method, outstanding before and after."""
    invoice = ctx.books.invoices.get(args.invoice_id, include=())
    today = today_of(ctx)
    day = args.payment_date or today
    currency = invoice_currency(invoice)
    owed = invoice_owed(invoice)
    fields = [
        ("Invoice", f"{invoice.invoice_number} (id {invoice.id})"),
        ("Client", invoice.client_name),
        ("Amount", money_text(args.amount, args.currency_code)),
        ("Date", day.isoformat()),
        ("Method", args.method or "Other"),
    ]
    if args.note:
        fields.append(("Note", args.note))
    if args.currency_code == currency:
        after = max(owed - args.amount, Decimal(0))
        fields.append(
            ("Outstanding", f"{money_text(owed, currency)} → {money_text(after, currency)}")
        )
    return ProposedChange(
        title=f"Record a payment of {money_text(args.amount, args.currency_code)} "
        f"on invoice {invoice.invoice_number}",
        fields=fields,
        client=invoice.client_name,
        amounts=[money_text(args.amount, args.currency_code)],
        warnings=_payment_warnings(invoice, args, day, today),
    )


def record_payment(ctx: ToolContext, args: RecordPaymentArgs) -> dict[str, Any]:
    """Record the payment, then read back the payment and the invoice's new balance."""
    created = ctx.books.payments.create(
        PaymentInput(
            invoiceid=args.invoice_id,
            amount=Money.of(args.amount, args.currency_code),
            date=args.payment_date or today_of(ctx),
            type=args.method or "Other",
            note=args.note,
        )
    )
    payment = read_back(lambda: ctx.books.payments.get(created.id), created)
    invoice = read_back(lambda: ctx.books.invoices.get(args.invoice_id, include=()), None)
    details: dict[str, Any] = {"payment": payment_row(payment, {})}
    if invoice is not None:  # the payment is made even when its invoice cannot be re-read
        details["invoice"] = invoice_row(invoice, today_of(ctx))
    return written(
        "recorded payment", record_ids(payment=payment.id, invoice=args.invoice_id), **details
    )


def find_created_payment(
    ctx: ToolContext, args: RecordPaymentArgs, since: datetime
) -> list[FoundRecord]:
    """Payments on the invoice with the same amount and date, made since ``since``."""
    day = args.payment_date or today_of(ctx)
    page = ctx.books.payments.list_page(
        1, FOUND_PAGE, {"invoiceid": args.invoice_id, "updated_min": first_day(since)}
    )
    return [
        FoundRecord(
            "payment",
            payment.id,
            f"payment of {money_text(args.amount, args.currency_code)} on invoice "
            f"id {args.invoice_id}, dated {payment.date}",
        )
        for payment in page.items
        if payment.invoiceid in (None, args.invoice_id)
        and payment.amount is not None
        and (payment.amount.amount, payment.amount.code) == (args.amount, args.currency_code)
        and payment.date in (None, day)
        and same_text(args.note, payment.note)
        and made_since(since, payment.updated)
    ]


def undo_record_payment(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the recorded payment; the invoice's balance follows."""
    payment_id = written_id(result, "payment")
    payment = ctx.books.payments.get(payment_id)
    ctx.books.payments.delete(payment_id)
    ids = record_ids(payment=payment_id, invoice=payment.invoiceid)
    if payment.invoiceid is None:
        return written("deleted payment", ids)
    invoice = ctx.books.invoices.get(payment.invoiceid, include=())
    return written("deleted payment", ids, outstanding=money(invoice.outstanding))


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_payments",
        description=(
            "Search payments received, by client, invoice or payment date (a relative period "
            "or explicit dates). Newest first, at most 25, with totals per currency."
        ),
        args=SearchPaymentsArgs,
        handler=search_payments,
    ),
    Tool(
        name="record_payment",
        description=(
            "Record a payment received on an invoice (amount as a decimal string with its "
            "currency); it reduces what the invoice still owes. The user confirms first."
        ),
        args=RecordPaymentArgs,
        handler=record_payment,
        permission="write",
        propose=propose_record_payment,
        undo=undo_record_payment,
        find_created=find_created_payment,
    ),
]
