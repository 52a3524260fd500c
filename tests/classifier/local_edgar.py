"""The shared EDGAR client pointed at a local stand-in for EDGAR (see
``edgarmon.testing.local_http``), with injected time so that its request budget never
waits on a real clock."""

from __future__ import annotations

import aiohttp
from prometheus_client import CollectorRegistry

from edgarmon.classifier.adapters.fetching import EdgarClientFetcher
from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.settings import EdgarClientSettings
from edgarmon.testing.clock import ManualClock

USER_AGENT = "Edgarmon Tests tests@example.com"


def edgar_fetcher(
    session: aiohttp.ClientSession, base_url: str, time: ManualClock, **overrides: object
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
        settings, session, registry=CollectorRegistry(), clock=time.clock, sleep=time.sleep
    )
    return EdgarClientFetcher(client)
