"""The base of every FreshBooks model: unknown keys kept, legacy id twins folded into ``id``.

Reading is fast: :meth:`FBModel.model_validate` and :func:`parse_records` first try a compiled
validator (:mod:`._fast`) and fall back to the model's own one, which decides every error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self, TypeVar, cast

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic.config import ExtraValues
from pydantic_core import to_jsonable_python

from .._json import loads
from ..errors import ResponseFormatError
from ._fast import FastValidators

__all__ = [
    "FBModel",
    "InputModel",
    "as_input",
    "none_as_empty_list",
    "parse_model",
    "parse_records",
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

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate a record: the compiled fast validator first, this model's own if it refuses.

        Results and errors are those of the model's own validator (see :mod:`._fast`).
        """
        plain = strict is None and extra is None and from_attributes is None
        if plain and context is None and by_alias is None and by_name is None:
            fast = _FAST.single(cls)
            if fast is not None:
                try:
                    return fast.validate_python(obj)  # type: ignore[no-any-return]  # pydantic-core's SchemaValidator returns Any
                except Exception:  # the model's own validator judges it below
                    pass
        return super().model_validate(
            obj,
            strict=strict,
            extra=extra,
            from_attributes=from_attributes,
            context=context,
            by_alias=by_alias,
            by_name=by_name,
        )


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


def parse_records(
    model: type[M], records: list[Any] | bytes | str, what: str | None = None
) -> list[M]:
    """Many records of ``model`` at once: a list of decoded records, or a JSON array as text.

    Gives what ``[parse_model(model, r, what) for r in records]`` gives (for text: on the
    records ``json.loads`` reads from it), the same :class:`ResponseFormatError` for the first
    bad record included, in one native call when every record is well formed. ``what`` names
    a record in errors (default: the model name).
    """
    what = what or model.__name__
    fast = _FAST.many(model)
    text = isinstance(records, bytes | bytearray | str)
    if fast is not None:
        try:
            # From text, no dicts are built on the way: about a fifth less work.
            if text:
                return fast.validate_json(cast("bytes | str", records))  # type: ignore[no-any-return]  # pydantic-core's SchemaValidator returns Any
            return fast.validate_python(records)  # type: ignore[no-any-return]  # pydantic-core's SchemaValidator returns Any
        except Exception:  # one by one below, where the first bad record raises
            pass
    if text:
        try:
            records = loads(cast("bytes | str", records))  # text, so bytes or str
        except ValueError as exc:
            raise ResponseFormatError(f"FreshBooks {what} records are not JSON") from exc
    if not isinstance(records, list):
        raise ResponseFormatError(f"FreshBooks {what} records are not a list")
    return [parse_model(model, record, what) for record in records]


def to_payload(data: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body fields of a write: only the fields the caller set, money as strings."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", exclude_unset=True, by_alias=True)
    # Dates, Decimals and nested models become JSON text the same way pydantic dumps them.
    return cast("dict[str, Any]", to_jsonable_python(dict(data)))  # a dict stays a dict


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


# Built after FBModel: its legacy-id fold is one of the steps the fast validators leave out.
_FAST = FastValidators(id_folds=[FBModel._fold_legacy_id], null_lists=[none_as_empty_list])  # type: ignore[list-item]  # pydantic types a validator as its descriptor proxy; on the class it is the bound classmethod
