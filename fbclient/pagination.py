"""Fetching every page of a list: page 1 first, then the rest concurrently, kept in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from .errors import ResponseFormatError

__all__ = ["MAX_PER_PAGE", "ListResult", "Page", "fetch_all", "page_meta", "page_of"]

T = TypeVar("T")

# FreshBooks documents per_page as silently capped at 100.
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list answer."""

    items: list[T]
    page: int
    pages: int
    per_page: int
    total: int


@dataclass(frozen=True)
class ListResult(Sequence[T]):
    """Every record of a list, in FreshBooks' order, with the total it announced.

    ``truncated`` is True when the page ceiling stopped the fetch before the last page.
    """

    items: list[T] = field(default_factory=list)
    total: int = 0
    pages: int = 0
    truncated: bool = False

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


def _int(meta: dict[str, Any], key: str, default: int | None = None) -> int:
    value = meta.get(key, default)
    try:
        return int(value)  # type: ignore[arg-type]  # None or junk raises TypeError, caught below
    except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(float("inf"))
        raise ResponseFormatError(f"list answer has no usable {key!r}") from exc


def page_meta(meta: dict[str, Any], items_on_page: int) -> tuple[int, int, int, int]:
    """(page, pages, per_page, total) from any family's metadata.

    Team members' ``meta`` has no ``pages``: it is derived from total and per_page.
    """
    total = _int(meta, "total", items_on_page)
    per_page = max(1, _int(meta, "per_page", max(items_on_page, 1)))
    page = _int(meta, "page", 1)
    pages = _int(meta, "pages") if "pages" in meta else -(-total // per_page)  # exact for any int
    return page, pages, per_page, total


def page_of(rows: list[Any], meta: dict[str, Any], read: Callable[[Any], T]) -> Page[T]:
    """One page: ``rows`` each read by ``read``, paged by ``meta`` (checked first)."""
    page, pages, per_page, total = page_meta(meta, len(rows))
    items = [read(row) for row in rows]
    return Page(items=items, page=page, pages=pages, per_page=per_page, total=total)


def fetch_all(
    fetch_page: Callable[[int], Page[T]],
    *,
    concurrency: int = 8,
    max_pages: int = 1000,
) -> ListResult[T]:
    """All pages of a list, at most ``max_pages``, with at most ``concurrency`` in flight."""
    first = fetch_page(1)
    last = min(first.pages, max_pages)
    items = list(first.items)
    if last > 1:
        workers = max(1, min(concurrency, last - 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fb-page") as pool:
            # map() yields in submission order, so records keep FreshBooks' order.
            for page in pool.map(fetch_page, range(2, last + 1)):
                items.extend(page.items)
    return ListResult(
        items=items, total=first.total, pages=first.pages, truncated=first.pages > max_pages
    )
