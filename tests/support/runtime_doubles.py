"""Small recording stand-ins for the runtime's collaborators (no sandbox, no Streamlit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from copilot.cache import FramesCache
from copilot.context import AppContext
from copilot.runtime import Runtime
from fbclient.identity import Business, Identity
from fbclient.snapshot import Snapshot
from settings import Settings

BUSINESS = Business(
    business_id=9, account_id="acc9", name="Demo Studio", role="owner", timezone="Europe/Paris"
)
IDENTITY = Identity(identity_id=5, businesses=(BUSINESS,))


def snapshot(version: int = 0, hour: int = 12) -> Snapshot:
    """An empty snapshot of the business, fetched at ``hour`` UTC."""
    return Snapshot(
        business=BUSINESS, fetched_at=datetime(2026, 6, 15, hour, tzinfo=UTC), version=version
    )


class Client:
    """Stands for a FreshBooks client: hands out a marker for the business's books."""

    def __init__(self) -> None:
        self.closed = False

    def business(self, business: Business) -> tuple[str, int]:
        return ("books", business.business_id)

    def close(self) -> None:
        self.closed = True


class Mirror:
    """Answers with ``fresh`` (or raises it), keeps ``stored``, records every call."""

    def __init__(self, fresh: Snapshot | Exception, stored: Snapshot | None = None) -> None:
        self.fresh = fresh
        self.stored_snapshot = stored
        self.calls: list[tuple[Any, ...]] = []

    def snapshot(self, owner: str, books: Any, business: Business, **kwargs: Any) -> Snapshot:
        self.calls.append(("snapshot", owner, books, business.business_id, kwargs))
        if isinstance(self.fresh, Exception):
            raise self.fresh
        return self.fresh

    def stored(self, owner: str, business: Business) -> Snapshot | None:
        self.calls.append(("stored", owner, business.business_id))
        return self.stored_snapshot

    def cached(self, owner: str, business: Business) -> Snapshot | None:
        self.calls.append(("cached", owner, business.business_id))
        return None

    def expire(self, owner: str, business_id: int) -> None:
        self.calls.append(("expire", owner, business_id))

    def forget(self, owner: str, business_id: int | None = None) -> None:
        self.calls.append(("forget", owner, business_id))


class Connections:
    """Records disconnects."""

    def __init__(self) -> None:
        self.disconnected: list[str] = []

    def disconnect(self, owner: str) -> bool:
        self.disconnected.append(owner)
        return True


def runtime(mirror: Mirror, *, demo: bool = False, **kwargs: Any) -> Runtime:
    """A runtime around the stand-ins (demo mode when ``demo``: no connection service)."""
    return Runtime(
        settings=Settings(),
        engine=None,  # type: ignore[arg-type]  # a test double stands in for the real collaborator
        sessions=None,  # type: ignore[arg-type]  # a test double stands in for the real collaborator
        connections=None if demo else Connections(),
        demo=object() if demo else None,  # type: ignore[arg-type]  # a test double stands in for the real collaborator
        frames_cache=FramesCache(**kwargs),
        mirror=mirror,  # type: ignore[arg-type]  # a test double stands in for the real collaborator
    )


def context(owner: str = "alice", demo: bool = False) -> AppContext:
    """``owner`` looking at the business."""
    return AppContext(
        owner=owner,
        demo=demo,
        fb=Client(),  # type: ignore[arg-type]  # a test double stands in for the real collaborator
        identity=IDENTITY,
        business=BUSINESS,
    )
