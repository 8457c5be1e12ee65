"""`python -m sandbox [options]`: see `sandbox.config.build_parser` for the contract."""

from __future__ import annotations

import sys

from sandbox.config import parse_args
from sandbox.server import main

if __name__ == "__main__":
    sys.exit(main(parse_args()))
