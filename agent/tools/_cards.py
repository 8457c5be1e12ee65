"""Pieces of confirm cards and write results shared by every write tool."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from fbclient import FreshBooksError

__all__ = ["change_rows", "display", "read_back", "record_ids", "written", "written_id"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def display(value: Any) -> str:
    """A value as a card shows it: dates ISO, decimals plain, booleans yes/no, empty as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def change_rows(
    current: Mapping[str, Any], changes: Mapping[str, Any], labels: Mapping[str, str]
) -> list[tuple[str, str]]:
    """One ``(label, "old → new")`` row per changed field, in ``labels`` order."""
    rows = []
    for name, label in labels.items():
        if name in changes:
            before, after = display(current.get(name)), display(changes[name])
            rows.append((label, after if before == after else f"{before} → {after}"))
    return rows


def record_ids(**ids: int | list[int] | None) -> dict[str, list[int]]:
    """``{"invoice": [21000204], ...}``: the FreshBooks ids a write created or changed."""
    out: dict[str, list[int]] = {}
    for kind, value in ids.items():
        if value is None:
            continue
        out[kind] = list(value) if isinstance(value, list) else [value]
    return out


def written(action: str, ids: dict[str, list[int]], **details: Any) -> dict[str, Any]:
    """A write's result: what was done, the ids for the audit log, and the re-read record."""
    return {"done": action, "record_ids": ids, **details}


def written_id(result: dict[str, Any], kind: str) -> int:
    """The id of the ``kind`` record a write's result (:func:`written`) names first: what an
    undo takes back."""
    ids: list[int] = result["record_ids"][kind]
    return ids[0]


def read_back(fetch: Callable[[], T], answered: T) -> T:
    """The record re-read after a write, or what the write itself answered.

    The write already happened: a re-read that fails (FreshBooks hiccuping) must not turn
    it into a reported failure, which would invite the user to make it twice.
    """
    try:
        return fetch()
    except FreshBooksError as exc:
        log.info("re-reading a written record failed: %s", type(exc).__name__)
        return answered
