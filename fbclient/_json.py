"""JSON decoding: orjson or pydantic-core's parser, with the standard library's results and errors.

``json.loads`` costs about twice what pydantic-core's ``from_json`` (jiter) costs on a page of
records, and ``orjson.loads`` about half of that again. orjson gives ``json``'s values for
every text it reads but one kind: integers beyond 64 bits come back as floats. So bytes go to
orjson unless they hold a run of 19 digits or more (every such integer has one; a long number
in a string just takes the slower path). Where jiter reads a text at all it gives the same
values (NaN and Infinity allowed as ``json`` allows them, integers exact to the same
4300-digit limit); the few texts it refuses that ``json`` reads (lone surrogates, nesting
deeper than 200, UTF-16) go to ``json``, which also raises for every text that is not JSON.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from pydantic_core import from_json

__all__ = ["compact", "loads"]

# Every digit made a 9, so a run of 19 digits is a run of 19 nines (found in one C search).
_NINES = bytes.maketrans(b"0123456789", b"9" * 10)
_LONG_NUMBER = b"9" * 19


def loads(data: bytes | bytearray | str) -> Any:
    """The value of a JSON text, exactly as ``json.loads`` returns it; ValueError if not JSON."""
    if not isinstance(data, str) and _LONG_NUMBER not in data.translate(_NINES):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # NaN, a lone surrogate, a BOM, deep nesting, or not JSON: asked below
    try:
        return from_json(data, allow_inf_nan=True)
    except ValueError:
        return json.loads(data)


def compact(value: Any) -> bytes:
    """``value`` as compact JSON bytes (orjson; the standard library for what orjson refuses,
    such as integers beyond 64 bits or a lone surrogate, so nothing is altered or lost)."""
    try:
        # orjson's bytes keep the capacity its buffer grew to (several times the text of a
        # record): a copy of the exact size is what is kept.
        return memoryview(orjson.dumps(value)).tobytes()
    except TypeError:
        # ASCII with escapes: a lone surrogate has no UTF-8 form, but an escape reads back.
        return json.dumps(value, separators=(",", ":")).encode("ascii")
