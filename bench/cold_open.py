"""One new process opening a business from the store, as an app process that starts does.

    .venv/bin/python -m bench.cold_open --store URL --owner OWNER --business JSON --frames DIR

Run by :mod:`bench.perf` in a subprocess, so what it measures is a process of its own:

1. the imports the dashboards need (timed apart: paid once per process, whatever the data);
2. the cold open: the mirror's stored state read (``Mirror.load``), the frames (from the
   frames file in ``--frames`` when one is there for this revision and day, else built from
   the stored records and saved), and the first dashboard's numbers (the Overview's figures
   per currency, read from their file beside the frames when there is one, else computed
   and saved, as the app does);
3. every dashboard page's computations (frames held, as the app holds them; the Overview's
   and the Forecast's figures through a new frames cache each time, so from their files
   when there are some): once, which computes what no file holds yet, then the median of
   ``--repeats`` runs;
4. the process's peak resident memory after all of it, and after the imports; and its
   resident memory at the end, private and mapped from files.

Prints one JSON line.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  # the clock starts before any import
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

MB = 1024 * 1024


def _peak_mb() -> float:
    """This process's peak resident memory. Linux's ``VmHWM`` belongs to the process image
    (a new one at exec); ``ru_maxrss`` would report a larger parent's peak in a child."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


def _resident_parts_mb() -> dict[str, float]:
    """This process's resident memory now, by kind: private (``RssAnon``) and mapped from
    files (``RssFile``: shared libraries' pages, as many as the page cache lets the kernel
    map around each one touched, so it varies with what the machine read lately)."""
    found: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("RssAnon:", "RssFile:")):
                    found[line.split(":")[0]] = int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return {"anon_mb": found.get("RssAnon", 0.0), "file_mb": found.get("RssFile", 0.0)}


def measure(
    store: str, owner: str, business_json: str, frames_dir: str, repeats: int = 3
) -> dict[str, Any]:
    """Open the business cold, then compute every dashboard (the median of ``repeats``
    runs each, frames held); the figures as a dict."""
    from bench.dashboards import median_seconds, pages_of
    from copilot.cache import FramesCache
    from copilot.mirror import Mirror
    from copilot.overview import business_overview
    from fbclient.identity import Business
    from store.db import make_engine, make_sessions
    from store.mirror import MirrorStore

    imported = time.perf_counter()
    rss_imports = _peak_mb()
    business = Business.model_validate_json(business_json)
    folder = Path(frames_dir)
    existed = any(folder.glob("*/*.arrow")) if folder.exists() else False

    opened_at = time.perf_counter()
    engine = make_engine(store)
    mirror = Mirror(MirrorStore(engine, make_sessions(engine)))
    snapshot = mirror.load(owner, business)
    today = business.now().date()
    whose = (owner, 0, business.business_id)
    cache = FramesCache(directory=folder)
    frames = cache.frames(whose, snapshot, today)
    framed_at = time.perf_counter()
    shown = business_overview(cache, whose, snapshot, frames).per_currency
    numbers = {view.currency: str(view["outstanding"].value) for view in shown}
    first_numbers_at = time.perf_counter()
    # The pages below get their figures through a frames cache of their own (a new one per
    # run): an app process holds one cache, so this one's figures are let go.
    del cache, shown

    pages: dict[str, float] = {}
    first_runs: dict[str, float] = {}
    for name, page in pages_of(snapshot, today, folder, whose).items():
        # The first run computes what no file holds yet (in the process right after a sync);
        # the median is what a process that starts later pays.
        first_runs[name], _ = median_seconds(lambda page=page: page(frames), 1)  # type: ignore[misc]  # mypy cannot infer a lambda with defaults
        pages[name], _ = median_seconds(lambda page=page: page(frames), repeats)  # type: ignore[misc]  # as above
    engine.dispose()
    return {
        "import_s": imported - STARTED,
        "open_s": first_numbers_at - opened_at,
        "frames_s": framed_at - opened_at,
        "frames_from_file": existed,
        "first_numbers": numbers,
        "pages_s": pages,
        "pages_first_s": first_runs,
        # What a page takes in a process that just started: the frames, then its figures.
        "pages_with_frames_s": {
            name: seconds + framed_at - opened_at for name, seconds in pages.items()
        },
        "rss_after_imports_mb": rss_imports,
        "peak_rss_mb": _peak_mb(),
        "rss_at_end": _resident_parts_mb(),
        "records": {name: len(part) for name, part in _held(snapshot).items()},
    }


def _held(snapshot: Any) -> dict[str, list[Any]]:
    # The parts parsed into models to open the dashboards (the long lists should not be).
    return dict(snapshot._parts)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, measure, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--owner", required=True)
    parser.add_argument("--business", required=True, help="the Business as JSON")
    parser.add_argument("--frames", required=True, help="the frames files' folder")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each page (median)")
    args = parser.parse_args(argv)
    figures = measure(args.store, args.owner, args.business, args.frames, args.repeats)
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
