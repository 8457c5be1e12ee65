"""The frames file: frames read back unchanged, read by a process that starts instead of
built, never read for another revision, day or owner, and deleted with the owner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import copilot.cache as cache_module
from copilot.cache import FramesCache
from copilot.mirror import Mirror
from fbclient.snapshot import Snapshot
from insights.frame_file import FrameFileError, read_frames, write_frames
from insights.frames import EXPENSE_ROWS, Frames, build_frames
from store.db import make_engine, make_sessions
from store.mirror import MirrorStore

from ..insights.test_frames_from_rows import assert_same_frames
from ..support.model_builders import TODAY, client, invoice, snapshot
from ..support.synced_sandbox import OWNER, Synced, synced_sandbox

ALICE = ("alice", 1, 10)
BOB = ("bob", 2, 10)  # another owner, the same business id


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Synced, Path]]:
    folder = tmp_path_factory.mktemp("frame-files")
    with synced_sandbox(folder) as found:
        yield found, folder


def opened(synced: tuple[Synced, Path]) -> tuple[Mirror, Snapshot]:
    """The mirror and its snapshot as a process that starts opens them."""
    found, folder = synced
    engine = make_engine(f"sqlite:///{folder / 'store.db'}")
    mirror = Mirror(MirrorStore(engine, make_sessions(engine)))
    return mirror, mirror.load(OWNER, found.business)


def test_frames_read_back_unchanged(synced: tuple[Synced, Path], tmp_path: Path) -> None:
    _mirror, snap = opened(synced)
    frames = build_frames(snap, date.today())
    write_frames(tmp_path / "f.arrow", frames)
    back = read_frames(tmp_path / "f.arrow")
    assert_same_frames(back, frames)
    assert (back.business_name, back.fetched_at) == (frames.business_name, frames.fetched_at)


def test_exact_digits_and_empty_frames_survive(tmp_path: Path) -> None:
    snap = snapshot(
        clients=[client(1, "Acme", "USD")],
        invoices=[invoice(1, "100"), invoice(2, "100.00"), invoice(3, "0.10")],
    )
    frames = build_frames(snap, TODAY)
    write_frames(tmp_path / "f.arrow", frames)
    back = read_frames(tmp_path / "f.arrow")
    assert [repr(v) for v in back.invoices["amount"]] == [
        repr(Decimal("100")),
        repr(Decimal("100.00")),
        repr(Decimal("0.10")),
    ]
    assert back.time.empty
    assert_same_frames(back, frames)


def test_a_file_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f.arrow").write_bytes(b"not arrow at all")
    with pytest.raises(FrameFileError):
        read_frames(tmp_path / "f.arrow")


def counted_builds(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The days of every whole frames build from now on (the cache's ``build_frames`` spied)."""
    built: list[date] = []
    real = cache_module.build_frames

    def counting(snap: Snapshot, today: date) -> Frames:
        built.append(today)
        return real(snap, today)

    monkeypatch.setattr(cache_module, "build_frames", counting)
    return built


def test_a_process_that_starts_reads_the_file_instead_of_building(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = counted_builds(monkeypatch)
    today = date.today()
    _mirror, snap = opened(synced)
    first = FramesCache(directory=tmp_path).frames(ALICE, snap, today)
    assert built == [today]
    # Another process: a new cache and a new mirror over the same store and folder.
    _mirror, again = opened(synced)
    second = FramesCache(directory=tmp_path).frames(ALICE, again, today)
    assert built == [today]  # read, not built
    assert_same_frames(second, first)
    for part in ("invoices", "payments", "expenses", "time_entries"):
        assert part not in again._parts  # nothing parsed to open the dashboards


def test_another_day_another_owner_or_revision_builds_again(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = counted_builds(monkeypatch)
    today = date.today()
    _mirror, snap = opened(synced)
    FramesCache(directory=tmp_path).frames(ALICE, snap, today)
    FramesCache(directory=tmp_path).frames(ALICE, snap, today + timedelta(days=1))
    FramesCache(directory=tmp_path).frames(BOB, snap, today)
    assert len(built) == 3
    # Bob's frames are in a folder of his own; Alice's older file gave way to her newest.
    folders = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    assert len(folders) == 2
    assert sorted(len(list(f.glob("*.arrow"))) for f in folders) == [1, 1]
    changed = Snapshot(snap.business, snap.fetched_at, source=None, revision="another")
    FramesCache(directory=tmp_path).frames(ALICE, changed, today)
    assert len(built) == 4


def test_forgetting_an_owner_deletes_only_their_files(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = counted_builds(monkeypatch)
    today = date.today()
    _mirror, snap = opened(synced)
    cache = FramesCache(directory=tmp_path)
    cache.frames(ALICE, snap, today)
    cache.frames(BOB, snap, today)
    cache.forget_owner("alice")
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 1
    fresh = FramesCache(directory=tmp_path)
    fresh.frames(BOB, snap, today)
    assert len(built) == 2  # Bob's file is still there
    fresh.frames(ALICE, snap, today)
    assert len(built) == 3  # Alice's is not


def test_a_damaged_file_is_built_again(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = counted_builds(monkeypatch)
    today = date.today()
    _mirror, snap = opened(synced)
    FramesCache(directory=tmp_path).frames(ALICE, snap, today)
    (saved,) = tmp_path.glob("*/*.arrow")
    saved.write_bytes(saved.read_bytes()[:100])
    frames = FramesCache(directory=tmp_path).frames(ALICE, snap, today)
    assert len(built) == 2
    assert not frames.invoices.empty


def test_sessions_of_one_owner_share_one_frames_object(synced: tuple[Synced, Path]) -> None:
    _mirror, snap = opened(synced)
    cache = FramesCache()
    today = date.today()
    assert cache.frames(ALICE, snap, today) is cache.frames(ALICE, snap, today)
    assert cache.frames(BOB, snap, today) is not cache.frames(ALICE, snap, today)


def test_a_revisit_changes_the_revision(synced: tuple[Synced, Path]) -> None:
    found, _folder = synced
    mirror, snap = opened(synced)
    before = snap.revision
    assert before is not None
    expense = snap.find("expenses", next(snap.rows("expenses", EXPENSE_ROWS)).id)
    assert expense is not None
    found.books.expenses.update(expense.id, {"notes": "changed for the revision"})
    mirror.sync(OWNER, found.books, found.business, mode="check")
    after = mirror.load(OWNER, found.business)
    assert after.revision not in (None, before)
    changed = after.find("expenses", expense.id)
    assert changed is not None
    assert changed.notes == "changed for the revision"
