"""``python -m tests.support.frames_probe run app.py [options]``: ``streamlit run`` with every
``FramesCache.frames`` call of the app written down, for tests that drive a real server.

Each call becomes one JSON line in the file named by ``FRAMES_PROBE_LOG``: the key it was asked
under (owner, FreshBooks identity, business), the snapshot and day, which ``Frames`` object came
back (its ``id``; every object is kept alive, so an id is never reused), and who was logged in
to the session whose script asked (Streamlit's script-run context).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.web.cli import main as streamlit_main

from copilot.cache import FramesCache
from ui.login import owner_key

LOG_ENV = "FRAMES_PROBE_LOG"

_lock = threading.Lock()
_held: list[object] = []
_original = FramesCache.frames


def _frames(self: FramesCache, whose: Any, snapshot: Any, today: Any, *args: Any, **kwargs: Any):
    frames = _original(self, whose, snapshot, today, *args, **kwargs)
    ctx = get_script_run_ctx()
    user = dict(ctx.user_info) if ctx is not None else {}
    line = {
        "session": ctx.session_id if ctx is not None else None,
        "logged_in_as": owner_key(user),
        "owner": whose[0],
        "identity": whose[1],
        "business": whose[2],
        "snapshot": [str(snapshot.fetched_at), snapshot.version],
        "today": str(today),
        "frames": id(frames),
    }
    with _lock:
        _held.append(frames)
        with open(os.environ[LOG_ENV], "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")
    return frames


def read(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The calls written to ``path``."""
    with open(path, encoding="utf-8") as log:
        return [json.loads(line) for line in log if line.strip()]


if __name__ == "__main__":
    FramesCache.frames = _frames  # type: ignore[method-assign]  # the probe: same behaviour, written down
    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(streamlit_main())
