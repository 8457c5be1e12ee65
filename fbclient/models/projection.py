"""Light, read-only rows of a model: a few of its fields, read column by column.

The dashboards read a handful of fields of tens of thousands of records. A full model per
record costs most of the time and memory of a cold start, so for bulk reads a
:class:`Projection` keeps only the fields named, validated with the model's own field types
(one native list validation per column, the same rules as the model), and gives each
record as a small slotted object that also carries the model's own business rules (the
properties and methods named in ``rules``, the very functions of the model class).

Whatever the model would read from a record's named fields, a row holds the same values. A
record whose named fields the model would refuse is left out and counted. Fields not named
are not looked at (a record the model would refuse only for one of those is still read).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticUndefined

from ..types import Money
from ._fast import shared_money

__all__ = ["Projection"]


class Projection:
    """The rows of ``model`` that hold only ``fields`` (plus the model's ``rules``).

    ``nested`` projects a list field into rows of its own item model (for example an
    invoice's lines, with the line fields named there).
    """

    def __init__(
        self,
        model: type[BaseModel],
        fields: Sequence[str],
        *,
        rules: Sequence[str] = (),
        nested: Mapping[str, Projection] | None = None,
    ) -> None:
        self.model = model
        self.fields = tuple(fields)
        self.nested = dict(nested or {})
        unknown = [f for f in (*self.fields, *self.nested) if f not in model.model_fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
        checked = self._field_validated()
        if checked:
            # A field validator of the model would not run here: refuse rather than differ.
            raise ValueError(f"{model.__name__} validates {', '.join(checked)} itself")
        names = (*self.fields, *self.nested)
        namespace: dict[str, Any] = {"__slots__": names, "__repr__": _row_repr}
        for rule in rules:
            namespace[rule] = model.__dict__[rule]  # the model's own property or method
        self.row_type: type = type(f"{model.__name__}Row", (), namespace)
        self._legacy: str | None = getattr(model, "legacy_id", None)
        self._adapters: dict[str, TypeAdapter[list[Any]]] = {}
        self._lock = threading.Lock()

    def _field_validated(self) -> list[str]:
        decorators = self.model.__pydantic_decorators__.field_validators.values()
        wanted = {*self.fields, *self.nested}
        return sorted({f for d in decorators for f in d.info.fields if f in wanted})

    def _adapter(self, name: str) -> TypeAdapter[list[Any]]:
        with self._lock:
            adapter = self._adapters.get(name)
            if adapter is None:
                field = self.model.model_fields[name]
                annotation = field.rebuild_annotation()
                adapter = TypeAdapter(list[annotation])  # type: ignore[valid-type]  # a runtime type: the field's own
                self._adapters[name] = adapter
            return adapter

    def _default(self, name: str) -> Any:
        field = self.model.model_fields[name]
        if field.default_factory is not None:
            return field.default_factory()  # type: ignore[call-arg]  # no validated data is passed to a factory here
        return None if field.default is PydanticUndefined else field.default

    def _values(self, records: Sequence[Mapping[str, Any]], name: str) -> list[Any]:
        marker = _MISSING
        values = [r.get(name, marker) for r in records]
        if name == "id" and self._legacy:
            legacy = self._legacy
            values = [
                r.get(legacy, marker)
                if v in (None, "", marker) and r.get(legacy) not in (None, "")
                else v
                for v, r in zip(values, records, strict=True)
            ]
        if any(v is marker for v in values):
            field = self.model.model_fields[name]
            required = field.is_required()
            for i, v in enumerate(values):
                if v is marker:
                    # A required field that is missing fails below, as in the model.
                    values[i] = marker if required else self._default(name)
        return values

    def read(self, records: Sequence[Any]) -> tuple[list[Any], int]:
        """Rows for ``records`` (decoded JSON objects) in their order, and how many were
        left out because the model would refuse their named fields (or they are not
        objects)."""
        placed, refused = self.read_keeping_places(records)
        return [row for row in placed if row is not None], refused

    def read_keeping_places(self, records: Sequence[Any]) -> tuple[list[Any], int]:
        """Like :meth:`read`, with None in place of each refused record."""
        bad: set[int] = {i for i, r in enumerate(records) if not isinstance(r, Mapping)}
        objects = [r if isinstance(r, Mapping) else {} for r in records]
        columns = {
            name: self._column(name, self._values(objects, name), bad) for name in self.fields
        }
        for name, inner in self.nested.items():
            columns[name] = self._nested(name, inner, objects, bad)
        names = (*self.fields, *self.nested)
        row_type = self.row_type
        out: list[Any] = []
        for i in range(len(objects)):
            if i in bad:
                out.append(None)
                continue
            row = row_type()
            for name in names:
                setattr(row, name, columns[name][i])
            out.append(row)
        return out, len(bad)

    def _column(self, name: str, values: list[Any], bad: set[int]) -> list[Any]:
        quick = _QUICK.get(self.model.model_fields[name].annotation)
        if quick is not None:
            try:
                return [quick(value) for value in values]
            except _NotQuick:
                pass  # something unusual in the column: the field's own validator decides
        adapter = self._adapter(name)
        try:
            return adapter.validate_python(values)
        except ValidationError as exc:
            for error in exc.errors():
                where = error.get("loc", ())
                if where and isinstance(where[0], int):
                    bad.add(where[0])
        # Validate again with the refused values out of the way (kept in place as None).
        out: list[Any] = [None] * len(values)
        keep = [i for i in range(len(values)) if i not in bad]
        for i, value in zip(keep, adapter.validate_python([values[i] for i in keep]), strict=True):
            out[i] = value
        return out

    def _nested(
        self, name: str, inner: Projection, records: Sequence[Mapping[str, Any]], bad: set[int]
    ) -> list[Any]:
        # The list field's own before-validators (null as empty...) run on the list first:
        # validate the lists as the model would, with their items left as they are.
        lists = self._values(records, name)
        flat: list[Any] = []
        owners: list[int] = []
        for i, value in enumerate(lists):
            items = [] if value is None else value  # the list field's own rule: null is none
            if not isinstance(items, list):
                bad.add(i)
                continue
            flat.extend(items)
            owners.extend([i] * len(items))
        rows, _refused = inner.read_keeping_places(flat)
        out: list[list[Any]] = [[] for _ in records]
        for owner, row in zip(owners, rows, strict=True):
            if row is None:
                bad.add(owner)  # one bad item: the model refuses the whole record
            else:
                out[owner].append(row)
        return out


class _NotQuick(Exception):
    """A value the quick reading does not take: the field's validator reads the column."""


def _quick_money(value: Any) -> Money | None:
    # FreshBooks' usual shape, {"amount": "12.30", "code": "USD"}: the fast validators' own
    # shared Money for that pair (what a model parsed in bulk holds).
    if value is None:
        return None
    if type(value) is dict and len(value) == 2:
        amount, code = value.get("amount"), value.get("code")
        if type(amount) is str and type(code) is str:
            money = shared_money(amount, code)
            if money is not None:
                return money
    raise _NotQuick


_QUICK: dict[Any, Callable[[Any], Any]] = {Money | None: _quick_money}


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _row_repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name, None)!r}" for name in self.__slots__)
    return f"{type(self).__name__}({shown})"
