"""Receipts: read a dropped file (PDF text or OCR), find its fields, choose a category from the
business's own history, and spot an expense it duplicates. Framework-free: the Expenses page,
the chat and the bench all stand on it."""

from __future__ import annotations

from .category import CategoryChoice, choose_category
from .duplicates import find_duplicates
from .fields import ReceiptFields, parse_fields
from .files import MAX_BYTES, ReceiptError, ReceiptFile
from .reading import Reading, read_receipt
from .text import ocr_available, read_text

__all__ = [
    "MAX_BYTES",
    "CategoryChoice",
    "Reading",
    "ReceiptError",
    "ReceiptFields",
    "ReceiptFile",
    "choose_category",
    "find_duplicates",
    "ocr_available",
    "parse_fields",
    "read_receipt",
    "read_text",
]
