"""Labels a person picks records by, made for a whole frame at once."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["invoice_labels", "plain_text"]


def invoice_labels(invoices: pd.DataFrame) -> dict[Any, str]:
    """``"number · client · status"`` for each invoice id of an invoices frame (its first
    row when an id repeats), e.g. as ``format_func=labels.__getitem__`` of a picker.

    A picker formats every option on every run: looking each id up in the frame filters
    the whole frame once per option (seconds for a few thousand invoices); this is one pass.
    Missing text reads "nan", as ``str`` of the row's value would.
    """
    first = invoices.drop_duplicates("invoice_id")
    parts = [first[column].to_numpy(dtype=object) for column in ("number", "client", "status")]
    return {
        invoice_id: " · ".join(str(value) for value in values)
        for invoice_id, *values in zip(first["invoice_id"].tolist(), *parts, strict=True)
    }


def plain_text(value: str | None, limit: int = 200) -> str | None:
    """FreshBooks text as data: its whitespace folded to single spaces and cut to ``limit``
    characters (an ellipsis marks the cut)."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
