"""Every list of one business fetched straight from the API and parsed: the truth the mirror's
tests compare with, and the snapshot of tests that need no mirror.

Built from the catalogue (:mod:`fbclient.catalogue`), through each resource's own typed list
method, so it checks the mirror's raw path against the client's parsed one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from fbclient.catalogue import BY_NAME, listings_for
from fbclient.client import BusinessClient
from fbclient.identity import Business
from fbclient.listing import Listing
from fbclient.snapshot import Snapshot

__all__ = ["SNAPSHOT_PARTS", "fetch_snapshot"]

Progress = Callable[[str, int, int], None]

# name -> its declaration, in the catalogue's order
SNAPSHOT_PARTS: dict[str, Listing] = BY_NAME


def fetch_snapshot(
    books: BusinessClient,
    business: Business,
    *,
    progress: Progress | None = None,
    parallel: int = 4,
) -> Snapshot:
    """Fetch every part for ``business``; ``progress(name, done, total)`` after each part.

    Any part failing fails the whole snapshot (with its typed error): half a picture of
    someone's books would mislead. A business without an accounting account gets empty
    accounting lists.
    """
    wanted = listings_for(business)
    fetched_at = datetime.now(UTC)
    results: dict[str, Any] = {}
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="fb-snapshot") as pool:
        futures = {item.name: pool.submit(item.listed, books) for item in wanted}
        for done, (name, future) in enumerate(futures.items(), start=1):
            results[name] = future.result()
            if progress is not None:
                progress(name, done, len(futures))
    truncated = tuple(name for name, rows in results.items() if getattr(rows, "truncated", False))
    return Snapshot(
        business=business,
        fetched_at=fetched_at,
        truncated=truncated,
        **{name: list(rows) for name, rows in results.items()},
    )
