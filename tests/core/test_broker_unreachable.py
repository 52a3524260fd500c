"""With no Kafka broker, start-up waits a bounded time, then every service says so in
one line that names the address and how to start a broker, and exits 1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from edgarmon.core.adapters.kafka import connect_admin
from edgarmon.core.domain.errors import BrokerUnreachable
from edgarmon.core.settings import ServiceSettings
from edgarmon.testing.clock import ManualClock

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_start_up_retries_with_backoff_then_names_the_broker_and_the_fix() -> None:
    address = f"127.0.0.1:{closed_port()}"
    settings = ServiceSettings(kafka_bootstrap_servers=address, kafka_startup_timeout_seconds=10.0)
    time = ManualClock(0.0)

    with capture_logs() as logs, pytest.raises(BrokerUnreachable) as caught:
        await connect_admin(settings, sleep=time.sleep, monotonic=time.clock)

    assert time.sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 2.25]  # doubling, cut at the deadline
    message = str(caught.value)
    assert address in message
    assert "EDGARMON_KAFKA_BOOTSTRAP_SERVERS" in message
    assert "edgarmon broker start" in message
    assert [entry["event"] for entry in logs if entry["log_level"] == "warning"] == [
        "Kafka is not answering yet; waiting"
    ]


async def test_a_broker_that_answers_is_connected_at_once(kafka_bootstrap: str) -> None:
    time = ManualClock(0.0)
    admin = await connect_admin(
        ServiceSettings(kafka_bootstrap_servers=kafka_bootstrap),
        sleep=time.sleep,
        monotonic=time.clock,
    )
    try:
        assert isinstance(await admin.list_topics(), list)
    finally:
        await admin.close()
    assert time.sleeps == []


@pytest.mark.parametrize("service", ["poller", "classifier", "notifier"])
def test_each_service_without_a_broker_exits_1_with_one_line(service: str, tmp_path: Path) -> None:
    routes = tmp_path / "routes.yaml"
    routes.write_text(
        "version: 1\nroutes:\n  - name: letters\n    match: {labels: [sec_correspondence]}\n"
        "    deliver: {slack: ['#letters']}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDGARMON_")}
    address = f"127.0.0.1:{closed_port()}"
    env |= {
        "EDGARMON_KAFKA_BOOTSTRAP_SERVERS": address,
        "EDGARMON_KAFKA_STARTUP_TIMEOUT_SECONDS": "0.5",
        "EDGARMON_HEALTH_PORT": "0",
        "EDGARMON_EDGAR_USER_AGENT": "edgarmon tests tests@example.com",
        "EDGARMON_ROUTES_FILE": str(routes),
        "EDGARMON_SLACK_BOT_TOKEN": "xoxb-not-used",
        "EDGARMON_SECRETS_DIR": str(tmp_path / "no-secrets"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "edgarmon.cli", service],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"edgarmon {service}: no Kafka broker answered at {address}")
    assert "edgarmon broker start" in last
