"""A business's books for the pages and the agent: synced from FreshBooks when due, the last
sync when FreshBooks cannot be reached, and the frames the dashboards draw from."""

from __future__ import annotations

from dataclasses import dataclass

from fbclient import FreshBooksError, ReauthorizationRequired
from fbclient.snapshot import Snapshot
from insights.frames import Frames

from .context import AppContext, today_for
from .mirror import Mode, Progress
from .runtime import Runtime

__all__ = ["LoadedBooks", "expire_books", "frames_for", "load_books"]


@dataclass(frozen=True)
class LoadedBooks:
    """A business's records, and why they are older than asked for (None: they are not)."""

    snapshot: Snapshot
    # FreshBooks failed, so ``snapshot`` is the last sync (its ``fetched_at`` says when).
    failure: FreshBooksError | None = None


def load_books(
    runtime: Runtime,
    ctx: AppContext,
    *,
    mode: Mode = "auto",
    progress: Progress | None = None,
) -> LoadedBooks:
    """The business's records from the local mirror, synced first as ``mode`` says.

    When FreshBooks cannot be reached, what was last synced rather than nothing, with the
    error that kept it from being brought up to date. Raises when there is no earlier sync,
    and always for ``ReauthorizationRequired`` (nothing but reconnecting helps). No UI here:
    safe from worker threads, such as the agent's tools.
    """
    who = runtime.mirror_owner(ctx.owner)
    try:
        return LoadedBooks(
            runtime.mirror.snapshot(who, ctx.books, ctx.business, mode=mode, progress=progress)
        )
    except ReauthorizationRequired:
        raise
    except FreshBooksError as exc:
        stored = runtime.mirror.stored(who, ctx.business)
        if stored is None:
            raise
        return LoadedBooks(stored, failure=exc)


def expire_books(runtime: Runtime, ctx: AppContext) -> None:
    """After a write: the next read asks FreshBooks what changed (the write itself is already
    in the mirror; a payment, say, also changed its invoice on FreshBooks' side)."""
    runtime.mirror.expire(runtime.mirror_owner(ctx.owner), ctx.business.business_id)


def frames_for(runtime: Runtime, ctx: AppContext, snapshot: Snapshot) -> Frames:
    """The snapshot as frames, built once per snapshot and business day (cached per account)."""
    return runtime.frames_cache.frames(ctx.cache_key, snapshot, today_for(ctx).date())
