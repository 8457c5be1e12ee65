"""The base of every FreshBooks model: unknown keys kept, legacy id twins folded into ``id``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import to_jsonable_python

from ..errors import ResponseFormatError

__all__ = [
    "FBModel",
    "InputModel",
    "as_input",
    "none_as_empty_list",
    "parse_model",
    "to_payload",
]

M = TypeVar("M", bound=BaseModel)


class FBModel(BaseModel):
    """A record as FreshBooks returns it.

    Fields the app relies on are typed; any other key FreshBooks sends is kept as-is
    (``extra="allow"``) so nothing is lost. ``legacy_id`` names the twin of ``id``
    (``invoiceid``, ``userid``...) that some answers carry instead of, or beside, ``id``.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    legacy_id: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _fold_legacy_id(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and cls.legacy_id and data.get("id") in (None, ""):
            legacy = data.get(cls.legacy_id)
            if legacy not in (None, ""):
                data = {**data, "id": legacy}
        return data


class InputModel(BaseModel):
    """Fields sent on create or update. Unknown keys are refused so typos fail loudly."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def parse_model(model: type[M], data: Any, what: str) -> M:
    """Validate one record from FreshBooks, turning a shape surprise into a typed error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ResponseFormatError(
            f"FreshBooks sent a {what} the app could not read ({where}: {first.get('msg')})"
        ) from exc


def to_payload(data: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body fields of a write: only the fields the caller set, money as strings."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", exclude_unset=True, by_alias=True)
    # Dates, Decimals and nested models become JSON text the same way pydantic dumps them.
    return to_jsonable_python(dict(data))


def as_input(model: type[M], data: BaseModel | Mapping[str, Any]) -> M:
    """``data`` validated as ``model``, so a typo in a plain dict fails before any request."""
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_unset=True)
    return model.model_validate(dict(data))


def none_as_empty_list(value: Any) -> Any:
    """A missing sub-list (``null``) read as an empty one."""
    return [] if value is None else value
