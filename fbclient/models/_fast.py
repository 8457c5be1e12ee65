"""Fast validators for FreshBooks records, with the models' own validators as the judge.

The value types of :mod:`fbclient.types` validate with small Python functions, one call per
value, and every ``Money`` is a model of its own; on a page of invoices those calls are most
of the cost. :class:`FastValidators` compiles, per model, a second pydantic-core validator
from the model's own core schema in which those steps are swapped for equivalents that run
natively or hit a bounded cache:

- timestamps: ISO text read by ``datetime.fromisoformat`` (C); naive ones get their zone
  through a cache, since a record repeats its ``updated`` stamp on its lines;
- dates and optional decimals: the very same functions, behind ``lru_cache``;
- ids where FreshBooks writes 0 for none: native (0 is None, other ints pass);
- ``Money``: one instance per (amount, code) pair, shared (it is frozen), built natively from
  plain decimal text and an upper-case code;
- the legacy-id fold and the null-list step: left out where the schema refuses what they
  would have changed (a missing or empty ``id``, a null list), so those records go below.

Equivalent means: whatever a fast validator accepts, it returns what the model's own
validator returns. Whatever it refuses (a malformed record, or a valid one in an unusual
shape) is validated again by the model's own validator, so results and errors are that
validator's. The same holds from JSON text (``validate_json``) against the text decoded by
``json.loads`` first. tests/fbclient/test_fast_parsing.py checks this property-based.

Compiling a model takes a few milliseconds, once per process, on first use.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import CoreSchema, SchemaValidator
from pydantic_core import core_schema as cs

from ..types import EASTERN, Money, _decimal_or_none, _eastern, _flexible_date, _utc, _zero_is_none

__all__ = ["CACHE_SIZE", "FastValidators", "forget_parsed_values", "shared_money"]

# Entries per cache: a few MB at most, enough for a large business's dates and amounts.
CACHE_SIZE = 8192

T = TypeVar("T")

_CACHES: list[Any] = []  # every cache of parsed values below


def _lru(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` behind a cache of :data:`CACHE_SIZE` entries, one
    :func:`forget_parsed_values` clears."""
    cached = functools.lru_cache(maxsize=CACHE_SIZE)(function)
    _CACHES.append(cached)
    return cached


def forget_parsed_values() -> None:
    """Let go of the values kept to share between records read in bulk (dates, amounts,
    Money): about 6 MB after a large business's lists, of no use once they are read."""
    for cache in _CACHES:
        cache.cache_clear()


# Text that datetime.fromisoformat reads the same with either separator, without blanks
# around it: the reference's strip, " " -> "T" and "Z" -> "+00:00" change nothing for it.
_STAMP = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
_NAIVE = rf"^{_STAMP}$"
_AWARE = rf"^{_STAMP}(Z|[+-][0-9]{{2}}:[0-9]{{2}})$"
# Plain decimal text: Decimal(text) is exact and finite, and strip() changes nothing.
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
# Printable ASCII without lower case or blanks: strip().upper() changes nothing.
_CANONICAL_CODE = r"^[!-`{-~]+$"

# A swap gets a "function-before" node and the rewrite (for the node's inner schema); it
# returns the schema that replaces the node, or None to keep the node.
Walk = Callable[[Any], Any]
Swap = Callable[[dict[str, Any], Walk], CoreSchema | None]

_PLAIN_DECIMAL = re.compile(_DECIMAL)
_CANONICAL = re.compile(_CANONICAL_CODE)
_STRICT_INT = cs.int_schema(strict=True)
# Text short enough to be a cache key (longer text goes to the reference, uncached).
_KEY_TEXT = cs.str_schema(strict=True, max_length=64)


def _none(_value: object) -> None:
    return None


def _plain(function: Callable[[Any], Any]) -> CoreSchema:
    return cs.no_info_plain_validator_function(function)


def _first_of(*choices: CoreSchema) -> CoreSchema:
    return choices[0] if len(choices) == 1 else cs.union_schema(list(choices), mode="left_to_right")


def _cached(function: Callable[[Any], Any], *inputs: CoreSchema) -> Swap:
    """``function`` behind a cache, for inputs of the exact types given; None passes as None.

    Only for pure functions that map None to None. Strict str and int hand the cache an
    exact ``str`` or ``int``, never a bool or a float (which would share an int's key).
    """
    cached = _lru(function)

    def swap(node: dict[str, Any], walk: Walk) -> CoreSchema:
        steps = [_first_of(*inputs), _plain(cached), walk(node["schema"])]
        return cs.nullable_schema(cs.chain_schema(steps))

    return swap


def _timestamp(zone: tzinfo) -> Swap:
    """ISO text: naive gets ``zone`` (cached), aware is read as it is; None passes."""

    @_lru
    def in_zone(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=zone)

    def swap(node: dict[str, Any], walk: Walk) -> CoreSchema:
        text = _first_of(
            cs.chain_schema([cs.str_schema(strict=True, pattern=_NAIVE), _plain(in_zone)]),
            cs.chain_schema(
                [cs.str_schema(strict=True, pattern=_AWARE), _plain(datetime.fromisoformat)]
            ),
        )
        return cs.nullable_schema(cs.chain_schema([text, walk(node["schema"])]))

    return swap


def _zero_id(node: dict[str, Any], walk: Walk) -> CoreSchema:
    # The literal also matches 0.0 and False, which the reference reads as None too.
    zero = cs.chain_schema([cs.literal_schema([0]), _plain(_none)])
    return cs.nullable_schema(cs.chain_schema([_first_of(zero, _STRICT_INT), walk(node["schema"])]))


def _amount(node: dict[str, Any], walk: Walk) -> CoreSchema:
    text = cs.chain_schema([cs.str_schema(strict=True, pattern=_DECIMAL), _plain(Decimal)])
    return cs.chain_schema([text, walk(node["schema"])])


def _code(node: dict[str, Any], walk: Walk) -> CoreSchema:
    return cs.chain_schema(
        [cs.str_schema(strict=True, pattern=_CANONICAL_CODE), walk(node["schema"])]
    )


def _function_of(node: dict[str, Any]) -> Any:
    function = node["function"]["function"]
    return getattr(function, "__func__", function)  # a classmethod validator comes bound


_SWAPS: dict[Any, Swap] = {
    _flexible_date: _cached(_flexible_date, _KEY_TEXT),
    _decimal_or_none: _cached(_decimal_or_none, _KEY_TEXT, _STRICT_INT),
    _eastern: _timestamp(EASTERN),
    _utc: _timestamp(UTC),
    _zero_is_none: _zero_id,
    Money._amount.__func__: _amount,  # type: ignore[attr-defined]  # pydantic types the validator as its descriptor proxy; on the class it is a bound classmethod
    Money._code.__func__: _code,  # type: ignore[attr-defined]  # as above
}


@_lru
def _money(amount: str, code: str) -> Money:
    data = {"amount": amount, "code": code}
    try:
        return _money_validator().validate_python(data)  # type: ignore[no-any-return]  # pydantic-core's SchemaValidator returns Any
    except ValidationError:
        return Money.model_validate(data)  # its error is the reference's


def shared_money(amount: str, code: str) -> Money | None:
    """The Money a bulk read gives for FreshBooks' plain ``{"amount", "code"}`` pair (one
    shared instance per pair), or None when the pair is not in that plain shape."""
    if len(amount) > 64 or len(code) > 64 or not _CANONICAL.match(code):
        return None
    if not _PLAIN_DECIMAL.match(amount):
        return None
    return _money(amount, code)


@functools.cache
def _money_validator() -> SchemaValidator:
    return _compile(Money, _SWAPS, shared={}, many=False)


# Money nodes become: exactly {"amount": str, "code": str}, one shared instance per pair, or
# (from Python) a Money as it is, as the reference keeps it. Anything else (extra keys,
# numbers) is refused and goes to the reference.
_MONEY_PAIR = cs.call_schema(
    cs.arguments_schema(
        [
            cs.arguments_parameter("amount", _KEY_TEXT, mode="keyword_only"),
            cs.arguments_parameter("code", _KEY_TEXT, mode="keyword_only"),
        ]
    ),
    _money,
)
_MONEY = cs.json_or_python_schema(
    json_schema=_MONEY_PAIR,  # a JSON object reads as the keyword arguments
    python_schema=_first_of(
        cs.is_instance_schema(Money),
        cs.chain_schema([cs.is_instance_schema(dict), _MONEY_PAIR]),
    ),
)
_SHARED: dict[type[BaseModel], CoreSchema] = {Money: _MONEY}


class _Rewrite:
    """One pass over a core schema: swaps applied, shared models replaced, models noted."""

    def __init__(
        self,
        refs: dict[str, Any],
        swaps: dict[Any, Swap],
        shared: dict[type[BaseModel], CoreSchema],
    ) -> None:
        self.refs = refs
        self.swaps = swaps
        self.shared = shared
        self.models: set[type[BaseModel]] = set()

    def __call__(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self(item) for item in node]
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        if kind == "definitions":
            # A shared model's definition is no longer referenced once its refs are replaced.
            kept = [d for d in node["definitions"] if d.get("cls") not in self.shared]
            return {**node, "schema": self(node["schema"]), "definitions": self(kept)}
        if kind == "definition-ref":
            target = self.refs.get(node["schema_ref"], {})
            if target.get("type") == "model" and target["cls"] in self.shared:
                return self.shared[target["cls"]]
        elif kind == "model":
            if node["cls"] in self.shared:
                return self.shared[node["cls"]]
            self.models.add(node["cls"])
        elif kind == "function-before":
            swap = self.swaps.get(_function_of(node))
            swapped = swap(node, self) if swap is not None else None
            if swapped is not None:
                return swapped
        return {key: self(value) for key, value in node.items()}


def _refs(schema: Any, found: dict[str, Any]) -> dict[str, Any]:
    """Every schema in ``schema`` that carries a ``ref``, by ref."""
    if isinstance(schema, dict):
        if isinstance(schema.get("ref"), str):
            found[schema["ref"]] = schema
        for value in schema.values():
            _refs(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _refs(value, found)
    return found


_BUILD_LOCK = threading.Lock()


def _compile(
    model: type[BaseModel],
    swaps: dict[Any, Swap],
    *,
    shared: dict[type[BaseModel], CoreSchema],
    many: bool,
) -> SchemaValidator:
    schema = model.__pydantic_core_schema__
    rewrite = _Rewrite(_refs(schema, {}), swaps, shared)
    fast = rewrite(schema)
    if many:
        fast = cs.list_schema(fast)
    with _BUILD_LOCK:
        # pydantic-core reuses a complete model's own validator for any "model" node of its
        # class, which would undo the rewrite; pydantic's model_rebuild clears the same flag.
        flipped = [m for m in rewrite.models if m.__dict__.get("__pydantic_complete__")]
        for m in flipped:
            m.__pydantic_complete__ = False
        try:
            return SchemaValidator(fast)
        finally:
            for m in flipped:
                m.__pydantic_complete__ = True


class FastValidators:
    """Compiled fast validators, one per model (and per list of a model), built on first use.

    ``id_folds`` are model-level before-validators that only fill ``id`` when it is missing
    or empty: left out where ``id`` is a required int (or the model has no legacy id).
    ``null_lists`` are before-validators that turn None into []: applied to None only.
    """

    def __init__(
        self,
        *,
        id_folds: Iterable[Callable[..., Any]] = (),
        null_lists: Iterable[Callable[..., Any]] = (),
    ) -> None:
        self._swaps = dict(_SWAPS)
        for fold in id_folds:
            self._swaps[getattr(fold, "__func__", fold)] = _skip_fold
        for null_list in null_lists:
            self._swaps[null_list] = _null_list
        self._lock = threading.Lock()
        self._built: dict[tuple[type[BaseModel], bool], SchemaValidator] = {}

    def single(self, model: type[BaseModel]) -> SchemaValidator | None:
        """The fast validator of one ``model`` record, or None while the model is incomplete."""
        return self._get(model, many=False)

    def many(self, model: type[BaseModel]) -> SchemaValidator | None:
        """The fast validator of a list of ``model`` records (one call for a whole page)."""
        return self._get(model, many=True)

    def _get(self, model: type[BaseModel], *, many: bool) -> SchemaValidator | None:
        validator = self._built.get((model, many))
        if validator is None:
            if not model.__pydantic_complete__:
                return None
            with self._lock:
                validator = self._built.get((model, many))
                if validator is None:
                    validator = _compile(model, self._swaps, shared=_SHARED, many=many)
                    self._built[(model, many)] = validator
        return validator


def _skip_fold(node: dict[str, Any], walk: Walk) -> CoreSchema | None:
    owner = getattr(node["function"]["function"], "__self__", None)
    inner = node["schema"]
    if owner is not None and (not getattr(owner, "legacy_id", None) or _id_is_required_int(inner)):
        return walk(inner)  # type: ignore[no-any-return]  # Walk gives the rewritten schema as Any
    return None


def _id_is_required_int(fields: Any) -> bool:
    """Whether a model-fields schema refuses a missing, None or "" ``id``."""
    if not isinstance(fields, dict) or fields.get("type") != "model-fields":
        return False
    field = fields["fields"].get("id")
    return field is not None and field["schema"].get("type") == "int"


def _null_list(node: dict[str, Any], walk: Walk) -> CoreSchema:
    inner = walk(node["schema"])
    function = node["function"]["function"]
    return _first_of(inner, cs.chain_schema([cs.none_schema(), _plain(function), inner]))
