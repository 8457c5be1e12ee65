"""Workflow: overdue invoices, each with a drafted polite reminder. Reading only.

The drafts are text for the user to review; sending one is a separate, confirmed
``send_invoice_email`` call. Names from FreshBooks fill the greeting as plain data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from agent.queries import InvoiceQuery
from agent.results import rows_result, totals_by_currency
from agent.tool import Tool, ToolContext
from fbclient.models.invoices import Invoice

from ._args import Args, RecordId, today_of
from ._lookup import LIST_PAGES
from ._rows import invoice_currency, invoice_owed, invoice_row, money_text, text

__all__ = ["TOOLS", "draft_reminder"]

MAX_REMINDERS = 10


def _days_overdue(invoice: Invoice, today: date) -> int:
    return (today - invoice.due_date).days if invoice.due_date else 0


def draft_reminder(invoice: Invoice, business: str, today: date) -> dict[str, str]:
    """A polite reminder (subject and body); firmer after 60 days."""
    currency = invoice_currency(invoice)
    owed = money_text(invoice_owed(invoice), currency)
    days = _days_overdue(invoice, today)
    greeting = text(invoice.fname, 40) or "there"
    due = f"{invoice.due_date:%d %B %Y}" if invoice.due_date else "its due date"
    firmer = days > 60
    ask = (
        "As it is now well past due, please arrange payment this week or let me know when "
        "I can expect it."
        if firmer
        else "If it has already been paid, thank you, and please ignore this note. If not, "
        "I would be grateful if you could arrange payment soon."
    )
    body = (
        f"Hi {greeting},\n\n"
        f"A {'reminder' if firmer else 'friendly reminder'} that invoice "
        f"{invoice.invoice_number} was due on {due} ({days} days ago); {owed} is still "
        f"outstanding.\n\n{ask} Do tell me if anything is holding it up.\n\n"
        f"Kind regards,\n{text(business, 80)}"
    )
    subject = f"{'Overdue' if firmer else 'Reminder'}: invoice {invoice.invoice_number} ({owed})"
    return {"subject": subject, "body": body}


class OverdueRemindersArgs(Args):
    """Optionally one client's overdue invoices only."""

    client_id: RecordId | None = Field(
        default=None, description="Only this client's overdue invoices; null for every client"
    )


def overdue_reminders(ctx: ToolContext, args: OverdueRemindersArgs) -> dict[str, Any]:
    """Overdue invoices, most overdue first, each with a drafted reminder. Nothing is sent."""
    today = today_of(ctx)
    found = ctx.reads.invoices(
        InvoiceQuery(pages=LIST_PAGES, customerid=args.client_id, v3_status="overdue")
    )
    invoices = sorted(found, key=lambda i: (-_days_overdue(i, today), i.id))
    rows = [
        {
            **invoice_row(invoice, today),
            "days_overdue": _days_overdue(invoice, today),
            "email": invoice.email,
            "reminder": draft_reminder(invoice, ctx.business.name, today),
        }
        for invoice in invoices[:MAX_REMINDERS]
    ]
    result = rows_result(
        rows,
        total=len(invoices),
        limit=MAX_REMINDERS,
        totals={
            "overdue": totals_by_currency((invoice_currency(i), invoice_owed(i)) for i in invoices)
        },
        note=(
            "Drafts only: nothing was sent. To send one, show it to the user, then call "
            "send_invoice_email with its subject and body; the user confirms."
        ),
    )
    return result


TOOLS: list[Tool[Any]] = [
    Tool(
        name="overdue_reminders",
        description=(
            "Overdue invoices (most overdue first, at most 10) each with a drafted polite "
            "reminder email (subject and body) and totals owed per currency. Sends nothing: "
            "use send_invoice_email to send a reminder once the user agrees."
        ),
        args=OverdueRemindersArgs,
        handler=overdue_reminders,
    ),
]
