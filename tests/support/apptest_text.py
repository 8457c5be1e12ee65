"""Everything an ``AppTest`` run rendered, as one searchable text (tables included)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from streamlit.testing.v1 import AppTest


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def rendered_text(at: AppTest | Any) -> str:
    """The serialized messages of every element in the main area and the sidebar (of an
    ``AppTest``), or of one block of it (``at.sidebar``).

    Serialized protos, not element values: dataframes (Arrow bytes hold their strings as
    UTF-8), labels, options, captions and help texts all count, as they reach the browser.
    """
    parts: list[str] = []
    roots = (at.main, at.sidebar) if isinstance(at, AppTest) else (at,)
    for root in roots:
        for node in _nodes(root):
            proto = getattr(node, "proto", None)
            if proto is not None and hasattr(proto, "SerializeToString"):
                parts.append(proto.SerializeToString().decode("utf-8", "replace"))
    return "\n".join(parts)
