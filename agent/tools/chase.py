"""Chasing late payers from the chat: one card listing every reminder it would send.

The same chase list as the app's page (:func:`insights.collections.chase_list`): every overdue
invoice, ranked, each with a reminder drafted in the tone its lateness (and the reminders
already sent) calls for. The card lists each email; the person may leave any out, and one
Confirm sends the rest through FreshBooks' own invoice email.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from pydantic import Field

from agent.tool import ProposedChange, Tool, ToolContext
from fbclient.models.invoices import Invoice
from insights.collections import Chased, chase_list, reminder_for

from ._args import Args, RecordId, today_of
from ._cards import record_ids, written
from ._rows import money_text, text

__all__ = ["TOOLS", "ChaseArgs"]

MAX_EMAILS = 50  # one card


class ChaseArgs(Args):
    """Which late invoices to chase."""

    min_days_late: int | None = Field(
        default=None, ge=1, le=3650, description="Only invoices at least this many days late"
    )
    client_id: RecordId | None = Field(default=None, description="Only this client's invoices")
    invoice_ids: list[RecordId] | None = Field(
        default=None, max_length=MAX_EMAILS, description="Exactly these overdue invoices"
    )


def _sent(ctx: ToolContext) -> dict[int, Chased]:
    history: Mapping[int, tuple[int, datetime]] = (
        ctx.emails_sent() if ctx.emails_sent is not None else {}
    )
    return {k: Chased(count, last) for k, (count, last) in history.items()}


def _chosen(ctx: ToolContext, args: ChaseArgs) -> tuple[pd.DataFrame, dict[int, Invoice]]:
    """The overdue rows of the chase list these arguments name, and their invoices."""
    if ctx.snapshot is None:
        raise ValueError("Chasing needs the app's synced books; open the chase list page instead.")
    snapshot = ctx.snapshot()
    today = today_of(ctx)
    frames = ctx.frames_of(snapshot, today)
    rows = chase_list(frames.invoices, frames.payments, today, _sent(ctx))
    rows = rows[rows["days_late"] >= (args.min_days_late or 1)]
    if args.client_id is not None:
        rows = rows[rows["client_id"] == args.client_id]
    if args.invoice_ids is not None:
        rows = rows[rows["invoice_id"].isin(args.invoice_ids)]
    rows = rows.head(MAX_EMAILS)
    found = (snapshot.find("invoices", int(i)) for i in rows["invoice_id"])
    invoices = {i.id: i for i in found if i is not None}
    return rows, invoices


def _email(ctx: ToolContext, invoice: Invoice) -> str | None:
    if invoice.email:
        return invoice.email
    if invoice.customerid and ctx.snapshot is not None:
        client = next((c for c in ctx.snapshot().clients if c.id == invoice.customerid), None)
        return client.email if client is not None else None
    return None


def propose_chase(ctx: ToolContext, args: ChaseArgs) -> ProposedChange:
    """The card: one line per reminder (invoice, client, owed, lateness, tone, recipient)."""
    rows, invoices = _chosen(ctx, args)
    items: list[tuple[str, str]] = []
    missing: list[str] = []
    totals: dict[str, Decimal] = {}
    for row in rows.to_dict("records"):
        invoice = invoices[row["invoice_id"]]
        to = _email(ctx, invoice)
        owed = money_text(row["outstanding"], row["currency"])
        if to is None:
            missing.append(f"{invoice.invoice_number} ({text(invoice.client_name, 60)})")
            continue
        subject = reminder_for(invoice, row, ctx.business.name)["subject"]
        items.append(
            (
                str(row["invoice_id"]),
                f"{invoice.invoice_number} · {text(invoice.client_name, 60)} · {owed} · "
                f"{row['days_late']} days late · {row['tone']} · to {to} · “{subject}”",
            )
        )
        totals[row["currency"]] = totals.get(row["currency"], Decimal(0)) + row["outstanding"]
    if not items:
        raise ValueError(
            "No overdue invoice matches, so there is nobody to chase."
            if not missing
            else f"None of the matching invoices has an email address: {', '.join(missing)}."
        )
    warnings = [f"No email address, left out: {', '.join(missing)}."] if missing else []
    return ProposedChange(
        title=f"Send {len(items)} payment reminder(s) through FreshBooks",
        fields=[("Reminders", str(len(items))), ("Tones", "by lateness and reminders sent")],
        amounts=[money_text(v, k) for k, v in sorted(totals.items())],
        warnings=warnings,
        items=items,
        item_argument="invoice_ids",
    )


def chase_invoices(ctx: ToolContext, args: ChaseArgs) -> dict[str, Any]:
    """Send each reminder through FreshBooks' invoice email; report what went and what did not."""
    rows, invoices = _chosen(ctx, args)
    sent: list[int] = []
    failed: list[dict[str, str]] = []
    for row in rows.to_dict("records"):
        invoice = invoices[row["invoice_id"]]
        to = _email(ctx, invoice)
        if to is None:
            continue
        draft = reminder_for(invoice, row, ctx.business.name)
        try:
            ctx.books.invoices.send_by_email(
                invoice.id, [to], subject=draft["subject"], body=draft["body"]
            )
        except Exception as exc:  # one failure must not hide the reminders that did go
            failed.append({"invoice": str(invoice.invoice_number), "error": type(exc).__name__})
            continue
        sent.append(invoice.id)
    if not sent:
        raise ValueError(
            "No reminder could be sent"
            + (f": {', '.join(f['invoice'] for f in failed)}" if failed else ".")
        )
    return written(
        f"sent {len(sent)} reminder(s)",
        record_ids(invoice=sent),
        sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
        failed=failed or None,
    )


TOOLS: list[Tool[Any]] = [
    Tool(
        name="chase_invoices",
        description=(
            "Chase late payers: one confirm card listing a drafted reminder for every overdue "
            "invoice (optionally only those N+ days late, or one client's); the user may leave "
            "any out, then FreshBooks emails the rest."
        ),
        args=ChaseArgs,
        handler=chase_invoices,
        permission="send",
        propose=propose_chase,
        open_world=True,
    )
]
