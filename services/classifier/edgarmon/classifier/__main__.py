"""``python -m edgarmon.classifier``: the classifier service (see :mod:`.main`)."""

from __future__ import annotations

import sys

from edgarmon.classifier.main import run

if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
