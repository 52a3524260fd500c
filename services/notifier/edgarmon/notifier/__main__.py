"""``python -m edgarmon.notifier``: see :mod:`edgarmon.notifier.main`."""

from __future__ import annotations

import sys

from edgarmon.notifier.main import run

raise SystemExit(run(sys.argv[1:]))
