"""``edgarmon broker install|start|stop|status``: the local Kafka broker."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from edgarmon.devbroker import broker


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="edgarmon broker",
        description=(
            "The local Kafka broker: install its jars with Maven, start or stop it on "
            "127.0.0.1, or say whether one is running and where."
        ),
    )
    parser.add_argument("action", choices=("install", "start", "stop", "status"))
    args = parser.parse_args(argv)
    home = broker.default_home()
    try:
        return _act(args.action, home)
    except broker.BrokerError as exc:
        print(f"edgarmon broker: {exc}", file=sys.stderr)
        return 1


def _act(action: str, home: Path) -> int:
    running = broker.current(home)
    if action == "install":
        # progress on stderr (shown by `make install`), the jars' folder on stdout
        print(broker.install(home, log=lambda line: print(line, file=sys.stderr)))
        return 0
    if action == "status":
        print(f"running at {running.bootstrap_servers}" if running else "not running")
        return 0 if running else 3
    if action == "stop":
        if running is None:
            print("no broker is running")
            return 0
        broker.stop(running)
        print(f"stopped the broker at {running.bootstrap_servers}")
        return 0
    if running is not None:
        print(f"already running at {running.bootstrap_servers}")
        print(f"EDGARMON_KAFKA_BOOTSTRAP_SERVERS={running.bootstrap_servers}")
        return 0
    handle = broker.start(home, log=lambda line: print(line, file=sys.stderr))
    started = f"Kafka {broker.KAFKA_VERSION} started in {handle.startup_seconds:.2f} s"
    print(started, file=sys.stderr)
    print(f"EDGARMON_KAFKA_BOOTSTRAP_SERVERS={handle.bootstrap_servers}")
    return 0
