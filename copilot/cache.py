"""The dashboards' frames cache, and the small thread-safe TTL cache under it.

Streamlit's ``st.cache_data`` is shared by every session of the server; the frames cache is
too (one per runtime), so every key starts with the owner and the FreshBooks identity and
business it belongs to: one account's frames can never be served to another's session.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import logging
import pickle
import shutil
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

import pyarrow as pa

from fbclient.models import forget_parsed_values
from fbclient.snapshot import Snapshot
from insights.frame_file import FORMAT, FrameFileError, read_frames, write_frames
from insights.frame_updates import update_frames
from insights.frames import Frames, build_frames

from .context import OwnerKey
from .figures_file import FiguresFileError, read_figures, write_figures

__all__ = ["FrameFiles", "FramesCache", "TTLCache"]

log = logging.getLogger(__name__)

V = TypeVar("V")


class TTLCache(Generic[V]):
    """At most ``max_entries`` values, each forgotten ``ttl`` seconds after it was stored."""

    def __init__(
        self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        """The value under ``key`` if still fresh."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored, value = item
            if self._clock() - stored > self._ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Store ``value``; the least recently used entry goes when full."""
        with self._lock:
            self._items[key] = (self._clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def drop(self, predicate: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key matches (e.g. all of one owner's after disconnect)."""
        with self._lock:
            for key in [k for k in self._items if predicate(k)]:
                del self._items[key]


class FramesCache:
    """Each business's frames, built once per snapshot and business day, kept per owner.

    Building frames from a large account takes a while; every dashboard page needs them.
    Every session of an owner looking at a business shares one :class:`Frames` in memory.
    With a ``directory``, frames of a stored revision are also kept as a columnar file
    (:mod:`insights.frame_file`), one per owner and business, so a process that starts reads
    them instead of building them; a file of another revision or day is never read.
    """

    def __init__(
        self,
        ttl: float = 600,
        max_entries: int = 32,
        clock: Callable[[], float] = time.monotonic,
        directory: Path | None = None,
    ) -> None:
        self._cache: TTLCache[Frames] = TTLCache(ttl, max_entries, clock)
        self._derived: TTLCache[object] = TTLCache(ttl, max_entries * 4, clock)
        self._files = FrameFiles(directory) if directory is not None else None
        # Each owner-business's newest frames and their snapshot: a newer snapshot's frames
        # start from them when only a few records changed.
        self._latest: TTLCache[tuple[Snapshot, Frames]] = TTLCache(ttl, max_entries, clock)
        # One build per key at a time: sessions asking together wait for the first.
        self._building: dict[Hashable, tuple[threading.Lock, int]] = {}
        self._guard = threading.Lock()

    def frames(self, whose: OwnerKey, snapshot: Snapshot, today: date) -> Frames:
        """The frames of ``snapshot`` on ``today``: held for ``whose``, else read from their
        file, else built (and saved)."""
        key = (*whose, "frames", snapshot.fetched_at, snapshot.version, today)
        frames = self._cache.get(key)
        if frames is not None:
            return frames
        with self._once(key):
            frames = self._cache.get(key)
            if frames is None:
                frames = self._follow(whose, snapshot, today) or self._read_or_build(
                    whose, snapshot, today
                )
                self._cache.put(key, frames)
            with self._guard:
                held = self._latest.get(whose)
                if held is None or held[0].version <= snapshot.version:
                    self._latest.put(whose, (snapshot, frames))
        return frames

    def _follow(self, whose: OwnerKey, snapshot: Snapshot, today: date) -> Frames | None:
        """The owner-business's newest frames brought up to ``snapshot`` (see
        :func:`insights.frame_updates.update_frames`), saved; None when they cannot be."""
        with self._guard:
            held = self._latest.get(whose)
        if held is None:
            return None
        older, previous = held
        frames = update_frames(previous, older, snapshot, today)
        if frames is not None and self._files is not None and snapshot.revision is not None:
            self._files.write(whose, snapshot.revision, today, frames)
        return frames

    def _read_or_build(self, whose: OwnerKey, snapshot: Snapshot, today: date) -> Frames:
        files, revision = self._files, snapshot.revision
        if files is None or revision is None:
            return _built(snapshot, today)
        found = files.read(whose, revision, today)
        if found is not None and found.business_name == snapshot.business.name:
            return replace(found, fetched_at=snapshot.fetched_at)
        frames = _built(snapshot, today)
        files.write(whose, revision, today, frames)
        give_back_memory()
        return frames

    def derived(
        self,
        whose: OwnerKey,
        snapshot: Snapshot,
        today: date,
        name: str,
        make: Callable[[], V],
        kept_as: type[V] | None = None,
    ) -> V:
        """What ``make`` computes from ``snapshot`` on ``today`` (a forecast, a backtest),
        computed once per snapshot and day and kept for ``whose`` only.

        With ``kept_as`` (the type ``make`` returns, one :mod:`copilot.figures_file` can
        read), the result is also kept beside the frames file, so a process that starts
        reads it instead of computing it."""
        key = (*whose, name, snapshot.fetched_at, snapshot.version, today)
        held = self._derived.get(key)
        if held is not None:
            return held  # type: ignore[return-value]  # stored by this method under its own name
        with self._once(key):
            held = self._derived.get(key)
            if held is None:
                files, revision = self._files, snapshot.revision
                if files is None or revision is None or kept_as is None:
                    held = make()
                else:
                    held = files.read_figures(whose, revision, today, name, kept_as)
                    if held is None:
                        held = make()
                        files.write_figures(whose, revision, today, name, held)
                self._derived.put(key, held)
        return held  # type: ignore[return-value]  # as above

    @contextlib.contextmanager
    def _once(self, key: Hashable) -> Iterator[None]:
        """One computation per key at a time: sessions asking together wait for the first
        (and then find its result) instead of each computing the same."""
        with self._guard:
            lock, users = self._building.get(key, (threading.Lock(), 0))
            self._building[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._building[key]
                if users <= 1:
                    del self._building[key]
                else:
                    self._building[key] = (lock, users - 1)

    def forget_owner(self, owner: str) -> None:
        """Drop every frame of one app user (after they disconnect), files included."""
        for cache in (self._cache, self._derived):
            cache.drop(lambda key: isinstance(key, tuple) and key[:1] == (owner,))
        self._latest.drop(lambda whose: isinstance(whose, tuple) and whose[:1] == (owner,))
        if self._files is not None:
            self._files.forget(owner)

    def clear(self) -> None:
        """Drop every frame (after the demo business is seeded afresh), files included."""
        for cache in (self._cache, self._derived):
            cache.drop(lambda _key: True)
        self._latest.drop(lambda _whose: True)
        if self._files is not None:
            self._files.clear()


class FrameFiles:
    """The frames files under ``directory``: a folder per owner, one file per business
    (named by a digest of the identity and business, then of the revision and day)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _folder(self, owner: str) -> Path:
        return self.directory / _digest(owner)

    def _path(self, whose: OwnerKey, revision: str, today: date) -> Path:
        owner, identity, business = whose
        stem = _digest(f"{identity}|{business}")
        version = f"{revision}|{today}|{FORMAT}|{code_digest()}"
        return self._folder(owner) / f"{stem}-{_digest(version)}.arrow"

    def _figures_path(self, whose: OwnerKey, revision: str, today: date, name: str) -> Path:
        # Named after the frames file of the same revision and day: replacing that file
        # (another revision, another day) removes these too.
        frames = self._path(whose, revision, today)
        return frames.with_name(f"{frames.stem}.{_digest(name)}.figures")

    def read(self, whose: OwnerKey, revision: str, today: date) -> Frames | None:
        """The frames saved for ``whose`` at ``revision`` on ``today``, None when there are none
        (or the file cannot be read: it is then built again)."""
        path = self._path(whose, revision, today)
        if not path.exists():
            return None
        try:
            return read_frames(path)
        except (FrameFileError, KeyError, ValueError, TypeError) as exc:
            log.warning("a frames file could not be read (%s); building the frames", exc)
            return None

    def write(self, whose: OwnerKey, revision: str, today: date, frames: Frames) -> None:
        """Save ``frames``, replacing the business's older file. A failure only costs speed."""
        path = self._path(whose, revision, today)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_frames(path, frames)
            # The business's files of other revisions or days go: frames and figures.
            stem = path.name.split("-", 1)[0]
            for older in path.parent.glob(f"{stem}-*"):
                if not older.name.startswith(path.stem):
                    older.unlink(missing_ok=True)
        except (OSError, FrameFileError, ValueError, TypeError, pa.ArrowException) as exc:
            log.warning("frames could not be saved (%s)", exc)

    def read_figures(
        self, whose: OwnerKey, revision: str, today: date, name: str, kind: type[V]
    ) -> V | None:
        """The figures ``name`` saved for ``whose`` at ``revision`` on ``today``; None when
        there are none (or the file cannot be read: they are then computed again)."""
        path = self._figures_path(whose, revision, today, name)
        if not path.exists():
            return None
        try:
            return read_figures(path, kind)
        except FiguresFileError as exc:
            log.warning("a figures file could not be read (%s); computing them", exc)
            return None

    def write_figures(
        self, whose: OwnerKey, revision: str, today: date, name: str, figures: object
    ) -> None:
        """Save the figures ``name`` beside the frames of the same revision and day. A
        failure only costs speed."""
        try:
            write_figures(self._figures_path(whose, revision, today, name), figures)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("figures could not be saved (%s)", exc)

    def forget(self, owner: str) -> None:
        """Delete every file of ``owner``."""
        shutil.rmtree(self._folder(owner), ignore_errors=True)

    def clear(self) -> None:
        """Delete every file."""
        if self.directory.exists():
            for folder in self.directory.iterdir():
                shutil.rmtree(folder, ignore_errors=True)


def _built(snapshot: Snapshot, today: date) -> Frames:
    frames = build_frames(snapshot, today)
    # The dates and amounts kept to share while the long lists were read are not needed
    # after (the frames hold their own): a process holding frames keeps none of them.
    forget_parsed_values()
    return frames


def give_back_memory() -> None:
    """Return the memory a frames build freed to the system (glibc keeps freed heap pages
    for reuse otherwise: about 25 MB on a large business); nothing where that is unknown."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018  # glibc only (not musl): check it is there
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _load_libc()


# The code that makes the frames and the figures from the stored records: files written by
# another version of it are not read (a fix to a rule shows at once, not the next day).
_MAKERS = ("insights", "fbclient/models", "copilot/overview.py", "copilot/forecasting.py")


@functools.cache
def code_digest() -> str:
    """A digest of the source of the code that makes the frames and the figures."""
    return source_digest(Path(__file__).resolve().parents[1], _MAKERS)


def source_digest(root: Path, makers: Sequence[str]) -> str:
    """A digest of the ``.py`` files of ``makers`` (folders or files under ``root``): their
    paths and their bytes."""
    digest = hashlib.sha256()
    for maker in makers:
        found = root / maker
        for source in sorted(found.rglob("*.py")) if found.is_dir() else [found]:
            digest.update(str(source.relative_to(root)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:24]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]
