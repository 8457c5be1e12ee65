"""Estimate write tools: create, update and email an estimate, each after a confirm card.

Estimates take the same lines as invoices (``EstimateInput`` reuses the invoice line), so the
line arguments, their card rows and their totals are the invoice tools' own.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import Field

from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient.models.estimates import Estimate, EstimateInput, EstimateStatus, EstimateUpdate

from ._args import (
    Args,
    CurrencyCode,
    Email,
    LongText,
    RecordId,
    ShortText,
    UpdateArgs,
    changed_fields,
    today_of,
)
from ._cards import change_rows, read_back, record_ids, written, written_id
from ._recent import FOUND_PAGE, first_day, made_since, same_text
from ._rows import compact, estimate_row, money_text, printed_parts
from .invoices import LineArgs, line_card_rows, line_inputs, total_rows

__all__ = [
    "TOOLS",
    "estimate_client",
    "estimate_currency",
    "estimate_detail",
    "estimate_label",
    "estimate_total",
]


def estimate_client(estimate: Estimate) -> str:
    """The quoted organization, else the person's name."""
    person = " ".join(p for p in (estimate.fname, estimate.lname) if p)
    return estimate.organization or person or f"Client {estimate.customerid}"


def estimate_currency(estimate: Estimate) -> str:
    """Its ISO 4217 code (USD when FreshBooks gave none, as for invoices)."""
    if estimate.currency_code:
        return estimate.currency_code.upper()
    return estimate.amount.code if estimate.amount is not None else "USD"


def estimate_total(estimate: Estimate) -> Decimal:
    """The estimate's total (zero when FreshBooks gave none)."""
    return estimate.amount.amount if estimate.amount is not None else Decimal(0)


def estimate_label(estimate: Estimate) -> str:
    """``0023 (id 29000023)``: how a card names it."""
    return f"{estimate.estimate_number or estimate.id} (id {estimate.id})"


def estimate_status(estimate: Estimate) -> str:
    """The status word FreshBooks shows (``accepted``), from the UI field or the number."""
    known = estimate.estimate_status
    word = estimate.ui_status or estimate.display_status
    return word or (known.name.lower() if known is not None else "unknown")


def estimate_detail(estimate: Estimate) -> dict[str, Any]:
    """An estimate with its lines and printed text (as data)."""
    return {**estimate_row(estimate), **compact(printed_parts(estimate))}


# --- create_estimate --------------------------------------------------------------------


class CreateEstimateArgs(Args):
    """A new estimate (quote) for one client."""

    client_id: RecordId = Field(description="FreshBooks id of the client quoted")
    currency_code: CurrencyCode | None = Field(
        default=None, description="Estimate currency, ISO 4217; null for the client's currency"
    )
    lines: list[LineArgs] = Field(min_length=1, max_length=50, description="The estimate lines")
    create_date: date | None = Field(
        default=None, description="Estimate date, YYYY-MM-DD; null for today"
    )
    notes: LongText | None = Field(default=None, description="Notes printed on the estimate")
    terms: LongText | None = Field(default=None, description="Terms printed on the estimate")
    po_number: ShortText | None = Field(default=None, description="Client's PO number, or null")


def _plan(ctx: ToolContext, args: CreateEstimateArgs) -> tuple[str, str, list[str]]:
    """(client name, currency, warnings) of a new estimate."""
    client = ctx.books.clients.get(args.client_id)
    client_currency = (client.currency_code or "").upper() or None
    currency = args.currency_code or client_currency
    if currency is None:
        raise ValueError(
            f"{client.display_name} has no currency set; give currency_code for the estimate"
        )
    warnings = []
    if client_currency and currency != client_currency:
        warnings.append(f"{client.display_name} is billed in {client_currency}, not {currency}.")
    if client.vis_state == 2:
        warnings.append(f"{client.display_name} is archived.")
    return client.display_name, currency, warnings


def propose_create_estimate(ctx: ToolContext, args: CreateEstimateArgs) -> ProposedChange:
    """The card: client, currency, date, every line with its amount, totals, warnings."""
    name, currency, warnings = _plan(ctx, args)
    totals, total = total_rows(args.lines, currency)
    if total == 0:
        warnings.append("The estimate total is zero.")
    fields = [
        ("Client", f"{name} (id {args.client_id})"),
        ("Estimate date", (args.create_date or today_of(ctx)).isoformat()),
        ("Currency", currency),
        *line_card_rows(args.lines, currency),
        *totals,
    ]
    fields += [(label, text) for label, text in _printed(args) if text]
    return ProposedChange(
        title=f"Create an estimate for {name}",
        fields=fields,
        client=name,
        amounts=[money_text(total, currency)],
        warnings=warnings,
    )


def _printed(args: CreateEstimateArgs) -> list[tuple[str, str | None]]:
    return [("Notes", args.notes), ("Terms", args.terms), ("PO number", args.po_number)]


def create_estimate(ctx: ToolContext, args: CreateEstimateArgs) -> dict[str, Any]:
    """Create the estimate (a draft, not sent), then read it back with its lines."""
    _, currency, _ = _plan(ctx, args)
    data = EstimateInput(
        customerid=args.client_id,
        create_date=args.create_date or today_of(ctx),
        currency_code=currency,
        lines=line_inputs(args.lines, currency),
        **changed_fields(args, {"client_id", "currency_code", "lines", "create_date"}),
    )
    created = ctx.books.estimates.create(data)
    estimate = read_back(lambda: ctx.books.estimates.get(created.id), created)
    return written(
        "created estimate", record_ids(estimate=estimate.id), estimate=estimate_detail(estimate)
    )


def find_created_estimate(
    ctx: ToolContext, args: CreateEstimateArgs, since: datetime
) -> list[FoundRecord]:
    """The client's estimates with the same date and notes made since ``since``."""
    day = args.create_date or today_of(ctx)
    search = {
        "customerid": args.client_id,
        "date_min": day.isoformat(),
        "date_max": day.isoformat(),
        # By analogy with the other accounting lists [?] (see the Estimates resource).
        "updated_min": first_day(since).isoformat(),
    }
    page = ctx.books.estimates.list_page(1, FOUND_PAGE, search)
    found = [
        e
        for e in page.items
        if e.customerid in (None, args.client_id)
        and e.create_date in (None, day)
        and same_text(args.notes, e.notes)
        and made_since(since, e.updated, e.created_at)
    ]
    found.sort(key=lambda e: e.id, reverse=True)
    return [
        FoundRecord(
            "estimate",
            e.id,
            f"estimate {e.estimate_number or e.id} for {estimate_client(e)}, "
            f"{money_text(estimate_total(e), estimate_currency(e))}, dated {e.create_date}",
        )
        for e in found
    ]


def undo_create_estimate(ctx: ToolContext, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the created estimate, unless it has become an invoice since."""
    estimate_id = written_id(result, "estimate")
    estimate = ctx.books.estimates.get(estimate_id)
    if estimate.invoiceid or estimate.status == EstimateStatus.INVOICED:
        raise ValueError(
            f"estimate {estimate.estimate_number} has been invoiced; delete the invoice first"
        )
    ctx.books.estimates.delete(estimate_id)
    return written("deleted estimate", record_ids(estimate=estimate_id))


# --- update_estimate --------------------------------------------------------------------

UPDATE_LABELS = {
    "create_date": "Estimate date",
    "po_number": "PO number",
    "notes": "Notes",
    "terms": "Terms",
}


class UpdateEstimateArgs(UpdateArgs):
    """Which estimate and what to change; null leaves a field unchanged."""

    id_field = "estimate_id"

    estimate_id: RecordId = Field(description="FreshBooks id of the estimate to change")
    create_date: date | None = Field(default=None, description="New estimate date, YYYY-MM-DD")
    notes: LongText | None = Field(default=None, description="New notes printed on the estimate")
    terms: LongText | None = Field(default=None, description="New terms printed on the estimate")
    po_number: ShortText | None = Field(default=None, description="New client PO number")
    lines: list[LineArgs] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Replacement for all the estimate's lines, or null to keep them",
    )


def propose_update_estimate(ctx: ToolContext, args: UpdateEstimateArgs) -> ProposedChange:
    """The card: each changed field old → new; new lines and total when lines change."""
    estimate = ctx.books.estimates.get(args.estimate_id)
    changes = changed_fields(args, {"estimate_id", "lines"})
    currency = estimate_currency(estimate)
    fields = [("Estimate", estimate_label(estimate))]
    fields += change_rows(estimate.model_dump(), changes, UPDATE_LABELS)
    amounts = []
    warnings = []
    if args.lines is not None:
        fields += line_card_rows(args.lines, currency)
        _, total = total_rows(args.lines, currency)
        before = money_text(estimate_total(estimate), currency)
        fields.append(("Total", f"{before} → {money_text(total, currency)}"))
        amounts.append(money_text(total, currency))
        warnings.append(f"The {len(estimate.lines)} current lines are replaced by these.")
    status = estimate.estimate_status
    if status in (EstimateStatus.ACCEPTED, EstimateStatus.INVOICED):
        warnings.append(f"This estimate is {estimate_status(estimate)}: the client agreed to it.")
    elif status not in (None, EstimateStatus.DRAFT):
        warnings.append(
            f"This estimate is {estimate_status(estimate)}: the client may already have seen it."
        )
    return ProposedChange(
        title=f"Update estimate {estimate.estimate_number} for {estimate_client(estimate)}",
        fields=fields,
        client=estimate_client(estimate),
        amounts=amounts,
        warnings=warnings,
    )


def update_estimate(ctx: ToolContext, args: UpdateEstimateArgs) -> dict[str, Any]:
    """Change the estimate, then read it back with its lines."""
    estimate = ctx.books.estimates.get(args.estimate_id)
    changes = changed_fields(args, {"estimate_id", "lines"})
    if args.lines is not None:
        changes["lines"] = line_inputs(args.lines, estimate_currency(estimate))
    ctx.books.estimates.update(args.estimate_id, EstimateUpdate(**changes))
    after = ctx.books.estimates.get(args.estimate_id)
    return written(
        "updated estimate",
        record_ids(estimate=after.id),
        changed=sorted(changes),
        estimate=estimate_detail(after),
    )


# --- send_estimate_email ----------------------------------------------------------------


class SendEstimateArgs(Args):
    """Which estimate to email, to whom, and optionally the text."""

    estimate_id: RecordId = Field(description="FreshBooks id of the estimate to email")
    recipients: list[Email] | None = Field(
        default=None,
        min_length=1,
        max_length=10,
        description="Email addresses to send to; null for the client's email",
    )
    subject: ShortText | None = Field(
        default=None, description="Email subject; null for FreshBooks' template"
    )
    body: LongText | None = Field(
        default=None, description="Email message; null for FreshBooks' template"
    )


def _recipients(ctx: ToolContext, estimate: Estimate, args: SendEstimateArgs) -> list[str]:
    if args.recipients:
        return list(args.recipients)
    # Estimates carry no email of their own in what we read: the client's is the default.
    email = ctx.books.clients.get(estimate.customerid).email if estimate.customerid else None
    if not email:
        raise ValueError(
            f"{estimate_client(estimate)} has no email address; give recipients to send "
            f"estimate {estimate.estimate_number}"
        )
    return [email]


def propose_send_estimate(ctx: ToolContext, args: SendEstimateArgs) -> ProposedChange:
    """The card: recipients, subject, message and total; warnings when it looks off."""
    estimate = ctx.books.estimates.get(args.estimate_id)
    to = _recipients(ctx, estimate, args)
    currency = estimate_currency(estimate)
    total = money_text(estimate_total(estimate), currency)
    warnings = []
    status = estimate.estimate_status
    if status == EstimateStatus.DRAFT:
        warnings.append("This draft will be marked as sent.")
    elif status in (EstimateStatus.ACCEPTED, EstimateStatus.INVOICED):
        warnings.append(f"This estimate is already {estimate_status(estimate)}.")
    return ProposedChange(
        title=f"Email estimate {estimate.estimate_number} to {estimate_client(estimate)}",
        fields=[
            ("Estimate", estimate_label(estimate)),
            ("To", ", ".join(to)),
            ("Subject", args.subject or "FreshBooks' estimate email template"),
            ("Message", args.body or "FreshBooks' estimate email template"),
            ("Estimate total", total),
        ],
        client=estimate_client(estimate),
        amounts=[total],
        warnings=warnings,
    )


def send_estimate_email(ctx: ToolContext, args: SendEstimateArgs) -> dict[str, Any]:
    """Email the estimate through FreshBooks (``action_email``), then read it back."""
    estimate = ctx.books.estimates.get(args.estimate_id)
    to = _recipients(ctx, estimate, args)
    ctx.books.estimates.send_by_email(estimate.id, to, subject=args.subject, body=args.body)
    after = ctx.books.estimates.get(estimate.id)
    return written(
        "emailed estimate",
        record_ids(estimate=after.id),
        recipients=to,
        estimate=estimate_row(after),
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="create_estimate",
        description=(
            "Create an estimate (quote) for a client with lines (quantity × unit cost, amounts "
            "as decimal strings in the estimate currency). It is not sent. The user confirms "
            "first."
        ),
        args=CreateEstimateArgs,
        handler=create_estimate,
        permission="write",
        propose=propose_create_estimate,
        undo=undo_create_estimate,
        find_created=find_created_estimate,
    ),
    Tool(
        name="update_estimate",
        description=(
            "Change an estimate's date, notes, terms, PO number or replace its lines; null "
            "fields stay unchanged. The user confirms first."
        ),
        args=UpdateEstimateArgs,
        handler=update_estimate,
        permission="write",
        idempotent=True,
        propose=propose_update_estimate,
    ),
    Tool(
        name="send_estimate_email",
        description=(
            "Email an estimate to the client through FreshBooks (it becomes sent), optionally "
            "with your own subject and message. The user confirms first."
        ),
        args=SendEstimateArgs,
        handler=send_estimate_email,
        permission="send",
        open_world=True,
        propose=propose_send_estimate,
    ),
]
