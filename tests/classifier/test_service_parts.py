"""The service's parts without Kafka: settings, the transactional id, the bounded retry
of EDGAR outages (against a local HTTP server), and the command line."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from edgarmon.classifier.adapters.fetching import RetryingFetcher
from edgarmon.classifier.main import run
from edgarmon.classifier.settings import ClassifierSettings, transactional_id_for
from edgarmon.core.domain.errors import (
    ConfigurationError,
    EdgarError,
    EdgarUnavailable,
    FairAccessBlocked,
    ShutdownInProgress,
    TransientError,
)
from edgarmon.core.lifecycle import Shutdown
from edgarmon.core.settings import load_settings
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.local_http import serving
from tests.classifier.local_edgar import USER_AGENT, edgar_fetcher


class FlakyEdgar:
    """Answers 503 ``failures`` times per path, then the document; /blocked answers 429."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        if request.path == "/blocked":
            return web.Response(status=429)
        if request.path == "/missing":
            return web.Response(status=404)
        if self.requests.count(request.path) <= self.failures:
            return web.Response(status=503)
        return web.Response(text="<html><body>FORM 8-K</body></html>")


@pytest.fixture
async def flaky() -> AsyncIterator[tuple[FlakyEdgar, str]]:
    edgar = FlakyEdgar(failures=2)
    app = web.Application()
    app.router.add_get("/{tail:.*}", edgar.handle)
    async with serving(app) as base_url:
        yield edgar, base_url


async def test_outages_are_tried_again_with_a_doubling_wait(
    flaky: tuple[FlakyEdgar, str],
) -> None:
    edgar, base = flaky
    waits = ManualClock()
    async with aiohttp.ClientSession() as session:
        fetcher = RetryingFetcher(
            edgar_fetcher(session, base, ManualClock()),
            attempts=3,
            backoff_seconds=0.5,
            sleep=waits.sleep,
        )
        body = await fetcher.fetch(f"{base}/doc")

    assert b"FORM 8-K" in body
    assert edgar.requests == ["/doc"] * 3
    assert waits.sleeps == [0.5, 1.0]


async def test_outages_that_outlast_the_attempts_are_raised(
    flaky: tuple[FlakyEdgar, str],
) -> None:
    edgar, base = flaky
    async with aiohttp.ClientSession() as session:
        fetcher = RetryingFetcher(
            edgar_fetcher(session, base, ManualClock()),
            attempts=2,
            backoff_seconds=0,
            sleep=ManualClock().sleep,
        )
        with pytest.raises(EdgarUnavailable):
            await fetcher.fetch(f"{base}/doc")

    assert edgar.requests == ["/doc"] * 2


async def test_a_shutdown_during_retries_leaves_the_filing_for_the_next_run(
    flaky: tuple[FlakyEdgar, str],
) -> None:
    """Publishing a fetch error during SIGTERM would lose labels a restart would find:
    the fetcher gives up with a transient error, so the record stays uncommitted."""
    edgar, base = flaky
    shutdown = Shutdown()

    async def sleep_then_sigterm(seconds: float) -> None:
        shutdown.request("SIGTERM")

    async with aiohttp.ClientSession() as session:
        fetcher = RetryingFetcher(
            edgar_fetcher(session, base, ManualClock()),
            attempts=3,
            backoff_seconds=0.5,
            sleep=sleep_then_sigterm,
            stop_requested=lambda: shutdown.requested,
        )
        with pytest.raises(ShutdownInProgress) as caught:
            await fetcher.fetch(f"{base}/doc")

    assert isinstance(caught.value, TransientError)
    assert edgar.requests == ["/doc"]


async def test_blocks_and_missing_documents_are_never_tried_again(
    flaky: tuple[FlakyEdgar, str],
) -> None:
    edgar, base = flaky
    async with aiohttp.ClientSession() as session:
        fetcher = RetryingFetcher(
            edgar_fetcher(session, base, ManualClock()),
            attempts=3,
            backoff_seconds=0,
            sleep=ManualClock().sleep,
        )
        with pytest.raises(EdgarError, match="404"):
            await fetcher.fetch(f"{base}/missing")
        with pytest.raises(FairAccessBlocked):
            await fetcher.fetch(f"{base}/blocked")
        with pytest.raises(FairAccessBlocked):
            await fetcher.fetch(f"{base}/doc")

    assert edgar.requests == ["/missing", "/blocked"]


async def test_links_to_www_sec_gov_are_fetched_from_the_configured_edgar() -> None:
    edgar = FlakyEdgar(failures=0)
    app = web.Application()
    app.router.add_get("/{tail:.*}", edgar.handle)
    async with serving(app) as base, aiohttp.ClientSession() as session:
        fetcher = edgar_fetcher(session, base, ManualClock())
        body = await fetcher.fetch("https://www.sec.gov/Archives/edgar/data/1/2/x.htm")

    assert b"FORM 8-K" in body
    assert edgar.requests == ["/Archives/edgar/data/1/2/x.htm"]


def test_the_transactional_id_is_stable_per_replica() -> None:
    default = ClassifierSettings(edgar_user_agent=USER_AGENT)
    assert transactional_id_for(default, "classifier-0") == "edgarmon-classifier-classifier-0"
    assert transactional_id_for(default).startswith("edgarmon-classifier-")
    assert transactional_id_for(default) == transactional_id_for(default)
    given = ClassifierSettings(edgar_user_agent=USER_AGENT, transactional_id="classifier-2")
    assert transactional_id_for(given, "anything") == "classifier-2"


def test_an_undeclared_user_agent_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "python-requests/2.32")
    with pytest.raises(ConfigurationError, match="EDGARMON_EDGAR_USER_AGENT is invalid"):
        load_settings(ClassifierSettings)
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EDGARMON_CONSUMER_BATCH_SIZE", "0")
    with pytest.raises(ConfigurationError, match="EDGARMON_CONSUMER_BATCH_SIZE"):
        load_settings(ClassifierSettings)


def test_the_service_takes_no_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--threshold", "0.9"]) == 2
    assert "it is configured with EDGARMON_* variables" in capsys.readouterr().err
