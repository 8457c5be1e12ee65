"""How well receipts are read: per field (vendor, date, total, tax, currency, category), over
the generated corpus (bench/receipt_corpus.py), split into digital PDFs and images (OCR).

    .venv/bin/python -m bench.receipts [--today YYYY-MM-DD] [--show-misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bench.receipt_corpus import CATEGORIES, HISTORY, Sample, corpus
from fbclient import Money
from fbclient.models.expenses import Expense
from receipts import Reading, ocr_available, read_receipt
from receipts.category import vendor_key

__all__ = ["FIELDS", "Score", "history_expenses", "main", "read_sample", "score", "table"]

FIELDS = ("vendor", "date", "total", "tax", "currency", "category")


def history_expenses(today: dt.date) -> list[Expense]:
    """The corpus business's past expenses (from ``HISTORY``), dated long before the corpus."""
    return [
        Expense(
            id=number,
            vendor=vendor,
            categoryid=category,
            amount=Money.of(Decimal("10.00") + number, "USD"),
            date=today - dt.timedelta(days=200 + number),
        )
        for number, (vendor, category) in enumerate(HISTORY, start=1)
    ]


def read_sample(sample: Sample, today: dt.date) -> Reading:
    """Read one corpus file as the Expenses page would."""
    return read_receipt(
        sample.name,
        sample.content,
        expenses=history_expenses(today),
        categories=CATEGORIES,
        default_currency="USD",
        today=today,
    )


def _got(reading: Reading, name: str) -> object:
    f = reading.fields
    if name == "vendor":
        return vendor_key(f.vendor)
    if name == "category":
        return reading.category.name if reading.category else None
    return {"date": f.date, "total": f.total, "tax": f.tax, "currency": f.currency}[name]


def _wanted(sample: Sample, name: str) -> object:
    if name == "vendor":
        return vendor_key(sample.vendor)
    return {
        "date": sample.day,
        "total": sample.total,
        "tax": sample.tax,
        "currency": sample.currency,
        "category": sample.category,
    }[name]


@dataclass
class Score:
    """Right answers per field for one half of the corpus, and what was missed."""

    label: str
    files: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    rejected_right: int = 0  # pages that are not receipts, refused
    not_receipts: int = 0
    seconds: float = 0.0

    def share(self, name: str) -> float:
        """The share of files this field was read right in (0 with no files)."""
        return self.right[name] / self.files if self.files else 0.0


def score(samples: Sequence[Sample], today: dt.date, label: str) -> Score:
    """Read every sample and count, per field, the right answers."""
    result = Score(label)
    for sample in samples:
        started = time.perf_counter()
        reading = read_sample(sample, today)
        result.seconds += time.perf_counter() - started
        if not sample.receipt:
            result.not_receipts += 1
            result.rejected_right += not reading.ok
            if reading.ok:
                result.misses.append(f"{sample.name}: taken for a receipt")
            continue
        result.files += 1
        for name in FIELDS:
            got, wanted = _got(reading, name), _wanted(sample, name)
            if got == wanted:
                result.right[name] += 1
            else:
                result.misses.append(f"{sample.name}: {name} {got!r} (wanted {wanted!r})")
    return result


def table(scores: Sequence[Score]) -> str:
    """The accuracy table as text (Markdown)."""
    head = "| files | n | " + " | ".join(FIELDS) + " | not-receipts refused | s/file |"
    rule = "|" + "---|" * (len(FIELDS) + 4)
    rows = [head, rule]
    for s in scores:
        cells = " | ".join(f"{s.share(n):.0%}" for n in FIELDS)
        refused = f"{s.rejected_right}/{s.not_receipts}"
        per_file = s.seconds / max(s.files + s.not_receipts, 1)
        rows.append(f"| {s.label} | {s.files} | {cells} | {refused} | {per_file:.2f} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the accuracy table (and, asked, every miss)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    samples = corpus(args.today)
    scores = [score([s for s in samples if s.kind == "pdf"], args.today, "digital PDFs")]
    if ocr_available():
        scores.append(score([s for s in samples if s.kind == "image"], args.today, "images (OCR)"))
    else:
        print("tesseract is not installed: images skipped (sudo apt-get install tesseract-ocr)")
    print(table(scores))
    if args.show_misses:
        for s in scores:
            for miss in s.misses:
                print(f"  {s.label}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
