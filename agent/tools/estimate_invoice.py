"""An accepted estimate becomes a draft invoice with the same lines, in one confirmed step.

What FreshBooks documents, and what it does not:

- The web app has "Convert to invoice"; FreshBooks' API reference documents no conversion
  action or endpoint for estimates (nor do its SDKs), so the invoice is created here as any
  invoice is: the estimate's client, currency, lines (name, description, quantity, unit
  cost, taxes), discount, notes, terms and PO number, plus a note "From estimate N".
- Estimate ``status`` 5 is "accepted" and 6 "invoiced", which the reference defines as
  "converted to an invoice, and that invoice has been sent to a Client": so FreshBooks sets
  6 itself once the invoice is sent, and a draft does not make an estimate invoiced. The
  estimate is therefore left as it is; whether a client may write ``status`` 6 or the
  estimate's ``invoiceid`` is unverified [?], and neither is written.
- The invoice's ``estimateid`` is a documented field on reads; that a create may set it is
  unverified [?]. It is sent, and the note says the same in words in case it is ignored.
  Both are how an estimate already converted is recognised (and refused).
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import Field

from agent.tool import FoundRecord, ProposedChange, Tool, ToolContext
from fbclient import Money
from fbclient.models.estimates import Estimate, EstimateStatus
from fbclient.models.invoices import Invoice, InvoiceInput, InvoiceLine, InvoiceLineInput

from ._args import Args, RecordId, today_of
from ._cards import read_back, record_ids, written
from ._rows import money_text
from .estimate_writes import (
    estimate_client,
    estimate_currency,
    estimate_detail,
    estimate_label,
    estimate_total,
)
from .invoices import invoice_detail, invoices_made, undo_create_invoice

__all__ = ["TOOLS", "from_estimate_note"]

CENT = Decimal("0.01")


def from_estimate_note(estimate: Estimate) -> str:
    """The words the invoice carries back to its estimate."""
    return f"From estimate {estimate.estimate_number or estimate.id}"


def _invoice_notes(estimate: Estimate) -> str:
    note = from_estimate_note(estimate)
    printed = (estimate.notes or "").strip()
    return f"{printed}\n\n{note}" if printed else note


class ConvertEstimateArgs(Args):
    """Which accepted estimate becomes an invoice."""

    estimate_id: RecordId = Field(description="FreshBooks id of the accepted estimate")
    due_offset_days: int | None = Field(
        default=None,
        ge=0,
        le=365,
        description="Days after today the invoice is due; null for FreshBooks' default",
    )


def invoice_from(ctx: ToolContext, estimate: Estimate) -> Invoice | None:
    """The invoice this estimate already became (not deleted), if any: the estimate's
    ``invoiceid``, else a client's invoice naming it by ``estimateid`` or by the note."""
    if estimate.invoiceid:
        found = ctx.books.invoices.get(estimate.invoiceid)
        if found.vis_state != 1:
            return found
    if estimate.customerid is None:
        return None
    note = from_estimate_note(estimate).casefold()
    # Lists hold active and archived invoices, not deleted ones: an undone draft is gone.
    for invoice in ctx.books.invoices.list_page(1, 100, customerid=estimate.customerid).items:
        if invoice.estimateid == estimate.id or note in (invoice.notes or "").casefold():
            return invoice
    return None


def _convertible(ctx: ToolContext, estimate_id: int) -> Estimate:
    """The estimate, when it is accepted and not yet an invoice; else a sentence why not."""
    estimate = ctx.books.estimates.get(estimate_id)
    label = f"Estimate {estimate.estimate_number or estimate.id}"
    already = invoice_from(ctx, estimate)
    if already is not None:
        raise ValueError(
            f"{label} was already invoiced: it became invoice "
            f"{already.invoice_number or already.id} (id {already.id}), "
            f"{already.v3_status or 'of unknown status'}. Use that invoice instead."
        )
    if estimate.estimate_status == EstimateStatus.INVOICED:
        raise ValueError(
            f"{label} is already invoiced in FreshBooks (its invoice was not found among "
            f"{estimate_client(estimate)}'s invoices); it is not invoiced twice."
        )
    if estimate.estimate_status != EstimateStatus.ACCEPTED:
        status = estimate.ui_status or estimate.display_status or f"status {estimate.status}"
        raise ValueError(
            f"{label} is {status}, not accepted: only an accepted estimate becomes an invoice. "
            "Ask the client to accept it first (or create the invoice yourself)."
        )
    if not estimate.lines:
        raise ValueError(f"{label} has no lines to invoice.")
    if estimate.customerid is None:
        raise ValueError(f"{label} has no client to invoice.")
    return estimate


def _line_input(line: InvoiceLine, currency: str) -> InvoiceLineInput:
    unit = line.unit_cost.amount if line.unit_cost is not None else Decimal(0)
    return InvoiceLineInput(
        # An unnamed estimate line keeps its description as the name: a line needs one.
        name=line.name or (line.description or "Item")[:200],
        description=line.description or None,
        qty=line.qty if line.qty is not None else Decimal(0),
        unit_cost=Money.of(unit, currency),
        taxName1=line.taxName1 or None,
        taxAmount1=line.taxAmount1 if line.taxName1 else None,
        taxName2=line.taxName2 or None,
        taxAmount2=line.taxAmount2 if line.taxName2 else None,
        compounded_tax=True if line.compounded_tax and line.taxName2 else None,
    )


def _invoice_input(ctx: ToolContext, estimate: Estimate, args: ConvertEstimateArgs) -> InvoiceInput:
    currency = estimate_currency(estimate)
    assert estimate.customerid is not None  # _convertible refuses an estimate without one
    extra: dict[str, Any] = {}
    if estimate.discount_value:
        extra["discount_value"] = estimate.discount_value
    for name in ("terms", "po_number"):
        if getattr(estimate, name):
            extra[name] = getattr(estimate, name)
    if args.due_offset_days is not None:
        extra["due_offset_days"] = args.due_offset_days
    return InvoiceInput(
        customerid=estimate.customerid,
        create_date=today_of(ctx),
        currency_code=currency,
        lines=[_line_input(line, currency) for line in estimate.lines],
        notes=_invoice_notes(estimate),
        estimateid=estimate.id,
        **extra,
    )


def _line_row(index: int, line: InvoiceLine, currency: str) -> tuple[str, str]:
    qty = line.qty if line.qty is not None else Decimal(0)
    unit = line.unit_cost.amount if line.unit_cost is not None else Decimal(0)
    amount = (qty * unit).quantize(CENT, rounding=ROUND_HALF_UP)
    taxes = "".join(
        f" + {name} {format(pct or 0, 'f')}%"
        for name, pct in ((line.taxName1, line.taxAmount1), (line.taxName2, line.taxAmount2))
        if name
    )
    return (
        f"Line {index}: {line.name or line.description or 'Item'}",
        f"{format(qty, 'f')} × {money_text(unit, currency)} = {money_text(amount, currency)}"
        f"{taxes}",
    )


def propose_convert(ctx: ToolContext, args: ConvertEstimateArgs) -> ProposedChange:
    """The card: the estimate, its client, every line, the total; refused unless accepted."""
    estimate = _convertible(ctx, args.estimate_id)
    currency = estimate_currency(estimate)
    client = ctx.books.clients.get(estimate.customerid or 0)
    total = money_text(estimate_total(estimate), currency)
    fields = [
        ("Estimate", f"{estimate_label(estimate)}, accepted, dated {estimate.create_date}"),
        ("Client", f"{client.display_name} (id {client.id})"),
        ("Invoice date", today_of(ctx).isoformat()),
        ("Currency", currency),
        *(_line_row(n, line, currency) for n, line in enumerate(estimate.lines, start=1)),
    ]
    if estimate.discount_total is not None and estimate.discount_total.amount:
        fields.append(("Discount", money_text(estimate.discount_total.amount, currency)))
    fields += [("Total", total), ("Notes", _invoice_notes(estimate))]
    if args.due_offset_days is not None:
        fields.append(("Due", f"{args.due_offset_days} days after the invoice date"))
    warnings = ["The invoice is a draft: nothing is sent to the client."]
    if client.vis_state == 2:
        warnings.append(f"{client.display_name} is archived.")
    client_currency = (client.currency_code or "").upper()
    if client_currency and client_currency != currency:
        warnings.append(f"{client.display_name} is billed in {client_currency}, not {currency}.")
    return ProposedChange(
        title=f"Turn estimate {estimate.estimate_number} into a draft invoice for "
        f"{client.display_name}",
        fields=fields,
        client=client.display_name,
        amounts=[total],
        warnings=warnings,
    )


def convert_estimate_to_invoice(ctx: ToolContext, args: ConvertEstimateArgs) -> dict[str, Any]:
    """Create the draft invoice from the accepted estimate, then read it back."""
    estimate = _convertible(ctx, args.estimate_id)  # again: it may have changed since the card
    created = ctx.books.invoices.create(_invoice_input(ctx, estimate, args))
    invoice = read_back(lambda: ctx.books.invoices.get(created.id), created)
    return written(
        "created draft invoice from estimate",
        record_ids(invoice=invoice.id, estimate=estimate.id),
        invoice=invoice_detail(invoice, today_of(ctx)),
        estimate=estimate_detail(estimate),
    )


def find_converted(
    ctx: ToolContext, args: ConvertEstimateArgs, since: datetime
) -> list[FoundRecord]:
    """Invoices for the estimate's client, dated today with its notes, made since ``since``."""
    estimate = ctx.books.estimates.get(args.estimate_id)
    if estimate.customerid is None:
        return []
    notes = _invoice_notes(estimate)
    return invoices_made(ctx, estimate.customerid, today_of(ctx), since, notes=notes)


TOOLS: list[Tool[Any]] = [
    Tool(
        name="convert_estimate_to_invoice",
        description=(
            "Turn an accepted estimate into a draft invoice with the same client, currency, "
            "lines, taxes, discount and terms (not sent). Estimates not accepted, or already "
            "invoiced, are refused. The user confirms first."
        ),
        args=ConvertEstimateArgs,
        handler=convert_estimate_to_invoice,
        permission="write",
        propose=propose_convert,
        # Deleting the draft, as for create_invoice; the estimate itself was not changed.
        undo=undo_create_invoice,
        find_created=find_converted,
    ),
]
