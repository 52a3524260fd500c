"""``python -m edgarmon.sinks``: see :mod:`edgarmon.sinks.main`."""

from __future__ import annotations

import sys

from edgarmon.sinks.main import run

raise SystemExit(run(sys.argv[1:]))
