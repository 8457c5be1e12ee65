"""The Expenses page's receipts: drop files, check what was read, Confirm to record each
expense with its receipt attached (the chat's own write tool, audited)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import streamlit as st

from agent.tool import ProposedChange
from copilot.context import AppContext
from copilot.receipts import (
    category_names,
    digest,
    propose_receipt,
    read_dropped,
    receipt_arguments,
    record_receipt,
)
from copilot.runtime import Runtime
from fbclient import FreshBooksError
from fbclient.snapshot import Snapshot
from receipts import Reading, ocr_available
from receipts.text import OCR_HINT

from . import keys
from .cards import confirm_card, flash_outcome

__all__ = ["receipts_section"]

KINDS = ["pdf", "png", "jpg", "jpeg"]


def receipts_section(runtime: Runtime, ctx: AppContext, snapshot: Snapshot) -> None:
    """The drop zone, one proposal per readable receipt, and the confirm card."""
    st.subheader("Receipts")
    dropped = st.file_uploader(
        "Drop receipts (PDF, PNG or JPEG; several at once)",
        type=KINDS,
        accept_multiple_files=True,
        key="receipt-files",
    )
    if not ocr_available():
        st.caption(f"Photos and scans are not read yet. {OCR_HINT}")
    held: dict[str, tuple[str | None, Reading]] = st.session_state.setdefault(keys.RECEIPTS, {})
    for upload in dropped or []:
        content = upload.getvalue()
        key = digest(content)
        if key not in held:
            with st.spinner(f"Reading {upload.name}…"):
                reading, held_id = read_dropped(ctx, snapshot, upload.name, content)
                held[key] = (held_id, reading)
        receipt_id, reading = held[key]
        if receipt_id is None or not reading.ok:
            st.warning(reading.problem or f"{upload.name} could not be read.")
            continue
        _proposal(runtime, ctx, snapshot, key, receipt_id, reading)
    _card(runtime, ctx)


def _money(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value > 0 else None


def _proposal(
    runtime: Runtime,
    ctx: AppContext,
    snapshot: Snapshot,
    key: str,
    receipt_id: str,
    reading: Reading,
) -> None:
    f = reading.fields
    names = category_names(snapshot)
    ids = sorted(names, key=lambda i: names[i].casefold())
    choice = reading.category
    with st.container(border=True, key=f"receipt-{key}"):
        st.markdown(f"**{reading.name}**")
        left, middle, right = st.columns(3)
        vendor = left.text_input("Vendor", value=f.vendor or "", key=f"rv-{key}")
        day = middle.date_input("Date", value=f.date, key=f"rd-{key}")
        currency = right.text_input("Currency", value=f.currency or "", key=f"rc-{key}")
        total = left.text_input("Total", value=str(f.total or ""), key=f"rt-{key}")
        tax = middle.text_input(
            "Tax" if (f.tax_name or "Tax").casefold() == "tax" else f"Tax ({f.tax_name})",
            value="" if f.tax is None else str(f.tax),
            key=f"rx-{key}",
        )
        default = ids.index(choice.category_id) if choice and choice.category_id in ids else None
        category = right.selectbox(
            "Category",
            ids,
            index=default,
            format_func=names.__getitem__,
            key=f"rk-{key}",
            placeholder="Choose a category",
        )
        if choice is not None:
            sure = {"history": "✅", "keyword": "🤔", "none": "❔"}[choice.basis]
            st.caption(f"{sure} Category {choice.reason}.")
        for note in f.notes:
            st.caption(f"ℹ️ {note}")
        for twin in reading.duplicates[:3]:
            st.warning(
                f"Possible duplicate: expense {twin.id} ({twin.vendor or 'no vendor'}, "
                f"{twin.date}, {twin.amount}) has the same vendor, date and amount."
            )
        if st.button("Review expense", key=f"rr-{key}", type="primary"):
            amount, tax_value = _money(total), _money(tax) if tax.strip() else None
            if amount is None or day is None or category is None:
                st.error("A total above zero, a date and a category are needed.")
                return
            arguments = receipt_arguments(
                receipt_id,
                vendor=vendor,
                day=day,
                total=amount,
                tax=tax_value,
                currency=currency,
                category_id=category,
                tax_name=f.tax_name,
            )
            try:
                card = propose_receipt(runtime, ctx, arguments)
            except (FreshBooksError, ValueError) as exc:
                st.error(getattr(exc, "user_message", None) or str(exc))
            else:
                st.session_state[keys.RECEIPT_CARD] = (key, arguments, card.as_dict())


def _card(runtime: Runtime, ctx: AppContext) -> None:
    pending = st.session_state.get(keys.RECEIPT_CARD)
    if pending is None:
        return
    key, arguments, stored = pending
    card = ProposedChange.from_dict(stored)
    clicked = confirm_card(card, key="receipt", can_write=ctx.business.can_write)
    if clicked == "confirm":
        del st.session_state[keys.RECEIPT_CARD]
        outcome = record_receipt(runtime, ctx, arguments, card.title)
        if outcome.ok:
            st.session_state.get(keys.RECEIPTS, {}).pop(key, None)
        flash_outcome(outcome)
        st.rerun()
    if clicked == "cancel":
        del st.session_state[keys.RECEIPT_CARD]
        st.session_state[keys.FLASH] = ("info", "No expense was recorded.")
        st.rerun()
