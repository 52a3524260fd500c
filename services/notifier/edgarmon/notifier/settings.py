"""The notifier's settings: routes, Slack, SMTP and digest defaults.

Every field is an ``EDGARMON_<FIELD>`` variable. The Slack bot token and the SMTP
password are :class:`~pydantic.SecretStr` and may also be files in the secrets
directory named like the variable (``EDGARMON_SLACK_BOT_TOKEN``,
``EDGARMON_SMTP_PASSWORD``); the environment wins over a file.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from edgarmon.core.settings import ServiceSettings
from edgarmon.notifier.domain.routes_file import EMAIL_PATTERN

DEFAULT_LINK_HOSTS = ("www.sec.gov", "sec.gov")


class NotifierSettings(ServiceSettings):
    """Settings of the notifier service. Load with ``load_settings(NotifierSettings)``."""

    routes_file: Annotated[Path, Field(description="YAML file of notification routes")]
    tickers_file: Annotated[
        Path | None,
        Field(description="SEC company_tickers.json; required when a route names tickers"),
    ] = None

    slack_api_url: Annotated[
        str, Field(description="Slack Web API base URL; a local sink in tests and demos")
    ] = "https://slack.com/api/"
    slack_bot_token: Annotated[
        SecretStr | None, Field(description="Bot token (xoxb-...); required for Slack routes")
    ] = None
    slack_timeout_seconds: Annotated[
        int, Field(ge=1, le=300, description="Timeout of one Slack API call")
    ] = 15
    slack_channel_interval_seconds: Annotated[
        float, Field(ge=0, description="Minimum spacing of messages to one channel")
    ] = 1.0
    slack_channel_burst: Annotated[
        int, Field(ge=1, description="Messages a channel may receive back to back")
    ] = 1
    slack_connection_retries: Annotated[
        int, Field(ge=0, le=10, description="slack_sdk retries on connection errors")
    ] = 2
    slack_rate_limit_retries: Annotated[
        int, Field(ge=0, le=10, description="slack_sdk retries on 429, honouring Retry-After")
    ] = 3
    slack_server_error_retries: Annotated[
        int, Field(ge=0, le=10, description="slack_sdk retries on 5xx")
    ] = 2
    slack_max_retry_after_seconds: Annotated[
        float, Field(gt=0, description="Longer Retry-After waits are left to the caller")
    ] = 30.0

    smtp_host: Annotated[
        str | None, Field(description="SMTP server; required when a route e-mails")
    ] = None
    smtp_port: Annotated[int, Field(ge=1, le=65535, description="SMTP port (587: STARTTLS)")] = 587
    smtp_username: Annotated[str | None, Field(description="SMTP AUTH user; unset: no AUTH")] = None
    smtp_password: SecretStr | None = None
    smtp_from: Annotated[
        str | None, Field(description="From address; required for e-mail routes")
    ] = None
    smtp_starttls: Annotated[bool, Field(description="Upgrade with STARTTLS (port 587)")] = True
    smtp_implicit_tls: Annotated[bool, Field(description="TLS from the start (port 465)")] = False
    smtp_ca_file: Annotated[
        Path | None, Field(description="Extra CA bundle to trust for the SMTP server")
    ] = None
    smtp_timeout_seconds: Annotated[
        float, Field(gt=0, description="aiosmtplib's timeout for each socket operation")
    ] = 30.0
    email_message_id_domain: Annotated[
        str | None,
        Field(description="Right-hand side of Message-IDs; defaults to the From domain"),
    ] = None

    alert_link_hosts: Annotated[
        tuple[str, ...],
        NoDecode,
        Field(description="Hosts that alerts may link to; other links are shown as text"),
    ] = DEFAULT_LINK_HOSTS

    digest_interval_seconds: Annotated[
        float, Field(gt=0, description="Default digest interval for routes in digest mode")
    ] = 3600.0
    digest_max_alerts: Annotated[
        int, Field(ge=1, le=1000, description="A digest is sent early once it holds this many")
    ] = 50

    notifier_group_id: Annotated[
        str, Field(min_length=1, description="Consumer group of the notifier replicas")
    ] = "edgarmon-notifier"
    notifier_batch_size: Annotated[
        int, Field(ge=1, le=1000, description="Records taken from Kafka per poll")
    ] = 50
    ledger_horizon_days: Annotated[
        float,
        Field(
            gt=0,
            description="How far back the sent-ledger is read and kept; longer than the "
            "classified topic's retention, so every record that can be redelivered is covered",
        ),
    ] = 35.0
    digest_flush_on_shutdown: Annotated[
        bool,
        Field(description="On SIGTERM, send open digests early instead of leaving them held"),
    ] = True

    delivery_attempts: Annotated[
        int,
        Field(
            ge=1,
            le=100,
            description="Tries per send within one call (the sender's own retries); after "
            "them the alert waits in its destination's queue and is tried again",
        ),
    ] = 5
    delivery_backoff_seconds: Annotated[
        float,
        Field(
            ge=0,
            description="First wait between tries, doubled each time; also the first wait "
            "before a destination that failed for now (or a record) is tried again",
        ),
    ] = 1.0
    delivery_max_backoff_seconds: Annotated[
        float, Field(ge=0, description="Longest of those waits")
    ] = 60.0
    destination_queue_capacity: Annotated[
        int,
        Field(
            ge=1,
            description="Alerts one destination's queue holds while it fails; past that the "
            "consumer waits for it (the bound on memory during a long outage)",
        ),
    ] = 10_000

    @field_validator("alert_link_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("smtp_from")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name, address = parseaddr(value)
        if any(ord(char) < 32 for char in value) or not re.match(EMAIL_PATTERN, address):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value if name else address

    @model_validator(mode="after")
    def _tls_modes_exclusive(self) -> NotifierSettings:
        if self.smtp_starttls and self.smtp_implicit_tls:
            raise ValueError("smtp_starttls and smtp_implicit_tls cannot both be true")
        return self

    def message_id_domain(self) -> str:
        """The domain used on the right of Message-IDs."""
        if self.email_message_id_domain:
            return self.email_message_id_domain
        if self.smtp_from and "@" in self.smtp_from:
            return self.smtp_from.rsplit("@", 1)[1].strip(" >")
        return "edgarmon.invalid"
