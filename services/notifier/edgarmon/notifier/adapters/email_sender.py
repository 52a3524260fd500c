"""Sending e-mail with aiosmtplib: STARTTLS (or implicit TLS) and authentication.

Each send opens a connection, upgrades it, authenticates, sends and closes:
alerts are rare enough that a pooled connection would mostly be a stale one.
SMTP 5xx answers are permanent (a refused recipient, bad credentials); 4xx,
refused connections, timeouts and dropped connections are transient.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
import structlog
from pydantic import SecretStr

from edgarmon.core.domain.errors import (
    ConfigurationError,
    DeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from edgarmon.notifier.settings import NotifierSettings

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = True
    implicit_tls: bool = False
    timeout_seconds: float = 30.0
    tls_context: ssl.SSLContext | None = None

    @classmethod
    def from_settings(cls, settings: NotifierSettings) -> SmtpConfig:
        if not settings.smtp_host:
            raise ConfigurationError("EDGARMON_SMTP_HOST is required for e-mail routes")
        context = None
        if settings.smtp_ca_file is not None:
            try:
                context = ssl.create_default_context(cafile=str(settings.smtp_ca_file))
            except (OSError, ssl.SSLError) as exc:
                raise ConfigurationError(
                    f"EDGARMON_SMTP_CA_FILE is invalid: {settings.smtp_ca_file}: {exc}"
                ) from exc
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            implicit_tls=settings.smtp_implicit_tls,
            timeout_seconds=settings.smtp_timeout_seconds,
            tls_context=context,
        )


def classify_smtp_error(exc: aiosmtplib.SMTPException) -> DeliveryError:
    """Permanent for 5xx answers, transient for everything else."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in exc.recipients]
        if codes and all(code >= 500 for code in codes):
            return PermanentDeliveryError(f"smtp: recipients refused ({codes})")
        return TransientDeliveryError(f"smtp: recipients deferred ({codes})")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        what = type(exc).__name__
        if exc.code >= 500:
            return PermanentDeliveryError(f"smtp: {what} {exc.code} {exc.message[:200]}")
        return TransientDeliveryError(f"smtp: {what} {exc.code} {exc.message[:200]}")
    return TransientDeliveryError(f"smtp: {type(exc).__name__}")


class EmailSender:
    """Sends rendered e-mails through one SMTP server."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, message: EmailMessage) -> str:
        """Send ``message`` to its ``To``; return its Message-ID. Raises a
        :class:`DeliveryError`."""
        config = self._config
        password = config.password.get_secret_value() if config.password else None
        try:
            await aiosmtplib.send(
                message,
                hostname=config.host,
                port=config.port,
                username=config.username,
                password=password,
                start_tls=config.starttls and not config.implicit_tls,
                use_tls=config.implicit_tls,
                timeout=config.timeout_seconds,
                tls_context=config.tls_context,
            )
        except aiosmtplib.SMTPException as exc:
            error = classify_smtp_error(exc)
            log.warning("smtp.send_failed", host=config.host, reason=str(error))
            raise error from exc
        except OSError as exc:  # refused, reset, TLS failures and timeouts alike
            log.warning("smtp.unreachable", host=config.host, error=type(exc).__name__)
            raise TransientDeliveryError(f"smtp unreachable: {type(exc).__name__}") from exc
        return str(message["Message-ID"])
