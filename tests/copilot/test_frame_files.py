"""The frames file: frames read back unchanged, read by a process that starts instead of
built, never read for another revision, day or owner, and deleted with the owner; and the
figures kept beside it (the Overview's, the forecast, the backtest), likewise."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import copilot.cache as cache_module
import copilot.forecasting as forecasting
import copilot.overview as overview_module
from copilot.cache import FramesCache, source_digest
from copilot.context import OwnerKey
from copilot.figures_file import FiguresFileError, read_figures, write_figures
from copilot.forecasting import business_backtest, business_forecast
from copilot.mirror import Mirror
from copilot.overview import business_overview
from fbclient.snapshot import Snapshot
from insights.forecast import Backtest, Forecast
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


# --- figures kept beside the frames -----------------------------------------------------------


def same_figures(found: object, expected: object) -> None:
    """Two figures dataclasses hold equal values, frames dtype for dtype."""
    assert type(found) is type(expected)
    for name in expected.__dataclass_fields__:  # type: ignore[attr-defined]  # a dataclass
        mine, theirs = getattr(found, name), getattr(expected, name)
        if isinstance(theirs, pd.DataFrame):
            pd.testing.assert_frame_equal(mine, theirs)
        elif isinstance(theirs, list):
            assert len(mine) == len(theirs)
            for one, other in zip(mine, theirs, strict=True):
                same_figures(one, other)
        elif isinstance(theirs, dict):
            assert list(mine) == list(theirs)
            for key in theirs:
                same_figures(mine[key], theirs[key])
        else:
            assert mine == theirs, name


def all_figures(cache: FramesCache, whose: OwnerKey, snap: Snapshot) -> list[object]:
    frames = cache.frames(whose, snap, date.today())
    return [
        business_overview(cache, whose, snap, frames),
        business_forecast(cache, whose, snap, frames),
        business_backtest(cache, whose, snap, frames, frames.home_currency),
    ]


def counted_figures(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of every figures computation from now on (by the services' insights)."""
    made: list[str] = []
    for module, name in (
        (overview_module, "overview_figures"),
        (forecasting, "forecast"),
        (forecasting, "backtest"),
    ):
        real = getattr(module, name)

        def counting(*args: object, _real: Any = real, _name: str = name, **kwargs: object) -> Any:
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return made


def test_figures_read_back_unchanged(synced: tuple[Synced, Path], tmp_path: Path) -> None:
    # The demo books and empty books: what the allow-list of types must cover.
    _mirror, snap = opened(synced)
    every = [*all_figures(FramesCache(), ALICE, snap), *all_figures(FramesCache(), BOB, snapshot())]
    for n, figures in enumerate(every):
        write_figures(tmp_path / f"{n}.figures", figures)
        same_figures(read_figures(tmp_path / f"{n}.figures", type(figures)), figures)


def test_a_process_that_starts_reads_the_figures_instead_of_computing(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = counted_figures(monkeypatch)
    _mirror, snap = opened(synced)
    first = all_figures(FramesCache(directory=tmp_path), ALICE, snap)
    assert made == ["overview_figures", "forecast", "backtest"]
    _mirror, again = opened(synced)
    second = all_figures(FramesCache(directory=tmp_path), ALICE, again)
    assert len(made) == 3  # read, not computed
    for found, expected in zip(second, first, strict=True):
        same_figures(found, expected)
    # Another owner, day or revision computes its own.
    all_figures(FramesCache(directory=tmp_path), BOB, again)
    assert len(made) == 6
    changed = Snapshot(snap.business, snap.fetched_at, source=None, revision="another")
    all_figures(FramesCache(directory=tmp_path), ALICE, changed)
    assert len(made) == 9
    # The newer revision's frames file replaced Alice's older files, figures included: each
    # owner's folder holds one frames file and its three figures.
    folders = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert [(len(list(f.glob("*.arrow"))), len(list(f.glob("*.figures")))) for f in folders] == [
        (1, 3),
        (1, 3),
    ]


def test_a_figures_file_naming_other_code_is_refused_and_never_run(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forged = tmp_path / "forged.figures"
    forged.write_bytes(pickle.dumps(Forged()))
    PLANTED.clear()
    with pytest.raises(FiguresFileError, match=r"names tests\.copilot\.test_frame_files\.planted"):
        read_figures(forged, Forecast)
    assert PLANTED == []
    # Put where the cache looks, it is computed again (and replaced), never run.
    made = counted_figures(monkeypatch)
    _mirror, snap = opened(synced)
    first = all_figures(FramesCache(directory=tmp_path), ALICE, snap)
    for saved in tmp_path.glob("*/*.figures"):
        saved.write_bytes(forged.read_bytes())
    again = all_figures(FramesCache(directory=tmp_path), ALICE, snap)
    assert len(made) == 6
    assert PLANTED == []
    for found, expected in zip(again, first, strict=True):
        same_figures(found, expected)


PLANTED: list[str] = []


def planted() -> None:
    """Code a planted file asks to run (it records that it ran)."""
    PLANTED.append("ran")


class Forged:
    """Pickles as a call of :func:`planted`: what a planted file could ask for."""

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return planted, ()


def test_a_damaged_or_mistaken_figures_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.figures"
    path.write_bytes(b"not a pickle")
    with pytest.raises(FiguresFileError):
        read_figures(path, Forecast)
    write_figures(path, Backtest("USD", 28, pd.DataFrame(), None))
    with pytest.raises(FiguresFileError, match="not Forecast"):
        read_figures(path, Forecast)


def test_a_process_that_built_frames_keeps_none_of_the_shared_parsed_values(
    synced: tuple[Synced, Path], tmp_path: Path
) -> None:
    from fbclient.models import _fast

    _mirror, snap = opened(synced)
    frames = FramesCache(directory=tmp_path).frames(ALICE, snap, date.today())
    assert not frames.invoices.empty
    assert [cache.cache_info().currsize for cache in _fast._CACHES] == [0] * len(_fast._CACHES)


def test_files_of_another_version_of_the_code_are_not_read(
    synced: tuple[Synced, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = counted_builds(monkeypatch)
    made = counted_figures(monkeypatch)
    _mirror, snap = opened(synced)
    all_figures(FramesCache(directory=tmp_path), ALICE, snap)
    all_figures(FramesCache(directory=tmp_path), ALICE, snap)
    assert (len(built), len(made)) == (1, 3)
    # The rules that make frames or figures changed (an upgrade): built and computed again.
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another version")
    all_figures(FramesCache(directory=tmp_path), ALICE, snap)
    assert (len(built), len(made)) == (2, 6)


def test_the_code_digest_follows_the_makers_source(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "frames.py").write_text("OVERDUE_AFTER = 0\n")
    (tmp_path / "forecast.py").write_text("WEEKS = 13\n")
    (tmp_path / "pages.py").write_text("TITLE = 'x'\n")
    makers = ("rules", "forecast.py")
    first = source_digest(tmp_path, makers)
    (tmp_path / "pages.py").write_text("TITLE = 'y'\n")  # not a maker
    assert source_digest(tmp_path, makers) == first
    (tmp_path / "rules" / "frames.py").write_text("OVERDUE_AFTER = 1\n")
    assert source_digest(tmp_path, makers) != first
    assert len(cache_module.code_digest()) == 24
