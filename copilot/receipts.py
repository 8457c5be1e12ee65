"""The receipts services without Streamlit: read a dropped file against the business's books,
turn the reading into the write's arguments, the confirm card, and the confirmed, audited
write (the same tool the chat uses)."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal
from typing import Any

from agent.tool import ProposedChange
from agent.writes import WriteOutcome
from fbclient.snapshot import Snapshot
from receipts import Reading, read_receipt
from receipts.staging import hold

from .app_writes import carry_out_for_app, propose_for_app
from .books import load_books
from .context import AppContext, today_for
from .runtime import Runtime

__all__ = [
    "CREATE",
    "category_names",
    "chat_note",
    "chat_receipts",
    "digest",
    "propose_receipt",
    "read_dropped",
    "receipt_arguments",
    "record_receipt",
    "usual_currency",
]

CREATE = "create_expense_from_receipt"


def digest(content: bytes) -> str:
    """A short fingerprint of a file, to know a file dropped again."""
    return hashlib.sha256(content).hexdigest()[:16]


def category_names(snapshot: Snapshot) -> dict[int, str]:
    """The business's live expense categories, id -> name."""
    return {c.id: c.name for c in snapshot.expense_categories if c.vis_state == 0}


def usual_currency(snapshot: Snapshot) -> str:
    """The currency most of the business's expenses are in (USD for a business without any):
    assumed for a receipt that prints none."""
    codes = Counter(e.amount.code for e in snapshot.expenses if e.amount is not None)
    return codes.most_common(1)[0][0] if codes else "USD"


def read_dropped(
    ctx: AppContext, snapshot: Snapshot, name: str, content: bytes
) -> tuple[Reading, str | None]:
    """Read one dropped file against the business's expenses and categories; a readable one
    is held for the write, and its id returned with the reading."""
    reading = read_receipt(
        name,
        content,
        expenses=snapshot.expenses,
        categories=category_names(snapshot),
        default_currency=usual_currency(snapshot),
        today=today_for(ctx).date(),
    )
    if not reading.ok or reading.file is None:
        return reading, None
    return reading, hold(reading.file)


def receipt_arguments(
    receipt_id: str,
    *,
    vendor: str | None,
    day: Any,
    total: Decimal | str | None,
    tax: Decimal | str | None,
    currency: str | None,
    category_id: int | None,
    tax_name: str | None = None,
) -> dict[str, Any]:
    """The write's arguments from the fields (as read, or as the person corrected them)."""
    return {
        "receipt_id": receipt_id,
        "amount": str(total).strip() if total not in (None, "") else None,
        "currency_code": (currency or "").strip().upper() or None,
        "category_id": category_id,
        "expense_date": day.isoformat() if hasattr(day, "isoformat") else day,
        "vendor": (vendor or "").strip() or None,
        "tax_amount": str(tax).strip() if tax not in (None, "") else None,
        "tax_name": tax_name if tax not in (None, "") else None,
        "notes": None,
    }


def propose_receipt(runtime: Runtime, ctx: AppContext, arguments: dict[str, Any]) -> ProposedChange:
    """The confirm card for these arguments (raises ValueError or a FreshBooks error with a
    sentence when they cannot be used)."""
    return propose_for_app(runtime, ctx, CREATE, arguments)


def record_receipt(
    runtime: Runtime, ctx: AppContext, arguments: dict[str, Any], title: str
) -> WriteOutcome:
    """Upload the receipt and create the expense once, audited as the app's."""
    return carry_out_for_app(runtime, ctx, CREATE, arguments, title)


def chat_note(reading: Reading, receipt_id: str) -> str:
    """What the chat tells the model about a dropped receipt: its id and what was read, so
    the model can propose create_expense_from_receipt (and refine a field the text shows)."""
    f = reading.fields
    lines = [
        f"Receipt dropped: {reading.name} (receipt_id {receipt_id}). Read from it:",
        f"- vendor: {f.vendor or 'unknown'}",
        f"- date: {f.date.isoformat() if f.date else 'unknown'}",
        f"- total: {f.total} {f.currency}",
        f"- tax: {f.tax} ({f.tax_name})" if f.tax is not None else "- tax: none found",
    ]
    if reading.category is not None and reading.category.category_id is not None:
        lines.append(
            f"- category: {reading.category.name} (id {reading.category.category_id}), "
            f"{reading.category.reason}"
        )
    for twin in reading.duplicates[:3]:
        lines.append(f"- possible duplicate of expense {twin.id}")
    lines.append("Propose create_expense_from_receipt with these fields.")
    return "\n".join(lines)


def chat_receipts(
    runtime: Runtime, ctx: AppContext, files: list[tuple[str, bytes]]
) -> tuple[list[str], list[str]]:
    """Files dropped into the chat, read: the notes to hand the model (one per readable
    receipt) and the sentences saying why the others cannot be used."""
    snapshot = load_books(runtime, ctx).snapshot
    notes: list[str] = []
    problems: list[str] = []
    for name, content in files:
        reading, receipt_id = read_dropped(ctx, snapshot, name, content)
        if receipt_id is None:
            problems.append(reading.problem or f"{name} could not be read.")
        else:
            notes.append(chat_note(reading, receipt_id))
    return notes, problems
