"""Figures computed from a business's frames (the Overview's, a forecast, a backtest) as a
file, and back, unchanged.

A process that starts (an app restart, an MCP server a desktop assistant starts per session)
reads them instead of computing them again: they are kept beside the frames file, for the
same owner, business, revision and day.

The figures are dataclasses of frames (Decimal money in object columns, nullable ids, Arrow
text) and plain values; pickle writes them exactly, dtype for dtype. A pickle can name any
callable to run when read, so the reader builds only the types these figures are made of
(:data:`BUILDS`): a file naming anything else is refused, never run. The files sit in the
owner's own folder (mode 0700) and are written by this app only; the allow-list keeps a file
put there by someone else from becoming code.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["BUILDS", "FiguresFileError", "read_figures", "write_figures"]

V = TypeVar("V")

# What the figures are made of, as pickle names it: our result types, and the constructors
# of pandas' frames and arrays, NumPy arrays, Arrow buffers, Decimal and date.
BUILDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("builtins", "slice"),
        ("copilot.overview", "OverviewFigures"),
        ("datetime", "date"),
        ("decimal", "Decimal"),
        ("insights.forecast", "Backtest"),
        ("insights.forecast", "Forecast"),
        ("insights.kpis", "CurrencyOverview"),
        ("insights.kpis", "Headline"),
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.numeric", "_frombuffer"),
        ("pandas", "DataFrame"),
        ("pandas", "Index"),
        ("pandas", "Int64Dtype"),
        ("pandas", "RangeIndex"),
        ("pandas", "StringDtype"),
        ("pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"),
        ("pandas._libs.internals", "_unpickle_block"),
        ("pandas.arrays", "ArrowStringArray"),
        ("pandas.arrays", "DatetimeArray"),
        ("pandas.arrays", "IntegerArray"),
        ("pandas.core.indexes.base", "_new_Index"),
        ("pandas.core.internals.managers", "BlockManager"),
        ("pyarrow.lib", "_restore_array"),
        ("pyarrow.lib", "py_buffer"),
        ("pyarrow.lib", "type_for_alias"),
    }
)


class FiguresFileError(ValueError):
    """The file is not figures this app wrote (unreadable, or naming what it must not)."""


class _Reader(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in BUILDS:
            raise FiguresFileError(f"a figures file names {module}.{name}")
        return super().find_class(module, name)


def write_figures(path: Path, figures: object) -> None:
    """Write ``figures`` to ``path`` (atomically: a reader sees the old file or the new)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".figures-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(figures, out, protocol=pickle.HIGHEST_PROTOCOL)  # no copy in memory
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_figures(path: Path, kind: type[V]) -> V:
    """The figures written to ``path``, which must be a ``kind``; :class:`FiguresFileError`
    when the file cannot be read, names a type outside :data:`BUILDS`, or holds another kind."""
    try:
        found = _Reader(io.BytesIO(path.read_bytes())).load()
    except FiguresFileError:
        raise
    except Exception as exc:  # a damaged file fails in many ways; each means "compute again"
        raise FiguresFileError(f"not a figures file: {exc}") from exc
    if not isinstance(found, kind):
        raise FiguresFileError(f"a figures file holds {type(found).__name__}, not {kind.__name__}")
    return found
