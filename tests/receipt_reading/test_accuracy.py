"""How well the generated corpus reads, per field: the table is printed, floors asserted.

The image half needs Debian's tesseract-ocr (``make test`` installs it); it is skipped, saying
so, only where the binary is missing.
"""

from __future__ import annotations

import pytest

from bench.receipt_corpus import corpus
from bench.receipts import FIELDS, score, table
from receipts import ocr_available

from ..support.clock import today

# Digital PDFs carry their own text: every field should come out right. Images go through
# OCR of rendered, turned, speckled and blurred pictures: most of them should.
PDF_FLOOR = dict.fromkeys(FIELDS, 0.85)
IMAGE_FLOOR = {
    "vendor": 0.7,
    "date": 0.6,
    "total": 0.7,
    "tax": 0.6,
    "currency": 0.8,
    "category": 0.6,
}


def test_corpus_is_large_and_varied() -> None:
    samples = corpus(today())
    receipts = [s for s in samples if s.receipt]
    assert len(receipts) >= 20
    assert {s.variant for s in receipts} >= {"pdf", "rotated-90", "noisy", "blurred-photo"}
    assert any(s.currency == "EUR" for s in receipts)
    assert any(not s.receipt for s in samples)


def test_digital_pdfs_read_field_by_field() -> None:
    day = today()
    result = score([s for s in corpus(day) if s.kind == "pdf"], day, "digital PDFs")
    print("\n" + table([result]))
    print("\n".join(result.misses))
    for name, floor in PDF_FLOOR.items():
        assert result.share(name) >= floor, (name, result.misses)
    assert result.rejected_right == result.not_receipts


@pytest.mark.skipif(
    not ocr_available(), reason="tesseract is not installed (sudo apt-get install tesseract-ocr)"
)
def test_images_read_field_by_field_through_ocr() -> None:
    day = today()
    result = score([s for s in corpus(day) if s.kind == "image"], day, "images (OCR)")
    print("\n" + table([result]))
    print("\n".join(result.misses))
    for name, floor in IMAGE_FLOOR.items():
        assert result.share(name) >= floor, (name, result.misses)
    assert result.rejected_right == result.not_receipts
