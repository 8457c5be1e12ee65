"""List queries: `search[...]` filters, sorting, and both pagination styles.

Accounting lists take `search[key]=v`, `search[keys][]=v` (in), `search[key_like]`,
`search[key_min]` / `search[key_max]` (inclusive; dates compared by day). Keys a resource does not
declare are ignored silently, as FreshBooks does. Project-family lists take bare parameters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from starlette.datastructures import QueryParams

from sandbox.core.books import Collection
from sandbox.core.errors import ApiError, Problem, validation
from sandbox.core.wire import dec

Getter = Callable[[dict[str, Any]], Any]
Op = Literal["eq", "in", "like", "min", "max", "day_min", "day_max", "bool", "not"]
Parse = Literal["int", "str", "decimal", "bool"]

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})

_SEARCH_KEY = re.compile(r"^search\[([^\]]+)\](\[\d*\])?$")


def field_getter(name: str) -> Getter:
    """A getter for one top-level field."""
    return lambda record: record.get(name)


@dataclass(frozen=True)
class Filter:
    """How one search key tests a record."""

    op: Op
    get: Getter
    parse: Parse = "str"

    def predicate(self, raw: list[str]) -> Callable[[dict[str, Any]], bool]:
        """A record predicate for the raw values sent under this key."""
        values = [self._parse(v) for v in raw]
        if self.op == "in":
            wanted = {v for v in values if v is not None}
            return lambda r: _norm(self.get(r)) in wanted
        value = values[-1]
        if value is None:
            # An unparseable value matches nothing rather than silently matching everything.
            return lambda r: False
        if self.op == "eq":
            return lambda r: _norm(self.get(r)) == value
        if self.op == "not":
            return lambda r: _norm(self.get(r)) != value
        if self.op == "bool":
            return lambda r: bool(self.get(r)) is value
        if self.op == "like":
            needle = str(value).casefold()
            return lambda r: any(needle in str(v).casefold() for v in _many(self.get(r)))
        if self.op in ("min", "max"):
            bound = value
            return lambda r: _compare_num(self.get(r), bound, self.op)
        day = str(value)[:10]
        get = self.get
        if self.op == "day_min":
            return lambda r: bool(v := get(r)) and str(v)[:10] >= day
        return lambda r: bool(v := get(r)) and str(v)[:10] <= day

    def _parse(self, raw: str) -> Any:
        text = raw.strip()
        if self.parse == "int":
            try:
                return int(text)
            except ValueError:
                return None
        if self.parse == "decimal":
            try:
                return dec(text)
            except ValueError:
                return None
        if self.parse == "bool":
            lowered = text.lower()
            if lowered in TRUE_WORDS:
                return True
            if lowered in FALSE_WORDS:
                return False
            return None
        if self.op in ("day_min", "day_max") and not re.match(r"^\d{4}-\d{2}-\d{2}", text):
            return None
        return text.casefold() if self.op in ("eq", "in", "not") else text


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    return value


def _many(value: Any) -> Iterable[Any]:
    if isinstance(value, list | tuple):
        return [v for v in value if v is not None]
    return [] if value is None else [value]


def _compare_num(value: Any, bound: Decimal, op: str) -> bool:
    try:
        number = dec(value)
    except ValueError:
        return False
    return number >= bound if op == "min" else number <= bound


# Filter table builders -------------------------------------------------------------------------
def ids(key: str, field_name: str | None = None) -> dict[str, Filter]:
    """`key` (equals) and `key + "s"` (in) over an integer field."""
    get = field_getter(field_name or key)
    return {key: Filter("eq", get, "int"), f"{key}s": Filter("in", get, "int")}


def likes(*names: str) -> dict[str, Filter]:
    """`<name>_like` substring filters over same-named fields."""
    return {f"{n}_like": Filter("like", field_getter(n)) for n in names}


def days(name: str, field_name: str | None = None) -> dict[str, Filter]:
    """`<name>_min` / `<name>_max` day-granular, inclusive date filters."""
    get = field_getter(field_name or name)
    return {f"{name}_min": Filter("day_min", get), f"{name}_max": Filter("day_max", get)}


def amounts(name: str, field_name: str | None = None) -> dict[str, Filter]:
    """`<name>_min` / `<name>_max` numeric (money or decimal string) filters, inclusive."""
    get = field_getter(field_name or name)
    return {
        f"{name}_min": Filter("min", get, "decimal"),
        f"{name}_max": Filter("max", get, "decimal"),
    }


VIS_STATE = {"vis_state": Filter("eq", field_getter("vis_state"), "int")}


def search_params(query: QueryParams) -> dict[str, list[str]]:
    """Collect `search[key]` and `search[key][]` parameters by key."""
    found: dict[str, list[str]] = {}
    for name, value in query.multi_items():
        match = _SEARCH_KEY.match(name)
        if match:
            found.setdefault(match.group(1), []).append(value)
    return found


def apply_filters(
    records: Iterable[dict[str, Any]],
    table: Mapping[str, Filter],
    params: Mapping[str, list[str]],
) -> Iterable[dict[str, Any]]:
    """Keep records passing every declared filter in `params`; unknown keys are ignored."""
    predicates = [table[key].predicate(values) for key, values in params.items() if key in table]
    rows = records
    for predicate in predicates:
        # One pass per filter: each pass shrinks the list, and a comprehension is the cheapest
        # loop CPython has (much cheaper than all() over a generator per record).
        rows = [r for r in rows if predicate(r)]
    return rows


# Sorting ---------------------------------------------------------------------------------------
def _sort_value(value: Any) -> tuple[int, Any]:
    # None sorts last ascending; money objects sort by amount.
    if value is None:
        return (1, 0)
    if isinstance(value, dict):
        try:
            return (0, dec(value))
        except ValueError:
            return (1, 0)
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


def sorted_records(
    collection: Collection, name: str, get: Getter, descending: bool, id_field: str = "id"
) -> list[dict[str, Any]]:
    """All records of a collection in one order, cached until the collection changes."""

    def build() -> list[dict[str, Any]]:
        return sorted(
            collection.items.values(),
            key=lambda r: (_sort_value(get(r)), r.get(id_field) or 0),
            reverse=descending,
        )

    return collection.cached(f"sort:{name}:{descending}", build)


def accounting_sort(raw: str | None, allowed: Mapping[str, Getter]) -> tuple[str, bool] | None:
    """Parse `sort=<field>_asc|_desc` (bare field = ascending); None when not honoured."""
    if not raw:
        return None
    text = raw.strip()
    descending = False
    if text.endswith("_desc"):
        text, descending = text[:-5], True
    elif text.endswith("_asc"):
        text = text[:-4]
    return (text, descending) if text in allowed else None


def project_sort(raw: str | None, allowed: Mapping[str, Getter]) -> tuple[str, bool] | None:
    """Parse project-style `sort=<field>` / `sort=-<field>`; None when not honoured."""
    if not raw:
        return None
    text = raw.strip()
    descending = text.startswith("-")
    text = text.lstrip("-")
    return (text, descending) if text in allowed else None


# Pagination ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """A resolved page request."""

    page: int
    per_page: int

    def slice(self, rows: Sequence[Any]) -> tuple[list[Any], dict[str, int]]:
        """The rows of this page and the pagination numbers (pages 0 when empty)."""
        total = len(rows)
        start = (self.page - 1) * self.per_page
        chunk = list(rows[start : start + self.per_page])
        pages = math.ceil(total / self.per_page) if total else 0
        return chunk, {"page": self.page, "pages": pages, "per_page": self.per_page, "total": total}


MAX_PER_PAGE = 100


def parse_page(query: QueryParams, default_per_page: int, *, project_style: bool = False) -> Page:
    """Read `page` / `per_page`: page 0 means 1, per_page is capped at 100, junk is an error."""
    page_raw = query.get("page", "")
    per_raw = query.get("per_page", "")
    page = _whole_number(page_raw)
    if page is not None and page < 0:
        raise _page_error(project_style, "page", 1014, "page must be a number", page_raw)
    per_page = _whole_number(per_raw)
    if per_page is not None and per_page < 1:
        raise _page_error(
            project_style, "per_page", 1013, "per_page must be a positive number", per_raw
        )
    return Page(
        1 if page is None else max(page, 1),
        default_per_page if per_page is None else min(per_page, MAX_PER_PAGE),
    )


def _whole_number(raw: str) -> int | None:
    # None when absent or empty; junk reads as -1 so that it fails the check a negative number does.
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return -1


def _page_error(project_style: bool, name: str, errno: int, text: str, raw: str) -> ApiError:
    if project_style:
        return validation([Problem(2001, text, name)])
    return ApiError(400, [Problem(errno, text, name, None, raw)], kind="validation")
