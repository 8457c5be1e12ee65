"""Invoice tools: search, get (with lines), create, update, email, mark sent, archive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from agent.queries import InvoiceQuery
from agent.results import money, rows_result, totals_by_currency
from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient import Money
from fbclient.models.invoices import Invoice, InvoiceInput, InvoiceLineInput, InvoiceUpdate

from ._args import (
    Args,
    CurrencyCode,
    Email,
    LongText,
    Note,
    PeriodArgs,
    Quantity,
    RecordId,
    ShortText,
    TaxPercent,
    UnitCost,
    UpdateArgs,
    changed_fields,
    today_of,
)
from ._cards import change_rows, display, read_back, record_ids, written, written_id
from ._lookup import LIST_PAGES
from ._recent import FOUND_PAGE, first_day, made_since, same_text
from ._rows import (
    compact,
    invoice_amount,
    invoice_currency,
    invoice_owed,
    invoice_row,
    money_text,
    payment_row,
    printed_parts,
)

__all__ = [
    "TOOLS",
    "LineArgs",
    "invoice_detail",
    "invoices_made",
    "line_card_rows",
    "line_inputs",
    "line_totals",
    "total_rows",
    "undo_create_invoice",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
InvoiceStatusFilter = Literal[
    "draft", "sent", "viewed", "partial", "paid", "overdue", "disputed", "unpaid"
]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def invoice_detail(invoice: Invoice, today: date) -> dict[str, Any]:
    """An invoice with its lines, paid amount and printed text (as data)."""
    extra = {
        "paid": money(invoice.paid),
        "email": invoice.email,
        "po_number": invoice.po_number,
        **printed_parts(invoice),
    }
    return {**invoice_row(invoice, today), **compact(extra)}


# --- search_invoices --------------------------------------------------------------------


class SearchInvoicesArgs(PeriodArgs):
    """Filters for an invoice search; the dates are invoice dates."""

    client_id: RecordId | None = Field(default=None, description="Only this client's invoices")
    status: InvoiceStatusFilter | None = Field(
        default=None,
        description="Only invoices in this state; unpaid means sent with money still owed",
    )
    number: ShortText | None = Field(default=None, description="The invoice number, e.g. 0042")


def search_invoices(ctx: ToolContext, args: SearchInvoicesArgs) -> dict[str, Any]:
    """Matching invoices, newest first, with amount and outstanding totals per currency."""
    start, end = args.bounds(ctx)
    status = None if args.status is None or args.status == "unpaid" else args.status
    today = today_of(ctx)
    found = ctx.reads.invoices(
        InvoiceQuery(
            pages=LIST_PAGES,
            customerid=args.client_id,
            date_min=start,
            date_max=end,
            v3_status=status,
            invoice_number=args.number,
        )
    )
    invoices = list(found)
    if args.status == "unpaid":
        invoices = [i for i in invoices if not i.is_draft and i.owed > 0]
    return rows_result(
        [invoice_row(i, today) for i in invoices],
        totals={
            "amount": totals_by_currency(
                (invoice_currency(i), i.amount.amount) for i in invoices if i.amount
            ),
            "outstanding": totals_by_currency(
                (invoice_currency(i), invoice_owed(i)) for i in invoices
            ),
        },
        note="More invoices exist than were read; narrow the search." if found.truncated else None,
    )


# --- get_invoice ------------------------------------------------------------------------


class GetInvoiceArgs(Args):
    """Which invoice."""

    invoice_id: RecordId = Field(description="FreshBooks id of the invoice (not its number)")


def get_invoice(ctx: ToolContext, args: GetInvoiceArgs) -> dict[str, Any]:
    """One invoice with its lines and the payments recorded on it."""
    reads = ctx.reads
    invoice = reads.invoice(args.invoice_id)
    payments = reads.invoice_payments(invoice, limit=10)
    detail = invoice_detail(invoice, today_of(ctx))
    if payments:
        detail["payments"] = [payment_row(p, {}) for p in payments]
    return {"invoice": detail}


# --- lines shared by create and update --------------------------------------------------


class LineArgs(Args):
    """One invoice line: what was sold, how many, at what price, and an optional tax."""

    name: ShortText = Field(description="Item or service name shown on the line")
    description: Note | None = Field(
        default=None, description="Longer text under the name, or null"
    )
    quantity: Quantity = Field(description="Quantity or hours as a decimal string, e.g. '2.5'")
    unit_cost: UnitCost = Field(
        description="Price of one unit as a decimal string in the invoice currency, e.g. '150.00'"
    )
    tax_name: ShortText | None = Field(default=None, description="Tax name, e.g. HST, or null")
    tax_percent: TaxPercent | None = Field(
        default=None, description="Tax rate in percent as a decimal string, e.g. '13', or null"
    )

    @model_validator(mode="after")
    def _tax_pair(self) -> Self:
        if (self.tax_name is None) != (self.tax_percent is None):
            raise ValueError("give tax_name and tax_percent together, or neither")
        return self


def line_inputs(lines: Sequence[LineArgs], currency: str) -> list[InvoiceLineInput]:
    """The lines as fbclient writes them, priced in ``currency``."""
    return [
        InvoiceLineInput(
            name=line.name,
            description=line.description,
            qty=line.quantity,
            unit_cost=Money.of(line.unit_cost, currency),
            taxName1=line.tax_name,
            taxAmount1=line.tax_percent,
        )
        for line in lines
    ]


def line_totals(lines: Sequence[LineArgs]) -> tuple[Decimal, Decimal]:
    """(subtotal, tax) as FreshBooks computes them: lines to the cent, tax summed then rounded."""
    subtotal = Decimal(0)
    tax = Decimal(0)
    for line in lines:
        amount = _cents(line.quantity * line.unit_cost)
        subtotal += amount
        tax += amount * (line.tax_percent or 0) / HUNDRED
    return subtotal, _cents(tax)


def line_card_rows(lines: Sequence[LineArgs], currency: str) -> list[tuple[str, str]]:
    """One card row per line: "2.5 × 150.00 USD = 375.00 USD (HST 13%)"."""
    rows = []
    for index, line in enumerate(lines, start=1):
        amount = _cents(line.quantity * line.unit_cost)
        tax = f" + {line.tax_name} {format(line.tax_percent, 'f')}%" if line.tax_name else ""
        rows.append(
            (
                f"Line {index}: {line.name}",
                f"{format(line.quantity, 'f')} × {money_text(line.unit_cost, currency)} = "
                f"{money_text(amount, currency)}{tax}",
            )
        )
    return rows


def total_rows(lines: Sequence[LineArgs], currency: str) -> tuple[list[tuple[str, str]], Decimal]:
    """Subtotal, tax and total rows, and the total."""
    subtotal, tax = line_totals(lines)
    rows = [("Subtotal", money_text(subtotal, currency))]
    if tax:
        rows.append(("Tax", money_text(tax, currency)))
    rows.append(("Total", money_text(subtotal + tax, currency)))
    return rows, subtotal + tax


# --- create_invoice ---------------------------------------------------------------------


class CreateInvoiceArgs(Args):
    """A new draft invoice for one client."""

    client_id: RecordId = Field(description="FreshBooks id of the client billed")
    currency_code: CurrencyCode | None = Field(
        default=None, description="Invoice currency, ISO 4217; null for the client's currency"
    )
    lines: list[LineArgs] = Field(min_length=1, max_length=50, description="The invoice lines")
    create_date: date | None = Field(
        default=None, description="Invoice date, YYYY-MM-DD; null for today"
    )
    due_offset_days: int | None = Field(
        default=None, ge=0, le=365, description="Days after the invoice date it is due, or null"
    )
    notes: LongText | None = Field(default=None, description="Notes printed on the invoice")
    po_number: ShortText | None = Field(default=None, description="Client's PO number, or null")


@dataclass(frozen=True)
class InvoicePlan:
    """What a new invoice will be: for whom, in which currency, on which day."""

    client_name: str
    currency: str
    day: date
    warnings: list[str]


def _invoice_plan(ctx: ToolContext, args: CreateInvoiceArgs) -> InvoicePlan:
    client = ctx.books.clients.get(args.client_id)
    client_currency = (client.currency_code or "").upper() or None
    currency = args.currency_code or client_currency
    if currency is None:
        raise ValueError(
            f"{client.display_name} has no currency set; give currency_code for the invoice"
        )
    warnings = []
    if client_currency and currency != client_currency:
        warnings.append(f"{client.display_name} is billed in {client_currency}, not {currency}.")
    if client.vis_state == 2:
        warnings.append(f"{client.display_name} is archived.")
    return InvoicePlan(client.display_name, currency, args.create_date or today_of(ctx), warnings)


def _possible_duplicate(
    ctx: ToolContext, client_id: int, total: Decimal, currency: str, day: date
) -> str | None:
    recent = ctx.books.invoices.list_page(
        1, 100, customerid=client_id, date_min=day - timedelta(days=14)
    ).items
    for invoice in recent:
        if invoice.amount is not None and (invoice.amount.amount, invoice.amount.code) == (
            total,
            currency,
        ):
            return (
                f"Invoice {invoice.invoice_number} (id {invoice.id}) for the same client and "
                f"amount is dated {invoice.create_date}: is this a duplicate?"
            )
    return None


def propose_create_invoice(ctx: ToolContext, args: CreateInvoiceArgs) -> ProposedChange:
    """The card: client, currency, date, every line with its amount, totals, warnings."""
    plan = _invoice_plan(ctx, args)
    name, currency, day, warnings = plan.client_name, plan.currency, plan.day, plan.warnings
    totals, total = total_rows(args.lines, currency)
    if total == 0:
        warnings.append("The invoice total is zero.")
    duplicate = _possible_duplicate(ctx, args.client_id, total, currency, day)
    if duplicate:
        warnings.append(duplicate)
    fields = [
        ("Client", f"{name} (id {args.client_id})"),
        ("Invoice date", day.isoformat()),
        ("Currency", currency),
    ]
    if args.due_offset_days is not None:
        fields.append(("Due", f"{args.due_offset_days} days after the invoice date"))
    fields += line_card_rows(args.lines, currency) + totals
    if args.notes:
        fields.append(("Notes", args.notes))
    if args.po_number:
        fields.append(("PO number", args.po_number))
    return ProposedChange(
        title=f"Create a draft invoice for {name}",
        fields=fields,
        client=name,
        amounts=[money_text(total, currency)],
        warnings=warnings,
    )


def create_invoice(ctx: ToolContext, args: CreateInvoiceArgs) -> dict[str, Any]:
    """Create the draft invoice, then read it back with its lines."""
    plan = _invoice_plan(ctx, args)
    data = InvoiceInput(
        customerid=args.client_id,
        create_date=plan.day,
        currency_code=plan.currency,
        lines=line_inputs(args.lines, plan.currency),
        **changed_fields(args, {"client_id", "currency_code", "lines", "create_date"}),
    )
    created = ctx.books.invoices.create(data)
    invoice = read_back(lambda: ctx.books.invoices.get(created.id), created)
    return written(
        "created draft invoice",
        record_ids(invoice=invoice.id),
        invoice=invoice_detail(invoice, today_of(ctx)),
    )


def invoices_made(
    ctx: ToolContext, client_id: int, day: date, since: datetime, notes: str | None = None
) -> list[FoundRecord]:
    """The client's invoices dated ``day`` (with ``notes`` when the create set them) and
    changed since ``since``, newest first."""
    page = ctx.books.invoices.list_page(
        1,
        FOUND_PAGE,
        customerid=client_id,
        date_min=day,
        date_max=day,
        updated_min=first_day(since),
    )
    found = [
        invoice
        for invoice in page.items
        if invoice.customerid in (None, client_id)
        and invoice.create_date in (None, day)
        and same_text(notes, invoice.notes)
        and made_since(since, invoice.updated, invoice.created_at)
    ]
    found.sort(key=lambda invoice: invoice.id, reverse=True)
    return [_found_invoice(invoice) for invoice in found]


def _found_invoice(invoice: Invoice) -> FoundRecord:
    amount = invoice_amount(invoice)
    return FoundRecord(
        "invoice",
        invoice.id,
        f"invoice {invoice.invoice_number or invoice.id} for {invoice.client_name}, "
        f"{money_text(amount, invoice_currency(invoice))}, dated {invoice.create_date}",
    )


def find_created_invoice(
    ctx: ToolContext, args: CreateInvoiceArgs, since: datetime
) -> list[FoundRecord]:
    """Invoices for the same client, date and notes made since ``since``."""
    day = args.create_date or today_of(ctx)
    return invoices_made(ctx, args.client_id, day, since, notes=args.notes)


def undo_create_invoice(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the created invoice, unless payments were recorded on it since."""
    invoice_id = written_id(result, "invoice")
    invoice = ctx.books.invoices.get(invoice_id)
    if invoice.paid is not None and invoice.paid.amount > 0:
        raise ValueError(
            f"invoice {invoice.invoice_number} has payments recorded; delete them first"
        )
    ctx.books.invoices.delete(invoice_id)
    return written("deleted invoice", record_ids(invoice=invoice_id))


# --- update_invoice ---------------------------------------------------------------------

UPDATE_LABELS = {
    "create_date": "Invoice date",
    "due_offset_days": "Due (days after date)",
    "po_number": "PO number",
    "notes": "Notes",
    "terms": "Terms",
}


class UpdateInvoiceArgs(UpdateArgs):
    """Which invoice and what to change; null leaves a field unchanged."""

    id_field = "invoice_id"

    invoice_id: RecordId = Field(description="FreshBooks id of the invoice to change")
    create_date: date | None = Field(default=None, description="New invoice date, YYYY-MM-DD")
    due_offset_days: int | None = Field(
        default=None, ge=0, le=365, description="New number of days after the date it is due"
    )
    notes: LongText | None = Field(default=None, description="New notes printed on the invoice")
    terms: LongText | None = Field(default=None, description="New terms printed on the invoice")
    po_number: ShortText | None = Field(default=None, description="New client PO number")
    lines: list[LineArgs] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Replacement for all the invoice's lines, or null to keep them",
    )


def propose_update_invoice(ctx: ToolContext, args: UpdateInvoiceArgs) -> ProposedChange:
    """The card: each changed field old → new; new lines and total when lines change."""
    invoice = ctx.books.invoices.get(args.invoice_id)
    changes = changed_fields(args, {"invoice_id", "lines"})
    currency = invoice_currency(invoice)
    fields = [("Invoice", f"{invoice.invoice_number} (id {invoice.id})")]
    fields += change_rows(invoice.model_dump(), changes, UPDATE_LABELS)
    amounts = []
    warnings = []
    if args.lines is not None:
        fields += line_card_rows(args.lines, currency)
        _, total = total_rows(args.lines, currency)
        before = invoice_amount(invoice)
        fields.append(("Total", f"{money_text(before, currency)} → {money_text(total, currency)}"))
        amounts.append(money_text(total, currency))
        warnings.append(f"The {len(invoice.lines)} current lines are replaced by these.")
        if invoice.paid is not None and total < invoice.paid.amount:
            warnings.append("The new total is less than what has already been paid.")
    if not invoice.is_draft:
        warnings.append(
            f"This invoice is {invoice.v3_status}: the client may already have seen it."
        )
    return ProposedChange(
        title=f"Update invoice {invoice.invoice_number} for {invoice.client_name}",
        fields=fields,
        client=invoice.client_name,
        amounts=amounts,
        warnings=warnings,
    )


def update_invoice(ctx: ToolContext, args: UpdateInvoiceArgs) -> dict[str, Any]:
    """Change the invoice, then read it back with its lines."""
    invoice = ctx.books.invoices.get(args.invoice_id)
    changes = changed_fields(args, {"invoice_id", "lines"})
    if args.lines is not None:
        changes["lines"] = line_inputs(args.lines, invoice_currency(invoice))
    ctx.books.invoices.update(args.invoice_id, InvoiceUpdate(**changes))
    after = ctx.books.invoices.get(args.invoice_id)
    return written(
        "updated invoice",
        record_ids(invoice=after.id),
        changed=sorted(changes),
        invoice=invoice_detail(after, today_of(ctx)),
    )


# --- send_invoice_email -----------------------------------------------------------------


class SendInvoiceArgs(Args):
    """Which invoice to email, to whom, and optionally the text."""

    invoice_id: RecordId = Field(description="FreshBooks id of the invoice to email")
    recipients: list[Email] | None = Field(
        default=None,
        min_length=1,
        max_length=10,
        description="Email addresses to send to; null for the client's email on the invoice",
    )
    subject: ShortText | None = Field(
        default=None, description="Email subject; null for FreshBooks' template"
    )
    body: LongText | None = Field(
        default=None, description="Email message; null for FreshBooks' template"
    )


def _recipients(ctx: ToolContext, invoice: Invoice, args: SendInvoiceArgs) -> list[str]:
    if args.recipients:
        return list(args.recipients)
    email = invoice.email
    if not email and invoice.customerid:
        email = ctx.books.clients.get(invoice.customerid).email
    if not email:
        raise ValueError(
            f"{invoice.client_name} has no email address; give recipients to send invoice "
            f"{invoice.invoice_number}"
        )
    return [email]


def propose_send_invoice(ctx: ToolContext, args: SendInvoiceArgs) -> ProposedChange:
    """The card: recipients, subject, message, amount owed; warnings when it looks off."""
    invoice = ctx.books.invoices.get(args.invoice_id)
    to = _recipients(ctx, invoice, args)
    currency = invoice_currency(invoice)
    warnings = []
    if invoice.v3_status == "paid":
        warnings.append("This invoice is already paid.")
    if invoice.is_draft:
        warnings.append("This draft will be marked as sent.")
    if args.recipients and invoice.email and invoice.email not in to:
        warnings.append(f"The client's email on the invoice is {invoice.email}, not among these.")
    amount = invoice_amount(invoice)
    return ProposedChange(
        title=f"Email invoice {invoice.invoice_number} to {invoice.client_name}",
        fields=[
            ("To", ", ".join(to)),
            ("Subject", args.subject or "FreshBooks' invoice email template"),
            ("Message", args.body or "FreshBooks' invoice email template"),
            ("Invoice total", money_text(amount, currency)),
            ("Outstanding", money_text(invoice_owed(invoice), currency)),
        ],
        client=invoice.client_name,
        amounts=[money_text(invoice_owed(invoice), currency)],
        warnings=warnings,
    )


def send_invoice_email(ctx: ToolContext, args: SendInvoiceArgs) -> dict[str, Any]:
    """Email the invoice through FreshBooks, then read it back."""
    invoice = ctx.books.invoices.get(args.invoice_id)
    to = _recipients(ctx, invoice, args)
    ctx.books.invoices.send_by_email(invoice.id, to, subject=args.subject, body=args.body)
    after = ctx.books.invoices.get(invoice.id)
    return written(
        "emailed invoice",
        record_ids(invoice=after.id),
        recipients=to,
        invoice=invoice_row(after, today_of(ctx)),
    )


def _invoice_card(
    invoice: Invoice, title: str, fields: list[tuple[str, str]], *, warnings: list[str]
) -> ProposedChange:
    """The card of a change to one invoice as it stands: the invoice first, then ``fields``;
    its client and total are what the card is about."""
    return ProposedChange(
        title=title,
        fields=[("Invoice", f"{invoice.invoice_number} (id {invoice.id})"), *fields],
        client=invoice.client_name,
        amounts=[money_text(invoice_amount(invoice), invoice_currency(invoice))],
        warnings=warnings,
    )


# --- mark_invoice_sent ------------------------------------------------------------------


class InvoiceIdArgs(Args):
    """Which invoice."""

    invoice_id: RecordId = Field(description="FreshBooks id of the invoice")


def propose_mark_sent(ctx: ToolContext, args: InvoiceIdArgs) -> ProposedChange:
    """The card: the invoice, its client and amount; a warning unless it is a draft."""
    invoice = ctx.books.invoices.get(args.invoice_id)
    return _invoice_card(
        invoice,
        f"Mark invoice {invoice.invoice_number} as sent (no email)",
        [
            ("Client", invoice.client_name),
            ("Amount", money_text(invoice_amount(invoice), invoice_currency(invoice))),
            ("Status", f"{invoice.v3_status} → sent"),
        ],
        warnings=[] if invoice.is_draft else [f"It is already {invoice.v3_status}."],
    )


def mark_invoice_sent(ctx: ToolContext, args: InvoiceIdArgs) -> dict[str, Any]:
    """Mark the invoice sent without emailing it, then read it back."""
    ctx.books.invoices.mark_as_sent(args.invoice_id)
    after = ctx.books.invoices.get(args.invoice_id)
    return written(
        "marked invoice sent",
        record_ids(invoice=after.id),
        invoice=invoice_row(after, today_of(ctx)),
    )


# --- archive_invoice --------------------------------------------------------------------


def propose_archive_invoice(ctx: ToolContext, args: InvoiceIdArgs) -> ProposedChange:
    """The card: the invoice and what is owed on it; a warning when money is outstanding."""
    invoice = ctx.books.invoices.get(args.invoice_id)
    currency = invoice_currency(invoice)
    warnings = []
    if invoice_owed(invoice) > 0 and not invoice.is_draft:
        warnings.append(
            f"{money_text(invoice_owed(invoice), currency)} is still owed on this invoice; archiving "
            "hides it from the default lists but does not cancel the debt."
        )
    if invoice.vis_state == 2:
        warnings.append("This invoice is already archived.")
    return _invoice_card(
        invoice,
        f"Archive invoice {invoice.invoice_number} for {invoice.client_name}",
        [
            ("Date", display(invoice.create_date)),
            ("Status", display(invoice.v3_status)),
            ("Amount", money_text(invoice_amount(invoice), currency)),
            ("Outstanding", money_text(invoice_owed(invoice), currency)),
        ],
        warnings=warnings,
    )


def archive_invoice(ctx: ToolContext, args: InvoiceIdArgs) -> dict[str, Any]:
    """Archive the invoice, then read it back."""
    ctx.books.invoices.archive(args.invoice_id)
    after = ctx.books.invoices.get(args.invoice_id)
    return written(
        "archived invoice", record_ids(invoice=after.id), invoice=invoice_row(after, today_of(ctx))
    )


def undo_archive_invoice(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Bring the archived invoice back."""
    invoice_id = written_id(result, "invoice")
    ctx.books.invoices.restore(invoice_id)
    return written("restored invoice", record_ids(invoice=invoice_id))


TOOLS: list[Tool[Any]] = [
    Tool(
        name="search_invoices",
        description=(
            "Search invoices by client, status, number or invoice date (a relative period or "
            "explicit dates). Newest first, at most 25, with amount and outstanding totals per "
            "currency over every match."
        ),
        args=SearchInvoicesArgs,
        handler=search_invoices,
    ),
    Tool(
        name="get_invoice",
        description="One invoice with its lines, amounts, status and the payments recorded on it.",
        args=GetInvoiceArgs,
        handler=get_invoice,
    ),
    Tool(
        name="create_invoice",
        description=(
            "Create a draft invoice for a client with lines (quantity × unit cost, amounts as "
            "decimal strings in the invoice currency). It is not sent. The user confirms first."
        ),
        args=CreateInvoiceArgs,
        handler=create_invoice,
        permission="write",
        propose=propose_create_invoice,
        undo=undo_create_invoice,
        find_created=find_created_invoice,
    ),
    Tool(
        name="update_invoice",
        description=(
            "Change an invoice's date, due days, notes, terms, PO number or replace its lines; "
            "null fields stay unchanged. The user confirms first."
        ),
        args=UpdateInvoiceArgs,
        handler=update_invoice,
        permission="write",
        idempotent=True,
        propose=propose_update_invoice,
    ),
    Tool(
        name="send_invoice_email",
        description=(
            "Email an invoice to the client through FreshBooks (it becomes sent). Optionally "
            "with your own subject and message, e.g. a drafted reminder. The user confirms first."
        ),
        args=SendInvoiceArgs,
        handler=send_invoice_email,
        permission="send",
        open_world=True,
        propose=propose_send_invoice,
    ),
    Tool(
        name="mark_invoice_sent",
        description="Mark a draft invoice as sent without emailing it. The user confirms first.",
        args=InvoiceIdArgs,
        handler=mark_invoice_sent,
        permission="send",
        idempotent=True,
        propose=propose_mark_sent,
    ),
    Tool(
        name="archive_invoice",
        description=(
            "Archive an invoice (hidden from default lists, kept in reports; can be restored). "
            "The user confirms first."
        ),
        args=InvoiceIdArgs,
        handler=archive_invoice,
        permission="delete",
        idempotent=True,
        propose=propose_archive_invoice,
        undo=undo_archive_invoice,
    ),
]
