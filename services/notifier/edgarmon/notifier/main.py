"""``edgarmon notifier`` / ``python -m edgarmon.notifier``: run the notifier service.

Configured entirely by ``EDGARMON_*`` variables (see ``docs/notifier.md``). Exit
codes: 0 after a clean drain, 1 if the drain overran its bound, 2 for invalid
settings or routes, 130 on a second signal.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from edgarmon.core.errors import ConfigurationError
from edgarmon.core.lifecycle import EXIT_CONFIG, run_service
from edgarmon.notifier.service import serve
from edgarmon.notifier.settings import NotifierSettings


def run(argv: Sequence[str]) -> int:
    try:
        return run_service(name="notifier", settings_type=NotifierSettings, serve=serve, argv=argv)
    except ConfigurationError as exc:  # the routes file, checked once settings are loaded
        print(f"edgarmon notifier: {exc}", file=sys.stderr)
        return EXIT_CONFIG
