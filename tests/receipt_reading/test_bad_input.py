"""Bad input gets one clear sentence and no proposal, never a traceback."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bench.receipt_corpus import CATEGORIES, corpus
from bench.receipts import history_expenses
from receipts import MAX_BYTES, read_receipt, text

from ..support.clock import today


def _read(name: str, content: bytes):
    day = today()
    return read_receipt(
        name,
        content,
        expenses=history_expenses(day),
        categories=CATEGORIES,
        default_currency="USD",
        today=day,
    )


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.pdf", b"", "is empty"),
        ("notes.txt", b"Lunch 12.50", "not a PDF, PNG or JPEG"),
        ("broken.pdf", b"%PDF-1.7\n garbage that is no PDF", "not a PDF that can be read"),
        ("cut.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image that can be read"),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_BYTES, "MB; receipts up to"),
        ("bomb.png", _png(Image.new("1", (12000, 12000), 1)), "too large an image"),
    ],
)
def test_bad_files_say_why(name: str, content: bytes, says: str) -> None:
    reading = _read(name, content)
    assert not reading.ok
    assert reading.problem is not None
    assert says in reading.problem


def test_a_letter_is_not_taken_for_a_receipt() -> None:
    letter = next(s for s in corpus(today()) if not s.receipt and s.kind == "pdf")
    reading = _read(letter.name, letter.content)
    assert reading.problem is not None
    assert "does not look like a receipt" in reading.problem


def test_without_tesseract_an_image_says_how_to_enable_it(monkeypatch) -> None:
    monkeypatch.setattr(text.shutil, "which", lambda name: None)
    image = next(s for s in corpus(today()) if s.kind == "image" and s.receipt)
    reading = _read(image.name, image.content)
    assert reading.problem is not None
    assert "sudo apt-get install tesseract-ocr" in reading.problem
    pdf = next(s for s in corpus(today()) if s.kind == "pdf" and s.receipt)
    assert _read(pdf.name, pdf.content).ok  # digital PDFs need no OCR


def test_a_duplicate_is_found_by_vendor_day_and_amount() -> None:
    sample = next(s for s in corpus(today()) if s.kind == "pdf" and s.receipt)
    from fbclient import Money
    from fbclient.models.expenses import Expense

    assert sample.total is not None
    assert sample.currency is not None
    twin = Expense(
        id=99,
        vendor=sample.vendor,
        date=sample.day,
        amount=Money.of(sample.total, sample.currency),
        categoryid=1,
    )
    other_day = twin.model_copy(update={"id": 98, "date": None})
    day = today()
    reading = read_receipt(
        sample.name,
        sample.content,
        expenses=[*history_expenses(day), twin, other_day],
        categories=CATEGORIES,
        default_currency="USD",
        today=day,
    )
    assert [e.id for e in reading.duplicates] == [99]
