"""Query strings the way each FreshBooks family expects them.

Accounting lists take ``search[field]=v`` (equals), ``search[plural][]=a&search[plural][]=b``
(in), ``search[field_like]`` (substring), ``search[field_min]`` / ``search[field_max]`` (between),
``include[]=name`` and ``sort=field_asc|field_desc``. The project family (projects, time
entries, services) takes bare parameters, booleans as ``true``/``false``, includes as
``name=true`` and sort as ``field`` / ``-field``. Reports take bare ``start_date``/``end_date``:
sent as ``search[...]`` they are silently ignored and the report covers today only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

__all__ = ["Params", "accounting_params", "bare_params", "format_value"]

Params = list[tuple[str, str]]


def format_value(value: Any) -> str:
    """One query value as FreshBooks reads it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Enum):
        return format_value(value.value)
    return str(value)


def _is_many(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping)


def _params(
    filters: Mapping[str, Any] | None,
    name: Callable[[str], str],
    includes: Iterable[tuple[str, str]],
    sort: str | None,
    page: int | None,
    per_page: int | None,
) -> Params:
    """The query in the order every family sends it: filters (None left out, a list as
    repeated ``name[]``), includes, sort, page, per_page. ``name`` spells a filter's key."""
    params: Params = []
    for key, value in (filters or {}).items():
        if value is None:
            continue
        if _is_many(value):
            params.extend((f"{name(key)}[]", format_value(v)) for v in value)
        else:
            params.append((name(key), format_value(value)))
    params.extend(includes)
    if sort is not None:
        params.append(("sort", sort))
    if page is not None:
        params.append(("page", str(page)))
    if per_page is not None:
        params.append(("per_page", str(per_page)))
    return params


def accounting_params(
    *,
    search: Mapping[str, Any] | None = None,
    include: Iterable[str] = (),
    sort: str | None = None,
    direction: Literal["asc", "desc"] = "asc",
    page: int | None = None,
    per_page: int | None = None,
) -> Params:
    """Query parameters for an accounting list or get.

    ``search`` keys are FreshBooks' own: ``email`` (equals), ``clientids`` with a list (in),
    ``organization_like``, ``date_min`` / ``date_max``. None values are left out.
    """
    return _params(
        search,
        lambda key: f"search[{key}]",
        (("include[]", name) for name in include),
        f"{sort}_{direction}" if sort else None,
        page,
        per_page,
    )


def bare_params(
    filters: Mapping[str, Any] | None = None,
    *,
    include: Iterable[str] = (),
    sort: str | None = None,
    direction: Literal["asc", "desc"] = "asc",
    page: int | None = None,
    per_page: int | None = None,
) -> Params:
    """Query parameters for the project family and reports: plain ``name=value`` pairs."""
    return _params(
        filters,
        lambda key: key,
        ((name, "true") for name in include),
        (sort if direction == "asc" else f"-{sort}") if sort else None,
        page,
        per_page,
    )
