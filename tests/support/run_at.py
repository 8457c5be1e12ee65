"""``python -m tests.support.run_at [-m module | script] args...``: run at the suite's instant.

Moves the clocks as the suite's own process did (:func:`tests.support.clock.start`: the
instant and its offset from the real clock come through the environment), then runs the module
or script as ``python`` would, so a server started by the tests lives at the suite's instant.
"""

from __future__ import annotations

import runpy
import sys

from tests.support import clock


def main(argv: list[str]) -> None:
    """Move the clocks, then run ``argv`` like a Python command line."""
    clock.start()
    if argv[:1] == ["-m"]:
        module, *args = argv[1:]
        sys.argv = [module, *args]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
