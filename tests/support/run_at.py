"""``python -m tests.support.run_at INSTANT [-m module | script] args...``: run at INSTANT.

Starts time-machine at INSTANT (ticking), then runs the module or script as ``python`` would,
so a server started by the tests lives at the same instant as the suite.
"""

from __future__ import annotations

import runpy
import sys
from datetime import datetime

import time_machine


def main(argv: list[str]) -> None:
    """Travel to ``argv[0]``, then run the rest like a Python command line."""
    instant, *rest = argv
    time_machine.travel(datetime.fromisoformat(instant), tick=True).start()
    if rest[:1] == ["-m"]:
        module, *args = rest[1:]
        sys.argv = [module, *args]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
