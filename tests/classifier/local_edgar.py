"""The shared EDGAR client pointed at a local stand-in for EDGAR (see
``tests.support.local_http``), with injected time so that its request budget never
waits on a real clock."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiohttp
from prometheus_client import CollectorRegistry

from edgarmon.classifier.adapters.fetching import EdgarClientFetcher
from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.settings import EdgarClientSettings

USER_AGENT = "Edgarmon Tests tests@example.com"


@dataclass
class FakeTime:
    now: float = 1000.0
    pauses: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        # At least a microsecond: the budget may ask for a pause (1e-14 s) below the float
        # resolution of ``now``, which would then never move and the budget never refill.
        self.now += max(seconds, 1e-6)


def edgar_fetcher(
    session: aiohttp.ClientSession, base_url: str, time: FakeTime, **overrides: object
) -> EdgarClientFetcher:
    values: dict[str, object] = {
        "edgar_user_agent": USER_AGENT,
        "edgar_base_url": base_url,
        "edgar_data_url": base_url,
        "edgar_requests_per_second": 10.0,
        **overrides,
    }
    settings = EdgarClientSettings.model_validate(values)
    client = EdgarClient(
        settings, session, registry=CollectorRegistry(), clock=time.clock, sleep=time.pause
    )
    return EdgarClientFetcher(client)
