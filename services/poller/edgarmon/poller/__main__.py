"""``python -m edgarmon.poller``: the same as ``edgarmon poller``."""

from __future__ import annotations

import sys

from edgarmon.poller.main import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
