"""Lists fetched as the JSON records FreshBooks sent, without building models.

The local mirror stores records as they came and parses them when it reads them back, so a
full load pays for the network and the JSON decoding only. Paging is the same as for models
(:func:`~fbclient.pagination.fetch_all`: page 1, then the rest concurrently, in order).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .envelopes import response_result
from .errors import ResponseFormatError
from .http import HTTPClient, QueryParams
from .pagination import MAX_PER_PAGE, ListResult, Page, fetch_all, page_meta
from .query import accounting_params, bare_params

__all__ = ["RawList", "Record", "fetch_raw"]

Record = dict[str, Any]
# Where a family's answers keep the rows and the paging metadata.
Family = Literal["accounting", "bare", "response"]


@dataclass(frozen=True)
class RawList:
    """One list endpoint: its path, its family's envelope, the key of its rows."""

    path: str
    family: Family
    key: str  # "invoices" (in response.result), "time_entries", "service_rates"...

    def params(
        self, page: int, filters: Mapping[str, Any] | None, include: tuple[str, ...]
    ) -> QueryParams:
        """The query of one page with ``filters`` (``search[...]`` or bare, by family)."""
        if self.family == "accounting":
            return accounting_params(
                search=filters, include=include, page=page, per_page=MAX_PER_PAGE
            )
        return bare_params(filters, include=include, page=page, per_page=MAX_PER_PAGE)

    def page(self, body: Any) -> Page[Record]:
        """The rows and paging of one answer, checked."""
        container: Any
        if self.family == "accounting":
            container = response_result(body, self.key)
            rows, meta = (
                (container.get(self.key) if isinstance(container, dict) else None),
                container,
            )
        elif self.family == "response":
            rows = body.get("response") if isinstance(body, dict) else None
            meta = body.get("meta") if isinstance(body, dict) else None
        else:
            rows = body.get(self.key) if isinstance(body, dict) else None
            meta = body.get("meta") if isinstance(body, dict) else None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ResponseFormatError(f"FreshBooks answered without a list of {self.key}")
        page, pages, per_page, total = page_meta(meta if isinstance(meta, dict) else {}, len(rows))
        return Page(items=rows, page=page, pages=pages, per_page=per_page, total=total)


def fetch_raw(
    http: HTTPClient,
    spec: RawList,
    filters: Mapping[str, Any] | None = None,
    *,
    include: tuple[str, ...] = (),
    concurrency: int = 8,
    max_pages: int = 1000,
    on_page: Callable[[Page[Record]], None] | None = None,
    convert: Callable[[list[Record]], list[Any]] | None = None,
) -> ListResult[Any]:
    """Every record of ``spec`` matching ``filters``; ``on_page`` hears of each page fetched.

    ``convert`` turns each page's records into what is kept (e.g. compact JSON bytes) as soon
    as the page arrives, so a long list never holds all its records as dicts at once; one
    that stores the page elsewhere and returns ``[]`` keeps nothing. It runs on the thread
    that fetched the page: pages arrive side by side and in any order.
    """

    def fetch(page: int) -> Page[Any]:
        answer = spec.page(
            http.request("GET", spec.path, params=spec.params(page, filters, include))
        )
        if on_page is not None:
            on_page(answer)
        if convert is None:
            return answer
        return Page(
            items=convert(answer.items),
            page=answer.page,
            pages=answer.pages,
            per_page=answer.per_page,
            total=answer.total,
        )

    return fetch_all(fetch, concurrency=concurrency, max_pages=max_pages)
