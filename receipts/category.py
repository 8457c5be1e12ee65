"""Which of the business's own expense categories a receipt belongs to: the one its vendor was
filed under before, else a keyword guess, and how sure that is."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["CategoryChoice", "choose_category", "same_vendor", "vendor_key"]

SAME_VENDOR = 0.85  # names this close are one vendor ("Joe Coffee" and "JOE COFFEE #12")

# Words on a receipt -> words of a category name. Only names the business has can be chosen.
KEYWORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("uber", "lyft", "taxi", "cab", "rideshare"), ("taxi", "rideshare", "travel")),
    (("hotel", "inn", "lodging", "suites", "airbnb"), ("hotel", "lodging", "travel")),
    (("airline", "airways", "air ", "flight", "boarding"), ("airfare", "travel")),
    (("parking", "park ", "toll"), ("parking", "toll")),
    (("fuel", "gas station", "petrol", "shell", "esso", "chevron", "diesel"), ("gas", "fuel")),
    (
        (
            "coffee",
            "cafe",
            "café",
            "restaurant",
            "bistro",
            "bar ",
            "grill",
            "pizza",
            "bakery",
            "kitchen",
            "lunch",
            "dinner",
            "brasserie",
            "trattoria",
        ),
        ("meals", "entertainment", "food"),
    ),
    (("post", "usps", "fedex", "ups ", "dhl", "shipping", "courier"), ("postage", "shipping")),
    (("print", "copies"), ("printing", "production")),
    (("staples", "office", "paper", "toner", "stationery", "pens"), ("office supplies", "office")),
    (
        ("software", "subscription", "saas", "licence", "license", "cloud"),
        ("subscriptions", "software"),
    ),
    (("phone", "mobile", "wireless"), ("telephone", "phone")),
    (("internet", "broadband", "fiber"), ("internet",)),
    (("course", "training", "conference", "workshop"), ("education", "training")),
    (("camera", "computer", "laptop", "electronics", "photo"), ("equipment", "hardware")),
    (("ads", "advertising", "promoted", "sponsored"), ("advertising",)),
)


@dataclass(frozen=True)
class CategoryChoice:
    """A category and why: ``basis`` "history" (this vendor's own expenses, ``count`` of
    them), "keyword" (a word on the receipt) or "none" (nothing to go on)."""

    category_id: int | None
    name: str | None
    basis: Literal["history", "keyword", "none"]
    count: int = 0
    reason: str = ""


def vendor_key(name: str | None) -> str:
    """A vendor's name folded for comparison: case, punctuation, store numbers dropped."""
    text = re.sub(r"#\s*\d+|\bno\.?\s*\d+", " ", (name or "").casefold())
    return " ".join(re.sub(r"[^\w& ]+", " ", text).split())


def same_vendor(a: str, b: str) -> bool:
    """Whether two folded names (:func:`vendor_key`) are one vendor."""
    return bool(a and b) and (
        a == b
        or a.startswith(b + " ")
        or difflib.SequenceMatcher(None, a, b).ratio() >= SAME_VENDOR
    )


def choose_category(
    vendor: str | None,
    text: str,
    history: Iterable[tuple[str | None, int | None]],
    categories: Mapping[int, str],
) -> CategoryChoice:
    """The category for a receipt from ``vendor`` whose text is ``text``.

    ``history`` is (vendor, category id) of the business's expenses; ``categories`` its
    categories (id -> name). The vendor's most used category wins; a keyword guess only
    when the vendor is new.
    """
    key = vendor_key(vendor)
    used = Counter(
        cid
        for name, cid in history
        if cid is not None and cid in categories and same_vendor(vendor_key(name), key)
    )
    if used:
        category_id, count = used.most_common(1)[0]
        total = sum(used.values())
        reason = f"from {total} earlier expense{'s' if total != 1 else ''} with this vendor"
        if count != total:
            reason += f" ({count} filed under it)"
        return CategoryChoice(category_id, categories[category_id], "history", total, reason)
    words = f" {(vendor or '').casefold()} {text.casefold()} "
    for triggers, names in KEYWORDS:
        # Whole words only: "esso" is a fuel brand, "espresso" is not fuel.
        hit = next((t for t in triggers if re.search(rf"\b{re.escape(t.strip())}\b", words)), None)
        if hit is None:
            continue
        for wanted in names:
            for category_id, name in sorted(categories.items()):
                if wanted in name.casefold():
                    return CategoryChoice(
                        category_id,
                        name,
                        "keyword",
                        reason=f"a guess from the word “{hit.strip()}” (no earlier expense "
                        "with this vendor)",
                    )
    return CategoryChoice(None, None, "none", reason="no earlier expense with this vendor")
