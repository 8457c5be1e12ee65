"""One dropped file, read: its text, its fields, the category proposed, the expenses it may
duplicate, or the sentence that says why it cannot be proposed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fbclient.models.expenses import Expense

from .category import CategoryChoice, choose_category
from .duplicates import find_duplicates
from .fields import ReceiptFields, parse_fields
from .files import ReceiptError, ReceiptFile
from .text import OCR_HINT, ReceiptText, read_text

__all__ = ["Reading", "read_receipt"]


@dataclass(frozen=True)
class Reading:
    """What one file gave. ``problem`` set: nothing to propose, and it says why."""

    name: str
    file: ReceiptFile | None
    text: ReceiptText | None = None
    fields: ReceiptFields = field(default_factory=ReceiptFields)
    category: CategoryChoice | None = None
    duplicates: list[Expense] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Whether an expense can be proposed from it."""
        return self.problem is None


def read_receipt(
    name: str,
    content: bytes,
    *,
    expenses: Sequence[Expense],
    categories: Mapping[int, str],
    default_currency: str,
    today: dt.date | None = None,
) -> Reading:
    """Read one dropped file against the business's expenses and categories. Never raises
    for bad input: a corrupt, huge, unknown or non-receipt file comes back with ``problem``."""
    try:
        receipt = ReceiptFile.of(name, content)
        text = read_text(receipt)
    except ReceiptError as exc:
        return Reading(name, None, problem=str(exc))
    if text.ocr_missing:
        return Reading(name, receipt, text, problem=f"{name} is a picture. {OCR_HINT}")
    if not text.text.strip():
        return Reading(name, receipt, text, problem=f"No text could be read from {name}.")
    fields = parse_fields(
        text.text,
        known_vendors=sorted({e.vendor for e in expenses if e.vendor}),
        default_currency=default_currency,
        today=today,
    )
    if not fields.is_receipt:
        return Reading(
            name,
            receipt,
            text,
            fields,
            problem=f"{name} does not look like a receipt: no amount paid was found on it.",
        )
    history = [(e.vendor, e.categoryid) for e in expenses if e.vis_state != 1]
    category = choose_category(fields.vendor, text.text, history, categories)
    twins = find_duplicates(expenses, fields.vendor, fields.date, fields.total, fields.currency)
    return Reading(name, receipt, text, fields, category, twins)
