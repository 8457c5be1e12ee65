"""What every resource shares: where it lives, how its lists page, how its envelopes read.

Two families: accounting resources under
``/accounting/account/{account_id}/<group>/<plural>`` with ``response.result`` envelopes and
``search[...]`` filters, and the project family (projects, time entries, services) under
``/<service>/business/{business_id}/...`` with bare envelopes, ``meta`` pagination and bare
parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel

from ..envelopes import result_of
from ..errors import FreshBooksError, ResponseFormatError
from ..events import RecordWritten, written_record
from ..http import HTTPClient
from ..listing import Listing
from ..models._base import FBModel, parse_model, to_payload
from ..pagination import MAX_PER_PAGE, ListResult, Page, fetch_all, page_of
from ..query import accounting_params, bare_params
from ..scopes import Access, Grant

__all__ = [
    "AccountingEditor",
    "AccountingReader",
    "AccountingResource",
    "BusinessScope",
    "NoAccountingError",
    "ProjectFamilyResource",
    "RecordResource",
    "ScopedResource",
    "WriteData",
    "announce",
    "bare_page",
]

M = TypeVar("M", bound=FBModel)
T = TypeVar("T")
WriteData = BaseModel | Mapping[str, Any]


class NoAccountingError(FreshBooksError):
    """The business has no accounting account (``account_id`` is null in the identity)."""

    user_text: ClassVar[str] = (
        "This FreshBooks business has no accounting account: invoices, clients and "
        "expenses are not available for it, only projects and time tracking."
    )


@dataclass(frozen=True)
class BusinessScope:
    """The ids one business is reached by, and the transport to reach it."""

    http: HTTPClient
    business_id: int
    account_id: str | None = None
    business_uuid: str | None = None
    concurrency: int = 8
    max_pages: int = 1000
    grant: Callable[[], Grant] = Grant  # the connection's scopes (unknown unless told)

    def require_account(self) -> str:
        """The accounting account id, or a clear error when the business has none."""
        if not self.account_id:
            raise NoAccountingError("this business has no accounting account id")
        return self.account_id

    def walk(self, fetch_page: Callable[[int], Page[T]], max_pages: int | None) -> ListResult[T]:
        """Every page ``fetch_page`` reads, within this business's concurrency and ceiling."""
        return fetch_all(
            fetch_page, concurrency=self.concurrency, max_pages=max_pages or self.max_pages
        )


def announce(
    scope: BusinessScope,
    resource: str,
    singular: str,
    record_id: int | str | None,
    body: Any,
    *,
    deleted: bool = False,
) -> None:
    """Tell the client's write observers what a write changed (``body``: FreshBooks' answer).

    Called before the answer is parsed, so a copy kept elsewhere hears of the write even when
    the answer cannot be read into the model.
    """
    scope.http.announce_write(
        RecordWritten(
            resource=resource,
            account_id=scope.account_id,
            business_id=scope.business_id,
            record_id=None if record_id is None else str(record_id),
            record=written_record(body, singular),
            deleted=deleted,
        )
    )


class ScopedResource:
    """Anything reached through one business: it holds the scope and its transport."""

    scopes: ClassVar[Access]  # the OAuth scope object that guards it

    def __init__(self, scope: BusinessScope) -> None:
        self._scope = scope

    @property
    def http(self) -> HTTPClient:
        """The transport."""
        return self._scope.http


class RecordResource(ScopedResource, Generic[M]):
    """A resource of ``model`` records, of either family: its envelope keys and its list."""

    singular: ClassVar[str]  # request/response envelope key, e.g. "client"
    plural: ClassVar[str]  # list key, e.g. "clients"
    model: type[M]
    # What the list is, for the mirror and whatever walks every list (None: not walked).
    listing: ClassVar[Listing | None] = None

    def _written(self, record_id: int | str | None, body: Any, *, deleted: bool = False) -> Any:
        """Announce a write's answer to the observers, and hand the answer back."""
        name = self.listing.name if self.listing is not None else self.plural
        announce(self._scope, name, self.singular, record_id, body, deleted=deleted)
        return body

    def _read(self, row: Any) -> M:
        """One listed row as ``model``."""
        return parse_model(self.model, row, self.singular)


class AccountingReader(RecordResource[M]):
    """List and get for one accounting resource; read-only resources stop here.

    The write verbs live in subclasses rather than being overridden to raise, so a resource
    FreshBooks does not let us change (expense categories) has no such methods at all.
    """

    path: ClassVar[str]  # e.g. "users/clients"

    def _url(self, record_id: int | str | None = None) -> str:
        base = f"/accounting/account/{self._scope.require_account()}/{self.path}"
        return base if record_id is None else f"{base}/{record_id}"

    def _one(self, body: Any) -> M:
        result = result_of(body, self.singular)
        if self.singular not in result:
            raise ResponseFormatError(f"FreshBooks answered without the {self.singular}")
        return parse_model(self.model, result[self.singular], self.singular)

    def _page(self, body: Any) -> Page[M]:
        result = result_of(body, self.plural)
        rows = result.get(self.plural)
        if not isinstance(rows, list):
            raise ResponseFormatError(f"FreshBooks answered without a list of {self.plural}")
        return page_of(rows, result, self._read)

    def list(
        self,
        search: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = (),
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
        max_pages: int | None = None,
    ) -> ListResult[M]:
        """Every matching record (all pages). ``search`` uses FreshBooks' keys, see query.py."""
        include = tuple(include)
        return self._scope.walk(
            lambda page: AccountingReader.list_page(
                self, page, MAX_PER_PAGE, search, include=include, sort=sort, direction=direction
            ),
            max_pages,
        )

    def list_page(
        self,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        search: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = (),
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
    ) -> Page[M]:
        """One page only (for previews and bounded tool results)."""
        params = accounting_params(
            search=search,
            include=include,
            sort=sort,
            direction=direction,
            page=page,
            per_page=min(per_page, MAX_PER_PAGE),
        )
        return self._page(self.http.request("GET", self._url(), params=params))

    def get(self, record_id: int | str, *, include: Iterable[str] = ()) -> M:
        """One record by id."""
        params = accounting_params(include=include)
        return self._one(self.http.request("GET", self._url(record_id), params=params))


class AccountingEditor(AccountingReader[M]):
    """Reading plus update, delete, archive and restore: a resource without create (staff)."""

    # How FreshBooks deletes it: PUT vis_state=1 (most) or HTTP DELETE (per the Python SDK).
    delete_via: ClassVar[Literal["vis_state", "http"]] = "vis_state"

    def update(self, record_id: int | str, data: WriteData, *, include: Iterable[str] = ()) -> M:
        """Change only the fields given (FreshBooks' accounting PUT is partial).

        ``vis_state`` must not be mixed with other fields: FreshBooks would silently drop them.
        """
        payload = to_payload(data)
        if "vis_state" in payload and len(payload) > 1:
            raise ValueError("vis_state cannot be combined with other fields in one update")
        params = accounting_params(include=include)
        body = {self.singular: payload}
        answer = self.http.request("PUT", self._url(record_id), params=params, json=body)
        return self._one(self._written(record_id, answer))

    def _set_vis_state(self, record_id: int | str, vis_state: int) -> M:
        body = {self.singular: {"vis_state": vis_state}}
        answer = self.http.request("PUT", self._url(record_id), json=body)
        return self._one(self._written(record_id, answer))

    def delete(self, record_id: int | str) -> M | None:
        """Delete the way FreshBooks does for this resource (soft: it can be restored)."""
        if self.delete_via == "http":
            answer = self.http.request("DELETE", self._url(record_id))
            self._written(record_id, answer, deleted=True)
            return None
        return self._set_vis_state(record_id, 1)

    def archive(self, record_id: int | str) -> M:
        """Archive (vis_state 2): hidden from default views, kept in reports."""
        return self._set_vis_state(record_id, 2)

    def restore(self, record_id: int | str) -> M:
        """Bring an archived or deleted record back (vis_state 0)."""
        return self._set_vis_state(record_id, 0)


class AccountingResource(AccountingEditor[M]):
    """List, get, create, update and delete for one accounting resource."""

    def create(self, data: WriteData, *, include: Iterable[str] = ()) -> M:
        """Create a record; never retried automatically (a retry could duplicate it)."""
        body = {self.singular: to_payload(data)}
        params = accounting_params(include=include)
        answer = self.http.request("POST", self._url(), params=params, json=body)
        return self._one(self._written(None, answer))


def bare_page(body: Any, key: str, read: Callable[[Any], T], *, plural: str) -> Page[T]:
    """One page of a project-family style answer: rows under ``key``, paging in ``meta``."""
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise ResponseFormatError(f"FreshBooks answered without a list of {plural}")
    meta = body["meta"] if isinstance(body.get("meta"), dict) else {}
    return page_of(body[key], meta, read)


class ProjectFamilyResource(RecordResource[M]):
    """Shared plumbing of ``/projects``, ``/timetracking`` and ``/comments`` resources."""

    service: ClassVar[str]  # "projects", "timetracking" or "comments"

    def _base(self) -> str:
        return f"/{self.service}/business/{self._scope.business_id}"

    def _one(self, body: Any, key: str | None = None) -> M:
        key = key or self.singular
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise ResponseFormatError(f"FreshBooks answered without the {key}")
        return parse_model(self.model, body[key], key)

    def _page(self, body: Any) -> Page[M]:
        return bare_page(body, self.plural, self._read, plural=self.plural)

    def _list(
        self,
        path: str,
        filters: Mapping[str, Any] | None = None,
        *,
        include: Iterable[str] = (),
        sort: str | None = None,
        direction: Literal["asc", "desc"] = "asc",
        max_pages: int | None = None,
    ) -> ListResult[M]:
        include = tuple(include)

        def fetch(page: int) -> Page[M]:
            params = bare_params(
                filters,
                include=include,
                sort=sort,
                direction=direction,
                page=page,
                per_page=MAX_PER_PAGE,
            )
            return self._page(self.http.request("GET", path, params=params))

        return self._scope.walk(fetch, max_pages)
