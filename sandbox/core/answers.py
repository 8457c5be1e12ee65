"""JSON answers, cheaply: orjson bytes equal to Starlette's, and lean record copies.

Lists are most of what the sandbox serves (a full dashboard load is hundreds of 100-record
pages), so their cost matters. Besides memoizing each record's presented copy
(`Collection.memo`), two things keep it low:

- `dumps` encodes with orjson, whose output for sandbox data is byte for byte what
  `JSONResponse` (stdlib json, compact, `ensure_ascii=False`) gives; values orjson cannot
  encode (integers beyond 64 bits, non-string keys) fall back to the stdlib encoder. Known
  differences, both on values the sandbox never makes itself (only a client could store
  them): a float exponent prints as "1e-7" rather than "1e-07" (the same number), and NaN
  or Infinity print as null where the stdlib encoder refused them (a 500).
- `public` copies a record without its private `_` keys, remembering which keys are private
  per key layout instead of testing every key of every record.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.responses import JSONResponse

__all__ = ["JSONAnswer", "dumps", "private_keys", "public"]

# Key layout -> its private keys. Records of one kind share a handful of layouts; the bound
# keeps client-invented keys from growing it without limit.
_PRIVATE_BY_LAYOUT: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_LAYOUTS = 4096


def _stdlib(content: Any) -> bytes:
    # Exactly Starlette's JSONResponse.render.
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def dumps(content: Any) -> bytes:
    """Compact UTF-8 JSON, as Starlette's `JSONResponse` renders it."""
    try:
        return orjson.dumps(content)
    except TypeError:  # orjson.JSONEncodeError: e.g. an int beyond 64 bits, a non-str key
        return _stdlib(content)


def private_keys(record: dict[str, Any]) -> tuple[str, ...]:
    """The private (`_`-prefixed) keys of `record`, remembered per key layout."""
    layout = tuple(record)
    private = _PRIVATE_BY_LAYOUT.get(layout)
    if private is None:
        private = tuple(k for k in layout if k.startswith("_"))
        if len(_PRIVATE_BY_LAYOUT) < _MAX_LAYOUTS:
            _PRIVATE_BY_LAYOUT[layout] = private
    return private


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of `record` without its private (`_`-prefixed) keys, in the same key order."""
    out = record.copy()
    for key in private_keys(record):
        del out[key]
    return out


class JSONAnswer(JSONResponse):
    """A `JSONResponse` rendered by `dumps` (same headers, same bytes, less CPU)."""

    def render(self, content: Any) -> bytes:
        """Encode the content."""
        return dumps(content)
