"""The shared EDGAR client pointed at a local stand-in for EDGAR (see
``edgarmon.testing.local_http``), with injected time so that its request budget never
waits on a real clock."""

from __future__ import annotations

import aiohttp

from edgarmon.classifier.adapters.fetching import EdgarClientFetcher
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.local_edgar import TEST_USER_AGENT, client_settings, edgar_client

USER_AGENT = TEST_USER_AGENT


def edgar_fetcher(
    session: aiohttp.ClientSession, base_url: str, time: ManualClock, **overrides: object
) -> EdgarClientFetcher:
    """The classifier's fetcher over the kit's client, at 10 requests per second."""
    settings = client_settings(base_url, **{"edgar_requests_per_second": 10.0, **overrides})
    return EdgarClientFetcher(edgar_client(settings, session, time))
