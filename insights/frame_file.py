"""A business's :class:`~insights.frames.Frames` as one columnar file, and back, unchanged.

A process that starts reads its dashboards' frames from this file instead of building them
from the stored records. The file is an Arrow IPC file of one row: a column per frame, each
a list of structs (one struct per row of the frame, a field per column), so frames of any
length sit side by side without copies or padding; the frames' other fields are in the
schema's metadata. Reading gives frames equal to those written, dtype for
dtype and value for value: money columns hold ``Decimal`` objects, stored as their exact
text (``100`` and ``100.00`` stay apart) in a dictionary of the distinct values, so each
distinct amount becomes a ``Decimal`` once. Text columns are stored as dictionaries too.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._columns import MONEY, pandas_dtype_of
from .frames import (
    CLIENT_COLUMNS,
    EXPENSE_COLUMNS,
    INVOICE_COLUMNS,
    PAYMENT_COLUMNS,
    PROJECT_COLUMNS,
    TIME_COLUMNS,
    Frames,
)

__all__ = ["FORMAT", "FrameFileError", "read_frames", "write_frames"]

# Bumped whenever the frames' columns or this layout change: older files are not read.
FORMAT = "frames-3"

SCHEMAS: dict[str, dict[str, Any]] = {
    "invoices": INVOICE_COLUMNS,
    "payments": PAYMENT_COLUMNS,
    "expenses": EXPENSE_COLUMNS,
    "time": TIME_COLUMNS,
    "clients": CLIENT_COLUMNS,
    "projects": PROJECT_COLUMNS,
}


class FrameFileError(ValueError):
    """The frames cannot be written as a file, or the file is not one this code wrote."""


def _money_array(column: pd.Series) -> pa.Array:
    values = column.to_numpy(dtype=object)
    texts: list[str | None] = []
    for value in values:
        if value is None:
            texts.append(None)
        elif isinstance(value, Decimal):
            texts.append(str(value))  # exact digits and exponent: Decimal(str(d)) is d
        else:
            raise FrameFileError(f"a money column holds {type(value).__name__}")
    return pa.array(texts, type=pa.string()).dictionary_encode()


def _to_arrow(column: pd.Series, dtype: Any) -> pa.Array:
    if dtype is MONEY:
        return _money_array(column)
    if dtype == "str":
        found = pa.array(column.array, type=pa.large_string(), from_pandas=True)
    else:
        found = pa.array(column, from_pandas=True)
    # A column put together from several (frames that followed a revisit) comes in chunks.
    found = found.combine_chunks() if isinstance(found, pa.ChunkedArray) else found
    # Text repeats (clients, currencies, statuses): a dictionary of its distinct values keeps
    # the file, and the memory of reading it, a fraction of the frames' own size.
    return found.dictionary_encode() if dtype == "str" else found


def _money_column(array: pa.Array) -> np.ndarray:
    encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
    distinct = [None if t is None else Decimal(t) for t in encoded.dictionary.to_pylist()]
    table = np.empty(len(distinct) + 1, dtype=object)
    for n, value in enumerate(distinct):  # one by one: NumPy must not unpack a Decimal
        table[n] = value
    table[-1] = None
    indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    return table[indices]  # type: ignore[no-any-return]  # numpy types indexing by an array as Any


def _from_arrow(array: pa.Array, dtype: Any) -> Any:
    if dtype is MONEY:
        return _money_column(array)
    if dtype == "Int64":
        mask = array.is_null().to_numpy(zero_copy_only=False)
        data = array.fill_null(0).to_numpy(zero_copy_only=False).astype("int64")
        return pd.arrays.IntegerArray(data, mask)
    if dtype == "str":
        return pd.Series(array.cast(pa.large_string()), dtype=pandas_dtype_of("str"))
    return pd.Series(array.to_numpy(zero_copy_only=False)).astype(pandas_dtype_of(dtype))


def _check(name: str, frame: pd.DataFrame, schema: dict[str, Any]) -> None:
    if list(frame.columns) != list(schema) or not isinstance(frame.index, pd.RangeIndex):
        raise FrameFileError(f"the {name} frame does not have its usual columns")


def write_frames(path: Path, frames: Frames) -> None:
    """Write ``frames`` to ``path`` (atomically: a reader sees the old file or the new)."""
    columns: list[pa.Array] = []
    lengths: dict[str, int] = {}
    for name, schema in SCHEMAS.items():
        frame: pd.DataFrame = getattr(frames, name)
        _check(name, frame, schema)
        lengths[name] = len(frame)
        rows = pa.StructArray.from_arrays(
            [_to_arrow(frame[column], dtype) for column, dtype in schema.items()],
            names=list(schema),
        )
        # One list holding every row: the frame's arrays are used as they are, not copied.
        columns.append(pa.ListArray.from_arrays(pa.array([0, len(frame)], pa.int32()), rows))
    meta = {
        "format": FORMAT,
        "lengths": lengths,
        "today": frames.today.isoformat(),
        "timezone": frames.timezone,
        "home_currency": frames.home_currency,
        "fetched_at": frames.fetched_at.isoformat() if frames.fetched_at else None,
        "business_name": frames.business_name,
    }
    table = pa.Table.from_arrays(columns, names=list(SCHEMAS))
    table = table.replace_schema_metadata({"copilot": json.dumps(meta)})
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".frames-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out, pa.ipc.new_file(out, table.schema) as writer:
            writer.write_table(table)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_frames(path: Path) -> Frames:
    """The frames written to ``path``; :class:`FrameFileError` when it is not such a file."""
    try:
        # Read, not memory-mapped: the text columns keep their buffers, and a mapping would
        # keep every page of the file resident for as long as one column is held.
        with pa.OSFile(str(path), "rb") as source:
            table = pa.ipc.open_file(source).read_all()
    except (OSError, pa.ArrowInvalid) as exc:
        raise FrameFileError(f"not a frames file: {exc}") from exc
    raw = (table.schema.metadata or {}).get(b"copilot")
    try:
        meta = json.loads(raw) if raw else {}
    except ValueError:
        meta = {}
    if meta.get("format") != FORMAT:
        raise FrameFileError("a frames file of another format")
    built: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        rows = table.column(name).combine_chunks().values
        if len(rows) != int(meta["lengths"][name]):
            raise FrameFileError(f"the {name} frame does not have its length")
        data = {column: _from_arrow(rows.field(column), dtype) for column, dtype in schema.items()}
        built[name] = pd.DataFrame(data, columns=list(schema), copy=False)
    fetched = meta.get("fetched_at")
    return Frames(
        **built,
        today=date.fromisoformat(meta["today"]),
        timezone=meta["timezone"],
        home_currency=meta["home_currency"],
        fetched_at=datetime.fromisoformat(fetched) if fetched else None,
        business_name=meta["business_name"],
    )
