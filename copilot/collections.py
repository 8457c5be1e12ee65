"""The chase list page's services: the ranked list with the app's memory of emails sent, each
row's drafted reminder, and sending one through the same confirmed, audited write as the chat."""

from __future__ import annotations

from typing import Any

import pandas as pd

from agent.tool import ProposedChange
from agent.writes import WriteOutcome
from fbclient.snapshot import Snapshot
from insights.collections import Chased, chase_list, reminder_for
from insights.frames import Frames
from store.audit import emails_sent

from .app_writes import carry_out_for_app, propose_for_app
from .context import AppContext
from .runtime import Runtime

__all__ = ["chase_rows", "propose_reminder", "reminder_draft", "send_reminder"]

SEND = "send_invoice_email"


def chase_rows(runtime: Runtime, ctx: AppContext, frames: Frames) -> pd.DataFrame:
    """The chase list (see :func:`insights.collections.chase_list`), knowing the reminders
    the app already sent (the audit log: from the page, the chat or an assistant)."""
    sent = emails_sent(runtime.sessions, ctx.owner, ctx.account_key)
    chased = {k: Chased(count, last) for k, (count, last) in sent.items()}
    return chase_list(frames.invoices, frames.payments, frames.today, chased)


def reminder_draft(snapshot: Snapshot, row: pd.Series, business: str) -> dict[str, str] | None:
    """The drafted reminder of one chase-list row (subject, body); None when the invoice is
    no longer in the books."""
    invoice = snapshot.find("invoices", int(row["invoice_id"]))
    return None if invoice is None else reminder_for(invoice, row.to_dict(), business)


def propose_reminder(
    runtime: Runtime, ctx: AppContext, invoice_id: int, subject: str, body: str
) -> tuple[dict[str, Any], ProposedChange]:
    """The confirm card of emailing one reminder, and the exact arguments it shows (a blank
    subject or message: FreshBooks' own template, as the card says)."""
    arguments = {
        "invoice_id": invoice_id,
        "recipients": None,
        "subject": subject.strip() or None,
        "body": body.strip() or None,
    }
    return arguments, propose_for_app(runtime, ctx, SEND, arguments)


def send_reminder(
    runtime: Runtime, ctx: AppContext, arguments: dict[str, Any], title: str
) -> WriteOutcome:
    """Send the confirmed reminder once, through FreshBooks, audited as the app's."""
    return carry_out_for_app(runtime, ctx, SEND, arguments, title)
