"""Settings: one pydantic-settings object per service, loaded once in ``main``.

Every setting is an ``EDGARMON_*`` environment variable. Secrets may instead be
files in a secrets directory (a Kubernetes secret volume), named like the
variable, e.g. ``/run/secrets/edgarmon/EDGARMON_SLACK_BOT_TOKEN``; the
environment wins over a file. The directory is ``EDGARMON_SECRETS_DIR``
(default ``/run/secrets/edgarmon``; ignored when it does not exist).

:func:`load_settings` turns a validation failure into a
:class:`~edgarmon.core.domain.errors.ConfigurationError` that names each bad variable.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Final, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from edgarmon.core.adapters.bounded_work import WorkBudget
from edgarmon.core.domain.edgar_rules import validate_user_agent
from edgarmon.core.domain.errors import ConfigurationError

ENV_PREFIX = "EDGARMON_"
DEFAULT_SECRETS_DIR = Path("/run/secrets/edgarmon")

LogFormat = Literal["auto", "json", "console"]


class ServiceSettings(BaseSettings):
    """What every service reads: Kafka, topics, logging, health port, shutdown."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="ignore",
        frozen=True,
        case_sensitive=False,
    )

    kafka_bootstrap_servers: Annotated[
        str, Field(min_length=1, description="host:port[,host:port...]")
    ] = "127.0.0.1:9092"
    kafka_client_id: Annotated[str, Field(description="Kafka client id prefix")] = "edgarmon"
    kafka_startup_timeout_seconds: Annotated[
        float,
        Field(gt=0, description="How long start-up waits for a broker to answer before exiting 1"),
    ] = 30.0
    kafka_create_topics: Annotated[
        bool, Field(description="Create missing topics at start-up where the cluster allows it")
    ] = True
    kafka_topic_partitions: Annotated[
        int, Field(ge=1, description="Partitions of topics this service creates")
    ] = 6
    kafka_replication_factor: Annotated[
        int, Field(ge=1, description="Replication factor of topics this service creates")
    ] = 1

    topic_discovered: Annotated[str, Field(description="New filings (poller output)")] = (
        "edgar.filings.discovered.v1"
    )
    topic_classified: Annotated[str, Field(description="Labelled filings (classifier output)")] = (
        "edgar.filings.classified.v1"
    )
    topic_alerts_sent: Annotated[
        str, Field(description="The notifier's sent-ledger (compacted)")
    ] = "edgar.alerts.sent.v1"
    topic_deadletter: Annotated[
        str, Field(description="Records a service could not handle, with the reason")
    ] = "edgar.deadletter.v1"
    topic_backfill: Annotated[
        str, Field(description="Backfill jobs and their progress (compacted)")
    ] = "edgar.backfill.v1"

    log_level: Annotated[
        Literal["debug", "info", "warning", "error"],
        Field(description="debug, info, warning, error"),
    ] = "info"
    log_format: Annotated[
        LogFormat, Field(description="auto (JSON unless on a terminal), json or console")
    ] = "auto"

    health_host: Annotated[str, Field(description="Address of /livez, /readyz, /metrics")] = (
        "0.0.0.0"  # noqa: S104 -- probes and scrapes come from outside the pod
    )
    health_port: Annotated[
        int, Field(ge=0, le=65535, description="Port of /livez, /readyz and /metrics")
    ] = 8080

    shutdown_timeout_seconds: Annotated[
        float,
        Field(gt=0, description="Drain time on SIGTERM; keep below terminationGracePeriodSeconds"),
    ] = 20.0


class EdgarClientSettings(BaseSettings):
    """Fair-access settings shared by every process that talks to EDGAR."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    edgar_base_url: Annotated[
        str, Field(description="EDGAR's www host; links in feeds are mapped onto it")
    ] = "https://www.sec.gov"
    edgar_data_url: Annotated[str, Field(description="EDGAR's data.sec.gov API host")] = (
        "https://data.sec.gov"
    )
    edgar_user_agent: Annotated[
        str,
        Field(description='Declared User-Agent: "Company or Name contact@example.com" (required)'),
    ]
    edgar_requests_per_second: Annotated[
        float,
        Field(gt=0, le=10, description="This process's share of EDGAR's 10 requests/second"),
    ] = 4.0
    edgar_allowed_hosts: Annotated[
        tuple[str, ...],
        NoDecode,
        Field(description="Hosts that may be fetched; the base URLs' hosts are always allowed"),
    ] = ("www.sec.gov", "data.sec.gov", "efts.sec.gov")
    edgar_timeout_seconds: Annotated[
        float, Field(gt=0, description="Timeout of one request to EDGAR")
    ] = 20.0
    edgar_max_response_bytes: Annotated[
        int, Field(gt=0, description="Largest response read; larger ones are refused")
    ] = 20 * 1024 * 1024
    edgar_block_seconds: Annotated[
        float, Field(ge=600, description="Quiet time after a fair-access block (>= 10 minutes)")
    ] = 660.0
    parse_timeout_seconds: Annotated[
        float,
        Field(gt=0, description="Time one parse of EDGAR's bytes may take (a feed, a filing)"),
    ] = 10.0
    parse_memory_mib: Annotated[
        int, Field(ge=32, description="Memory one parse may add, in MiB, in its worker process")
    ] = 256
    parse_workers: Annotated[
        int, Field(ge=1, le=16, description="Worker processes that parse EDGAR's bytes")
    ] = 1

    @property
    def parse_budget(self) -> WorkBudget:
        return WorkBudget(self.parse_timeout_seconds, self.parse_memory_mib * 2**20)

    @field_validator("edgar_allowed_hosts", mode="before")
    @classmethod
    def _comma_separated_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(host.strip().lower() for host in value.split(",") if host.strip())
        return value

    @field_validator("edgar_user_agent")
    @classmethod
    def _declared_user_agent(cls, value: str) -> str:
        """Refuse an undeclared User-Agent at start-up (exit 2), not at the first fetch."""
        try:
            return validate_user_agent(value)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from exc


S = TypeVar("S", bound=BaseSettings)


def secrets_dir_from_env() -> Path | None:
    """The secrets directory, if it exists."""
    raw = os.environ.get(f"{ENV_PREFIX}SECRETS_DIR")
    path = Path(raw) if raw else DEFAULT_SECRETS_DIR
    return path if path.is_dir() else None


def load_settings(settings_type: type[S]) -> S:
    """Load ``settings_type`` from the environment and the secrets directory.

    Raises :class:`ConfigurationError` naming every missing or invalid variable.
    """
    try:
        return settings_type(_secrets_dir=secrets_dir_from_env())
    except ValidationError as exc:
        raise ConfigurationError(describe_settings_error(exc)) from exc
    except SettingsError as exc:  # a variable that is not even parseable (bad JSON)
        field = re.search(r'field "(\w+)"', str(exc))
        name = f"{ENV_PREFIX}{field.group(1).upper()}" if field else "a variable"
        raise ConfigurationError(
            f"invalid configuration: {name} cannot be parsed (lists are comma-separated, "
            "mappings are JSON)"
        ) from exc


def describe_settings_error(exc: ValidationError) -> str:
    """One clause per error, each naming its variable; the value given is quoted unless
    the variable holds a secret. A check across variables names them itself."""
    lines = []
    for error in exc.errors(include_url=False):
        message = error["msg"].removeprefix("Value error, ")
        if not error["loc"]:
            lines.append(message)
            continue
        field = str(error["loc"][0])
        variable = f"{ENV_PREFIX}{field.upper()}"
        if error["type"] == "missing":
            lines.append(f"{variable} is required but not set")
            continue
        given = error.get("input")
        secret = any(hint in field for hint in _SECRET_FIELD_HINTS)
        quoted = f" (got {given!r})" if isinstance(given, str) and not secret else ""
        lines.append(f"{variable} is invalid{quoted}: {message}")
    return "invalid configuration: " + "; ".join(lines)


_SECRET_FIELD_HINTS: Final = ("token", "password", "secret", "key")
TOOL_VARIABLES: Final = frozenset(
    {f"{ENV_PREFIX}SECRETS_DIR", f"{ENV_PREFIX}KAFKA_HOME", f"{ENV_PREFIX}VENV"}
)
"""Variables read outside the settings classes: the secrets folder, the local broker's
home (``edgarmon broker``), the virtualenv of ``scripts/deploy-check``."""


@dataclass(frozen=True, slots=True)
class UnknownVariable:
    name: str
    closest: str | None


def variable_names(settings_type: type[BaseSettings]) -> frozenset[str]:
    return frozenset(f"{ENV_PREFIX}{name.upper()}" for name in settings_type.model_fields)


def unknown_variables(
    environ: Mapping[str, str], known: Iterable[type[BaseSettings]]
) -> list[UnknownVariable]:
    """The ``EDGARMON_*`` variables in ``environ`` that no settings class in ``known``
    reads (a misspelling is otherwise silently ignored), each with the closest known
    name."""
    names = set(TOOL_VARIABLES).union(*(variable_names(cls) for cls in known))
    return [
        UnknownVariable(name, _closest(name.upper(), names))
        for name in sorted(environ)
        if name.upper().startswith(ENV_PREFIX) and name.upper() not in names
    ]


def _closest(name: str, names: Iterable[str]) -> str | None:
    """The known name most like ``name``, compared without the shared prefix."""
    bare = {known.removeprefix(ENV_PREFIX): known for known in names}
    found = difflib.get_close_matches(name.removeprefix(ENV_PREFIX), bare, n=1, cutoff=0.75)
    return bare[found[0]] if found else None


SETTINGS_ENTRY_POINTS: Final = "edgarmon.settings"
"""The entry-point group where each service names its settings class (``pyproject.toml``),
so that the core can know every setting without importing a service by name."""


def settings_classes() -> dict[str, type[BaseSettings]]:
    """Each installed service's settings class, keyed by service name, in name order."""
    classes: dict[str, type[BaseSettings]] = {}
    for entry in sorted(
        importlib.metadata.entry_points(group=SETTINGS_ENTRY_POINTS), key=lambda e: e.name
    ):
        loaded = entry.load()
        if not (isinstance(loaded, type) and issubclass(loaded, BaseSettings)):
            raise ConfigurationError(f"entry point {entry.value} is not a settings class")
        classes[entry.name] = loaded
    return classes
