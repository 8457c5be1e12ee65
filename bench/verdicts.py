"""PASS or FAIL against a benchmark's targets, and its figures made ready to print."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Targets", "mark", "rounded", "verdict"]

# name -> (description, kind, bound). "min": value >= bound passes; "max": value <= bound;
# "below": value < bound.
Targets = Mapping[str, tuple[str, str, float]]


def verdict(targets: Targets, name: str, value: float | None) -> dict[str, Any]:
    """The target ``name`` of ``targets`` with ``value`` and whether it passes (None: not
    measured)."""
    label, kind, bound = targets[name]
    if value is None:
        passed = None
    elif kind == "min":
        passed = value >= bound
    elif kind == "max":
        passed = value <= bound
    else:
        passed = value < bound
    return {"target": label, "value": value, "bound": bound, "pass": passed}


def rounded(value: Any) -> Any:
    """Every float in ``value`` (nested dicts and lists too) to 3 places, for the JSON line."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def mark(found: Mapping[str, Any]) -> str:
    """PASS, FAIL or n/a for a :func:`verdict`."""
    return {True: "PASS", False: "FAIL", None: "n/a"}[found["pass"]]
