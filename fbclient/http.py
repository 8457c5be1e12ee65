"""The HTTP layer: one request, with retries where they are safe and typed errors always."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx2

from ._json import loads
from .errors import (
    APIError,
    FreshBooksError,
    NetworkError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeout,
    ResponseFormatError,
    ServerError,
    body_error,
    error_from_response,
)
from .events import RecordWritten, WriteEvents, WriteObserver
from .retry import RetryPolicy, parse_retry_after

__all__ = ["DEFAULT_API_URL", "USER_AGENT", "HTTPClient", "QueryParams", "WriteObserver"]

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.freshbooks.com"
USER_AGENT = "FreshBooksCopilot/0.1"
QueryParams = Sequence[tuple[str, str]] | Mapping[str, Any]


class HTTPClient:
    """Sends requests to one API origin and turns every failure into a :class:`FreshBooksError`.

    ``transport`` is injectable (``httpx2.MockTransport``, an ASGI bridge to the sandbox), and
    ``sleep`` too, so tests of the retry schedule do not wait.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        *,
        auth: httpx2.Auth | None = None,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_connections: int = 16,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_denied: Callable[[PermissionDeniedError], None] | None = None,
    ) -> None:
        self.retry = retry or RetryPolicy()
        # Told of every 403, so a scope FreshBooks says is missing stops being offered.
        self._on_denied = on_denied
        self._writes = WriteEvents()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._client = httpx2.Client(
            base_url=base_url.rstrip("/"),
            auth=auth,
            transport=transport,
            timeout=timeout,
            limits=httpx2.Limits(max_connections=max_connections),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
        )

        # Requests name their whole URL: given a path and params, httpx2 parses the URL three
        # times over (~40 us more per request, hundreds of times in a full load).
        self._origin = str(self._client.base_url).rstrip("/")

    @property
    def base_url(self) -> str:
        """The API origin requests go to."""
        return str(self._client.base_url).rstrip("/")

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def __enter__(self) -> HTTPClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        decode: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """Send one request and return its decoded JSON body (None for an empty answer).

        ``files`` sends a multipart form instead of JSON: field -> (filename, bytes, type).
        ``decode`` reads a successful answer's bytes first: what it returns is the answer,
        unless None (the body is then decoded and checked as usual).

        Safe methods are retried on 429, 5xx, network errors and unreadable or erroneous
        200 bodies; POST and PUT never are. Raises a :class:`FreshBooksError` subclass.
        """
        method = method.upper()
        attempt = 0
        while True:
            attempt += 1
            try:
                body = self._once(method, path, params, json, files, decode)
            except FreshBooksError as error:
                if isinstance(error, PermissionDeniedError) and self._on_denied is not None:
                    self._heard_denied(error)
                wait = self._retry_wait(method, attempt, error)
                if wait is None:
                    raise
                log.info("retrying %s %s in %.2fs after %r", method, path, wait, error)
                self._sleep(wait)
                continue
            return body

    def observe_writes(self, observer: WriteObserver) -> None:
        """Call ``observer(event)`` with a :class:`~fbclient.events.RecordWritten` after every
        write the resources make through this client (a local mirror keeps itself current
        this way). An observer's failure is logged, never raised."""
        self._writes.subscribe(observer)

    def announce_write(self, event: RecordWritten) -> None:
        """Tell the write observers what a resource method changed (resources call this)."""
        self._writes.announce(event)

    def _heard_denied(self, error: PermissionDeniedError) -> None:
        assert self._on_denied is not None
        try:
            self._on_denied(error)
        except Exception:  # the caller's 403 matters more than keeping the grant current
            log.exception("recording a refused scope failed")

    def _retry_wait(self, method: str, attempt: int, error: FreshBooksError) -> float | None:
        if not self.retry.should_retry(method, attempt):
            return None
        retry_after = error.retry_after if isinstance(error, RateLimitError) else None
        if isinstance(error, RateLimitError | ServerError | NetworkError | ResponseFormatError):
            return self.retry.delay(attempt, retry_after, self._rng)
        if type(error) is APIError and error.status == 200:
            # An unclassified error inside a 200 is FreshBooks hiccuping: worth one more look.
            return self.retry.delay(attempt, None, self._rng)
        return None

    def _once(
        self,
        method: str,
        path: str,
        params: QueryParams | None,
        json: Any,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        decode: Callable[[bytes], Any] | None = None,
    ) -> Any:
        try:
            response = self._client.request(method, self._url(path, params), json=json, files=files)
        except httpx2.TimeoutException as exc:
            raise RequestTimeout(f"{method} {path} timed out ({type(exc).__name__})") from exc
        except httpx2.TransportError as exc:
            raise NetworkError(f"{method} {path} failed: {type(exc).__name__}") from exc
        log.debug("%s %s -> %s", method, path, response.status_code)
        if response.status_code >= 400:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise error_from_response(response.status_code, response.content, retry_after)
        if response.status_code == 204 or not response.content.strip():
            return None
        if decode is not None:
            found = decode(response.content)
            if found is not None:
                return found
        try:
            body = loads(response.content)  # json.loads' results, in about half the time
        except ValueError as exc:
            raise ResponseFormatError(
                f"{method} {path} answered HTTP {response.status_code} with a body that is not JSON",
                status=response.status_code,
            ) from exc
        error = body_error(body)
        if error is not None:
            raise error
        return body

    def _url(self, path: str, params: QueryParams | None) -> str:
        """The absolute URL httpx2 would make of ``path`` and ``params`` (its own encoding)."""
        if not path.startswith("/") or "?" in path or "#" in path:
            url = self._client.build_request("GET", path, params=params).url  # type: ignore[arg-type]  # httpx2 takes list[tuple[str, PrimitiveData]] (invariant), not our list[tuple[str, str]]
            return str(url)
        query = str(httpx2.QueryParams(params)) if params else ""  # type: ignore[arg-type]  # as above
        return f"{self._origin}{path}?{query}" if query else f"{self._origin}{path}"
