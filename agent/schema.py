"""Compact strict tool schemas: what pydantic generates, minus what the model does not need.

Every character of a tool schema is sent with every request, so the schemas are trimmed:
``title`` keys (pydantic's names for models and fields), the object-level ``description`` it
copies from the argument model's docstring, and ``anyOf: [X, null]`` folded into
``type: [X, "null"]`` where X is a plain typed schema. What stays is still valid for OpenAI's
strict mode: every object closed (``additionalProperties: false``) with every property required.
"""

from __future__ import annotations

from typing import Any

__all__ = ["compact_parameters"]

_NULL = {"type": "null"}


def compact_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """``parameters`` (a strict JSON schema of an argument model) without the extra weight."""
    out: dict[str, Any] = _compact(parameters)
    out.pop("description", None)  # the model's docstring: the tool's description says it
    for definition in out.get("$defs", {}).values():
        definition.pop("description", None)
    return out


def _compact(node: Any) -> Any:
    if isinstance(node, list):
        return [_compact(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title":
            continue
        if key in ("properties", "$defs") and isinstance(value, dict):
            # Names of properties and definitions, not keywords: a field may be called "title".
            out[key] = {name: _compact(sub) for name, sub in value.items()}
        else:
            out[key] = _compact(value)
    return _fold_nullable(out)


def _fold_nullable(node: dict[str, Any]) -> dict[str, Any]:
    """``{"anyOf": [{"type": "string", ...}, {"type": "null"}]}`` → ``{"type": ["string", "null"], ...}``."""
    options = node.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or _NULL not in options:
        return node
    other = options[0] if options[1] == _NULL else options[1]
    # Only plain scalar schemas: a $ref, an enum or an object keeps its anyOf.
    if not isinstance(other.get("type"), str) or other["type"] in ("object", "array"):
        return node
    if "enum" in other or "$ref" in other:
        return node
    rest = {key: value for key, value in node.items() if key != "anyOf"}
    return {**other, **rest, "type": [other["type"], "null"]}
