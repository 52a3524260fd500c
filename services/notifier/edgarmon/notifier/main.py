"""``edgarmon notifier`` / ``python -m edgarmon.notifier``: run the notifier service.

Configured entirely by ``EDGARMON_*`` variables (see ``docs/notifier.md``). Exit
codes: 0 after a clean drain, 1 if the drain overran its bound, 2 for invalid
settings or routes, 130 on a second signal.
"""

from __future__ import annotations

from collections.abc import Sequence

from edgarmon.core.lifecycle import run_service
from edgarmon.notifier.route_loading import load_routing
from edgarmon.notifier.service import serve
from edgarmon.notifier.settings import NotifierSettings

SUMMARY = (
    "Routes labelled filings (edgar.filings.classified.v1) to Slack channels and e-mail\n"
    "by the routes file (EDGARMON_ROUTES_FILE), immediately or in digests, with no lost\n"
    "and no duplicate alert: what was sent is recorded on edgar.alerts.sent.v1."
)


def run(argv: Sequence[str]) -> int:
    return run_service(
        name="notifier",
        summary=SUMMARY,
        settings_type=NotifierSettings,
        serve=serve,
        argv=argv,
        preflight=load_routing,  # a bad routes file exits 2 before anything starts
    )
