"""A minimal consuming service built from the shared core, for lifecycle tests.

It republishes each FilingDiscovered from ``EDGARMON_ECHO_INPUT`` to
``EDGARMON_ECHO_OUTPUT``, after-work or transactionally, and fails on
purpose for accessions listed in ``EDGARMON_ECHO_FAIL``.
"""

from __future__ import annotations

import sys
from typing import Any

from edgarmon.core.adapters.consumer import consume
from edgarmon.core.adapters.kafka import Outgoing
from edgarmon.core.domain.errors import EdgarmonError
from edgarmon.core.domain.messages import FilingDiscovered
from edgarmon.core.lifecycle import ServiceRuntime, run_service
from edgarmon.core.settings import ServiceSettings


class EchoSettings(ServiceSettings):
    echo_input: str
    echo_output: str
    echo_group: str
    echo_transactional_id: str | None = None
    echo_fail: str = ""
    echo_batch_size: int = 5


class Echo:
    def __init__(self, settings: EchoSettings) -> None:
        self._output = settings.echo_output
        self._fail = set(filter(None, settings.echo_fail.split(",")))

    async def __call__(self, message: FilingDiscovered, record: Any) -> list[Outgoing]:
        if message.filing.accession_number in self._fail:
            raise EdgarmonError(f"refusing {message.filing.accession_number} on purpose")
        return [Outgoing(self._output, message)]


async def serve(settings: EchoSettings, runtime: ServiceRuntime) -> None:
    await consume(
        settings,
        runtime,
        topics=[settings.echo_input],
        group_id=settings.echo_group,
        message_type=FilingDiscovered,
        handler=Echo(settings),
        transactional_id=settings.echo_transactional_id,
        batch_size=settings.echo_batch_size,
    )


if __name__ == "__main__":
    sys.exit(
        run_service(
            name="echo",
            summary="Copies filings between topics.",
            settings_type=EchoSettings,
            serve=serve,
        )
    )
