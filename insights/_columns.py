"""Building frame columns fast from records, with the dtypes a frame schema names.

The frame builders of :mod:`insights.frames` read each record once, into one list per
column; these helpers then turn the lists into typed columns. Values that follow from a
key with few distinct values (a project's title, a client's currency) are worked out once
per key and spread over the rows by :class:`Codes`, instead of once per row.

Every helper gives exactly what ``pd.Series(values, dtype=object).astype(dtype)`` gives.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray
from pandas.api.types import pandas_dtype

__all__ = [
    "MONEY",
    "Codes",
    "columns_frame",
    "exact_key",
    "factorize",
    "first_of_each",
    "ints",
    "pandas_dtype_of",
]

MONEY = object  # Decimal objects, kept as they are

# The frames' text columns live in Arrow memory. Arrow's bundled allocator keeps what a page
# run frees for its own reuse, so a process that drew every dashboard once stays at its
# high-water mark; the system's allocator gives most of it back (about 25 MB on a large
# business). An ARROW_DEFAULT_MEMORY_POOL the operator chose is left as it is.
if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    pa.set_memory_pool(pa.system_memory_pool())

Column: TypeAlias = Sequence[Any] | np.ndarray | pd.Series | ExtensionArray


@functools.lru_cache(maxsize=32)
def pandas_dtype_of(spec: Any) -> Any:
    """The pandas dtype a schema names ("str", "Int64"...), resolved once: pandas looks a
    name up in its registry on every cast."""
    return pandas_dtype(spec)


_dtype = pandas_dtype_of


def ints(values: Sequence[Any] | np.ndarray) -> ExtensionArray:
    """Ids (ints, None when missing) as a nullable ``Int64`` array, without the per-value
    checks of ``astype("Int64")`` (the ids come from typed models)."""
    try:
        whole = np.array(values, dtype="int64")  # no id missing: the quickest way
    except (TypeError, ValueError):  # None (or NaN) among them
        data = np.array(values, dtype=object)
        missing = pd.isna(data)
        data[missing] = 0
        return pd.arrays.IntegerArray(data.astype("int64"), missing)
    return pd.arrays.IntegerArray(whole, np.zeros(len(whole), dtype=bool))


def _text(values: Sequence[Any] | np.ndarray) -> pa.Array | None:
    """Texts (None or NaN when missing) as an Arrow array, what pandas' ``str`` dtype holds;
    None when a value is not text (``astype("str")`` then converts it)."""
    if _dtype("str").storage != "pyarrow":
        return None
    try:
        return pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _column(values: Column, dtype: Any) -> pd.Series:
    if isinstance(values, pd.Series | ExtensionArray) or (
        isinstance(values, np.ndarray) and values.dtype != object
    ):
        return pd.Series(values).astype(_dtype(dtype))  # typed already, or a unit to cast
    if dtype == "Int64":
        return pd.Series(ints(values))
    if dtype == "str":
        text = _text(values)
        if text is not None:
            return pd.Series(text, dtype=_dtype("str"))
    column = pd.Series(values, dtype=object)
    return column if dtype is MONEY else column.astype(_dtype(dtype))


def columns_frame(columns: Mapping[str, Column], schema: Mapping[str, Any]) -> pd.DataFrame:
    """A frame of ``schema``'s columns, in its order, from one sequence or array per column."""
    data = {name: _column(columns[name], dtype) for name, dtype in schema.items()}
    return pd.DataFrame(data, columns=list(schema), copy=False)  # the columns are new: no copy


@dataclass(frozen=True)
class Codes:
    """Each row's number among ``count`` distinct keys (-1: the row has no key)."""

    codes: np.ndarray
    count: int

    def _table_index(self) -> np.ndarray:
        return np.where(self.codes < 0, self.count, self.codes)  # -1 reads the last slot

    def spread(self, per_key: Sequence[Any], missing: Any = None) -> np.ndarray:
        """``per_key[n]`` for each row of key ``n``, ``missing`` for rows without a key."""
        table = np.empty(self.count + 1, dtype=object)
        for n, value in enumerate(per_key):  # one by one: NumPy must not unpack a value
            table[n] = value
        table[-1] = missing
        return table[self._table_index()]  # type: ignore[no-any-return]  # numpy types indexing by an array as Any

    def text(self, per_key: Sequence[str | None], missing: str | None = None) -> pd.Series:
        """:meth:`spread` as a ``str`` column, built by Arrow from the few distinct texts."""
        table = _text([*per_key, missing])
        if table is None:  # not all text: the general way
            return pd.Series(self.spread(per_key, missing), dtype=object).astype(_dtype("str"))
        return pd.Series(table.take(self._table_index()), dtype=_dtype("str"))

    def ints(self, per_key: Sequence[int]) -> ExtensionArray:
        """The ``Int64`` id of each row's key, missing for rows without a key."""
        data = np.array([*per_key, 0], dtype="int64")[self._table_index()]
        return pd.arrays.IntegerArray(data, self.codes < 0)


def factorize(values: Sequence[Any]) -> tuple[Codes, list[Any]]:
    """The :class:`Codes` of ``values`` (ids: ints, None for no key) and the distinct values,
    in the order met."""
    codes, distinct = pd.factorize(np.array(values, dtype=object))
    return Codes(codes, len(distinct)), distinct.tolist()


def first_of_each(keys: np.ndarray) -> tuple[np.ndarray, Codes]:
    """For integer ``keys`` (one per row): the first row holding each distinct key, and the
    rows' :class:`Codes`."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first, Codes(inverse.reshape(-1), len(first))


def exact_key(value: Any) -> Any:
    """A dict key telling apart Decimals that compare equal (100 and 100.00, -0 and 0), so
    a value computed from one of them is not reused for the other."""
    return value.as_tuple() if isinstance(value, Decimal) else value
