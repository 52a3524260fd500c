"""A real single-node Apache Kafka broker (KRaft) for tests, CI and the offline demo.

The jars come from Maven Central through Maven (``pom.xml`` beside this file)
into a git-ignored, cached folder; the broker runs as ``java -cp 'libs/*'
kafka.Kafka`` with a fresh data directory and fixed free ports on 127.0.0.1.
Readiness is a TCP connect on the PLAINTEXT port: with a fixed port, Kafka
opens its socket only once it can serve.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

KAFKA_VERSION = "4.1.1"
POM = Path(__file__).with_name("pom.xml")
HEAP = "-Xmx512m"


class BrokerError(RuntimeError):
    """The broker could not be installed, started or stopped."""


@dataclass(frozen=True, slots=True)
class BrokerHandle:
    """A running broker: where it listens and how to stop it."""

    bootstrap_servers: str
    pid: int
    data_dir: Path
    startup_seconds: float
    process: subprocess.Popen[bytes] | None = None


def project_root() -> Path:
    """The checkout's root (the folder holding pyproject.toml)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    raise BrokerError("cannot find the project root (no pyproject.toml above devbroker)")


def default_home() -> Path:
    """Where jars and broker state live: ``EDGARMON_KAFKA_HOME`` or ``<root>/.kafka``."""
    override = os.environ.get("EDGARMON_KAFKA_HOME")
    return Path(override) if override else project_root() / ".kafka"


def libs_dir(home: Path) -> Path:
    return home / f"libs-{KAFKA_VERSION}"


def install(home: Path, *, log: Callable[[str], None] = print) -> Path:
    """Fetch the broker's jars with Maven, once; later calls reuse the cached folder."""
    libs = libs_dir(home)
    marker = libs / ".complete"
    if marker.is_file():
        return libs
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise BrokerError("Maven (mvn) and a JDK (java) are needed to install the Kafka broker")
    log(f"fetching Apache Kafka {KAFKA_VERSION} from Maven Central into {libs} ...")
    libs.mkdir(parents=True, exist_ok=True)
    command = [
        "mvn",
        "-B",
        "-q",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={libs}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BrokerError(f"mvn failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    if not any(libs.glob("kafka_2.13-*.jar")):
        raise BrokerError(f"mvn finished but no kafka jar is in {libs}")
    marker.write_text(KAFKA_VERSION)
    return libs


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def new_cluster_id() -> str:
    """16 random bytes, URL-safe base64 without padding, never starting with '-'."""
    while True:
        cluster_id = base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def server_properties(*, data_dir: Path, port: int, controller_port: int) -> str:
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{controller_port}",
        "log.dirs": str(data_dir / "logs"),
        "num.partitions": "1",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "share.coordinator.state.topic.num.partitions": "1",
        "group.initial.rebalance.delay.ms": "0",
        "num.network.threads": "2",
        "num.io.threads": "2",
        "log.cleaner.dedupe.buffer.size": "4194304",
        "auto.create.topics.enable": "false",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


LOG4J2_PROPERTIES = """\
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [kafka %d{HH:mm:ss}] %p %c{1}: %m%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
"""


def _java(libs: Path, data_dir: Path, main_class: str, *args: str) -> list[str]:
    return [
        "java",
        HEAP,
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xshare:auto",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={data_dir / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={data_dir / 'server-logs'}",
        "-cp",
        f"{libs}/*",
        main_class,
        *args,
    ]


def wait_until_listening(port: int, *, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrokerError(f"the broker exited with code {process.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)  # polling a socket that is not open yet; nothing to await
    raise BrokerError(f"the broker did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def start(home: Path, *, timeout: float = 60.0, log: Callable[[str], None] = print) -> BrokerHandle:
    """Install if needed, format a fresh data directory and start the broker."""
    libs = install(home, log=log)
    begun = time.monotonic()
    port, controller_port = free_port(), free_port()
    while controller_port == port:
        controller_port = free_port()
    data_dir = home / "run" / f"broker-{port}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    properties = data_dir / "server.properties"
    properties.write_text(
        server_properties(data_dir=data_dir, port=port, controller_port=controller_port)
    )
    (data_dir / "log4j2.properties").write_text(LOG4J2_PROPERTIES)
    fmt = subprocess.run(  # noqa: S603
        _java(
            libs,
            data_dir,
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "--cluster-id",
            new_cluster_id(),
            "--config",
            str(properties),
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if fmt.returncode != 0:
        raise BrokerError(f"formatting storage failed:\n{fmt.stdout}\n{fmt.stderr}")
    server_log = (data_dir / "broker.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        _java(libs, data_dir, "kafka.Kafka", str(properties)),
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server_log.close()
    try:
        wait_until_listening(port, process=process, timeout=timeout)
    except BrokerError:
        process.kill()
        tail = (data_dir / "broker.log").read_text(errors="replace")[-4000:]
        raise BrokerError(f"the broker failed to start; its log ends:\n{tail}") from None
    handle = BrokerHandle(
        bootstrap_servers=f"127.0.0.1:{port}",
        pid=process.pid,
        data_dir=data_dir,
        startup_seconds=time.monotonic() - begun,
        process=process,
    )
    (home / "run" / "current").write_text(f"{handle.pid} {handle.bootstrap_servers} {data_dir}\n")
    return handle


def stop(handle: BrokerHandle, *, timeout: float = 20.0) -> None:
    """Stop the broker (SIGTERM, then SIGKILL) and delete its data directory."""
    _terminate(handle.pid, timeout=timeout)
    if handle.process is not None:
        handle.process.wait(timeout=timeout)
    shutil.rmtree(handle.data_dir, ignore_errors=True)


def current(home: Path) -> BrokerHandle | None:
    """The broker last started from ``home``, if it is still running."""
    record = home / "run" / "current"
    if not record.is_file():
        return None
    pid_text, bootstrap, data_dir = record.read_text().split()
    pid = int(pid_text)
    if not _alive(pid):
        return None
    return BrokerHandle(
        bootstrap_servers=bootstrap, pid=pid, data_dir=Path(data_dir), startup_seconds=0.0
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate(pid: int, *, timeout: float) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            reaped, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            reaped = 0 if _alive(pid) else pid
        if reaped == pid or not _alive(pid):
            return
        time.sleep(0.05)  # waiting for another process to exit; there is no event to await
    os.killpg(pid, signal.SIGKILL)
