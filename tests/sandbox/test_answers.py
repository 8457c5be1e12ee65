"""`sandbox.core.answers` and `Collection.memo`: the cheap way lists are built and encoded.

* `dumps` gives the bytes Starlette's `JSONResponse` gives, on any JSON-shaped value (property:
  unicode, control characters, 64-bit integers, nesting), and falls back where orjson cannot;
* `JSONAnswer` sends the same headers as `JSONResponse`;
* `public` drops private keys only, in order, without touching the record;
* `Collection.memo` reuses a value only for the very record object and variant it was built
  from, and forgets a key's values when the record is replaced or removed.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.responses import JSONResponse

from sandbox.core.answers import JSONAnswer, dumps, public
from sandbox.core.books import MAX_VARIANTS, Collection

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TEXT = st.text(st.characters(codec="utf-8", min_codepoint=0), max_size=30)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    TEXT,
    st.sampled_from(["41.94", "", "\u2028", "\x7f", 'quote " and \\ backslash', "é中😀"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(TEXT, inner, max_size=5)),
    max_leaves=30,
)


def starlette_bytes(value: Any) -> bytes:
    return JSONResponse(value).body


@SETTINGS
@given(VALUES)
def test_dumps_is_byte_for_byte_starlettes_json_response(value: Any) -> None:
    assert dumps(value) == starlette_bytes(value)


def test_values_orjson_cannot_encode_fall_back_to_the_same_bytes() -> None:
    huge = {"big": 2**70, "small": -(2**70), "list": [1, "a"]}
    numbered = {1: "int key", "s": {2: None}}
    for value in (huge, numbered):
        assert dumps(value) == starlette_bytes(value)


def test_floats_keep_their_value() -> None:
    # Only a client can store floats (the sandbox writes numbers as strings); orjson prints
    # exponents without padding ("1e-7", not "1e-07"), but every float reads back the same.
    values = [0.1, 1.5, -2.25, 1e-7, 1e22, 123456789.123, 5e-324]
    assert json.loads(dumps(values)) == values


def test_json_answer_sends_what_json_response_sends() -> None:
    content = {"response": {"result": {"clients": [{"id": 1, "organization": "Café ☕"}]}}}
    ours, theirs = JSONAnswer(content, status_code=200), JSONResponse(content)
    assert ours.body == theirs.body
    assert ours.raw_headers == theirs.raw_headers
    assert ours.media_type == "application/json"


def test_public_drops_private_keys_in_order_and_leaves_the_record_alone() -> None:
    record = {"_sending": 2, "id": 7, "name": "x", "_tax_total": "1.00", "vis_state": 0}
    shown = public(record)
    assert list(shown) == ["id", "name", "vis_state"]
    assert shown == {"id": 7, "name": "x", "vis_state": 0}
    assert "_sending" in record
    assert shown is not record
    # The same layout again (remembered), and layouts with keys nobody planned for.
    assert public(dict(record)) == shown
    odd = {"": 1, "_": 2, "a_b": 3, "__x": 4, "é": 5}
    assert public(odd) == {"": 1, "a_b": 3, "é": 5}


def test_memo_reuses_a_value_only_for_the_same_record_and_variant() -> None:
    col = Collection("things")
    first = {"id": 1, "name": "a"}
    col.put(1, first)
    built: list[tuple[str, Any]] = []

    def build(record: dict[str, Any]) -> dict[str, Any]:
        built.append((record["name"], record["id"]))
        return {"shown": record["name"]}

    value = col.memo(first, ("v",), build)
    assert col.memo(first, ("v",), build) is value
    assert len(built) == 1
    # Another variant is built on its own; the first stays memoized next to it.
    assert col.memo(first, ("w",), build) == {"shown": "a"}
    assert col.memo(first, ("v",), build) is value
    assert len(built) == 2
    # An equal but different record object (not what was memoized) is built afresh.
    assert col.memo(dict(first), ("v",), build) is not value
    assert len(built) == 3


def test_memo_forgets_replaced_and_removed_records() -> None:
    col = Collection("things")
    col.put(1, {"id": 1, "name": "old"})

    def build(record: dict[str, Any]) -> str:
        return str(record["name"])

    assert col.memo(col.items[1], (), build) == "old"
    col.put(1, {"id": 1, "name": "new"})
    assert col.memo(col.items[1], (), build) == "new"
    col.remove(1)
    col.put(1, {"id": 1, "name": "again"})
    assert col.memo(col.items[1], (), build) == "again"


def test_memo_stays_right_beyond_its_variant_bound() -> None:
    col = Collection("things")
    record = {"id": 1, "n": 3}
    col.put(1, record)
    for round_ in range(2):
        for variant in range(MAX_VARIANTS * 2):
            expected = record["n"] * variant
            assert col.memo(record, variant, lambda r, v=variant: r["n"] * v) == expected, round_
