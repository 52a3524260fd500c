from __future__ import annotations

import io
import json

import aiohttp
import structlog
from prometheus_client import CollectorRegistry, Counter

from edgarmon.core.adapters.health import Health, serve_health
from edgarmon.core.logs import configure_logging
from edgarmon.testing.clock import ManualClock


async def test_probes_report_liveness_readiness_and_metrics() -> None:
    clock = ManualClock(1000.0)
    health = Health(stale_after_seconds=60, clock=clock)
    registry = CollectorRegistry()
    Counter("edgarmon_example_total", "example", registry=registry).inc(3)
    async with (
        serve_health(health, registry, host="127.0.0.1", port=0) as port,
        aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http,
    ):
        async with http.get("/readyz") as response:
            assert response.status == 503
        health.set_ready(True, "assigned 3 partitions")
        async with http.get("/readyz") as response:
            assert response.status == 200
            assert "assigned 3 partitions" in await response.text()
        async with http.get("/livez") as response:
            assert response.status == 200
        clock.now += 61
        async with http.get("/livez") as response:
            assert response.status == 503
        health.tick()
        async with http.get("/livez") as response:
            assert response.status == 200
        async with http.get("/metrics") as response:
            assert "edgarmon_example_total 3.0" in await response.text()


def test_json_logs_carry_bound_message_context_and_hide_secrets() -> None:
    out = io.StringIO()
    configure_logging(level="info", fmt="json", stream=out)
    log = structlog.get_logger("test")
    with structlog.contextvars.bound_contextvars(
        accession_number="0000320193-24-000061", topic="t", partition=2, offset=41
    ):
        log.info("handled", slack_bot_token="xoxb-secret", smtp_password="hunter2")
    log.debug("not shown at info")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 1
    (line,) = lines
    assert line["event"] == "handled"
    assert line["accession_number"] == "0000320193-24-000061"
    assert (line["topic"], line["partition"], line["offset"]) == ("t", 2, 41)
    assert "xoxb-secret" not in out.getvalue()
    assert "hunter2" not in out.getvalue()


def test_console_logs_are_readable_on_a_terminal() -> None:
    out = io.StringIO()
    configure_logging(level="info", fmt="console", stream=out)
    structlog.get_logger("test").info("hello", accession_number="0000320193-24-000061")
    text = out.getvalue()
    assert "hello" in text
    assert "accession_number=0000320193-24-000061" in text
    assert not text.lstrip().startswith("{")
