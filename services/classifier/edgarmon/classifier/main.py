"""``edgarmon classifier`` (or ``python -m edgarmon.classifier``): the classifier service.

It takes no arguments; every setting is an ``EDGARMON_*`` variable (see
:class:`~edgarmon.classifier.settings.ClassifierSettings`). Exit codes: 0 after a
clean drain, 1 when the drain overran ``EDGARMON_SHUTDOWN_TIMEOUT_SECONDS``, 2 for
bad configuration, 130 on a second signal.
"""

from __future__ import annotations

from collections.abc import Sequence

from edgarmon.classifier.service import serve
from edgarmon.classifier.settings import ClassifierSettings
from edgarmon.core.lifecycle import run_service

SUMMARY = (
    "Labels each discovered filing (SEC correspondence, 8-K Item 8.01, clinical update),\n"
    "fetching from EDGAR only the documents a label needs, and republishes it with the\n"
    "evidence to edgar.filings.classified.v1, exactly once."
)


def run(argv: Sequence[str]) -> int:
    return run_service(
        name="classifier", summary=SUMMARY, settings_type=ClassifierSettings, serve=serve, argv=argv
    )
