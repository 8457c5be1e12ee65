"""Lists fetched as the JSON records FreshBooks sent, without building models.

The local mirror stores records as they came and parses them when it reads them back, so a
full load pays for the network and the JSON decoding only. Paging is the same as for models
(:func:`~fbclient.pagination.fetch_all`: page 1, then the rest concurrently, in order).

A list can also come back as each record's JSON text (:class:`RawRecord`) with only the few
fields a caller reads from it: the answer is split with msgspec (``Raw`` slices of the text)
and no record becomes Python objects. An answer of any other shape than the usual one (an
error envelope, a row that is not an object, a text msgspec does not read) is decoded whole
as before, so its checks and errors are the same; its records are then written compactly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import msgspec

from ._json import compact
from .envelopes import response_result
from .errors import ResponseFormatError
from .http import HTTPClient, QueryParams
from .pagination import MAX_PER_PAGE, ListResult, Page, fetch_all, page_meta
from .query import accounting_params, bare_params

__all__ = ["RawList", "RawRecord", "Record", "fetch_raw"]

Record = dict[str, Any]
# Where a family's answers keep the rows and the paging metadata.
Family = Literal["accounting", "bare", "response"]


_META = ("page", "pages", "per_page", "total")


class RawRecord(NamedTuple):
    """One record as its JSON text, with the fields that were asked for (those it has)."""

    fields: Record
    text: bytes


@functools.cache
def _page_decoder(family: Family, key: str) -> msgspec.json.Decoder[Any]:
    """Reads a list answer of ``family`` into its rows' texts and its paging fields."""
    unset = msgspec.UNSET
    meta = [(name, Any, unset) for name in _META]
    rows = ("rows", list[msgspec.Raw])
    if family == "accounting":
        result = msgspec.defstruct("Result", [rows, *meta], rename={"rows": key})
        answer = msgspec.defstruct("Answer", [("result", result)])
        envelope = msgspec.defstruct("Envelope", [("response", answer)])
    elif family == "response":
        envelope = msgspec.defstruct(
            "Envelope",
            [("rows", list[msgspec.Raw]), ("meta", Any, unset)],
            rename={"rows": "response"},
        )
    else:  # a "response" beside the rows may hold errors: such an answer is read whole
        envelope = msgspec.defstruct(
            "Envelope", [rows, ("meta", Any, unset), ("response", Any, unset)], rename={"rows": key}
        )
    return msgspec.json.Decoder(envelope)


@functools.cache
def _fields_decoder(fields: tuple[str, ...]) -> msgspec.json.Decoder[Any]:
    """Reads ``fields`` of one record's text (a record not an object is refused)."""
    names = {f"f{n}": name for n, name in enumerate(fields)}
    found = msgspec.defstruct(
        "Fields", [(f, Any, msgspec.UNSET) for f in names], rename=names, gc=False
    )
    return msgspec.json.Decoder(found)


def _present(fields: tuple[str, ...], found: msgspec.Struct) -> Record:
    """The ``fields`` a record has, by name (those it lacks left out, as a dict of the whole
    record would lack them)."""
    values = msgspec.structs.astuple(found)
    return {k: v for k, v in zip(fields, values, strict=True) if v is not msgspec.UNSET}


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

    def split(self, content: bytes, fields: tuple[str, ...]) -> Page[RawRecord] | None:
        """The rows of one answer as their texts with ``fields`` read, and its paging; None
        when the answer is not of the usual shape (it is then decoded whole)."""
        try:
            envelope = _page_decoder(self.family, self.key).decode(content)
            if self.family == "accounting":
                container = envelope.response.result
                meta = {n: v for n in _META if (v := getattr(container, n)) is not msgspec.UNSET}
            elif self.family == "bare" and envelope.response is not msgspec.UNSET:
                return None
            else:
                container, meta = envelope, envelope.meta
                meta = meta if isinstance(meta, dict) else {}
            read = _fields_decoder(fields).decode
            items = [RawRecord(_present(fields, read(row)), bytes(row)) for row in container.rows]
        except msgspec.MsgspecError:
            return None
        page, pages, per_page, total = page_meta(meta, len(items))
        return Page(items=items, page=page, pages=pages, per_page=per_page, total=total)


def fetch_raw(
    http: HTTPClient,
    spec: RawList,
    filters: Mapping[str, Any] | None = None,
    *,
    include: tuple[str, ...] = (),
    concurrency: int = 8,
    max_pages: int = 1000,
    on_page: Callable[[Page[Any]], None] | None = None,
    convert: Callable[[list[Any]], list[Any]] | None = None,
    texts: tuple[str, ...] | None = None,
) -> ListResult[Any]:
    """Every record of ``spec`` matching ``filters``; ``on_page`` hears of each page fetched.

    With ``texts``, each record comes as a :class:`RawRecord`: its JSON text and those of
    its fields (record ids, a deletion flag) the caller reads.

    ``convert`` turns each page's records into what is kept (e.g. compact JSON bytes) as soon
    as the page arrives, so a long list never holds all its records as dicts at once; one
    that stores the page elsewhere and returns ``[]`` keeps nothing. It runs on the thread
    that fetched the page: pages arrive side by side and in any order.
    """

    def split(content: bytes) -> Page[RawRecord] | None:
        assert texts is not None
        return spec.split(content, texts)

    def fetch(page: int) -> Page[Any]:
        params = spec.params(page, filters, include)
        if texts is None:
            answer: Page[Any] = spec.page(http.request("GET", spec.path, params=params))
        else:
            body = http.request("GET", spec.path, params=params, decode=split)
            answer = body if isinstance(body, Page) else _as_texts(spec.page(body), texts)
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


def _as_texts(page: Page[Record], fields: tuple[str, ...]) -> Page[RawRecord]:
    """A page decoded whole, as :meth:`RawList.split` gives it: each record written compactly."""
    items = [
        RawRecord({k: record[k] for k in fields if k in record}, compact(record))
        for record in page.items
    ]
    return Page(
        items=items, page=page.page, pages=page.pages, per_page=page.per_page, total=page.total
    )
