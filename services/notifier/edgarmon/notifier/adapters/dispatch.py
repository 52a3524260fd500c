"""Rendering and sending one delivery, or one digest, and saying what was sent.

:class:`AlertDispatcher` ties the pure core to the two senders. For a
:class:`Delivery` it builds the alert view, renders it for its channel, sends
it (retrying transient failures within the call) and returns the
:class:`AlertSent` record for the ledger. It does not consult or write the
ledger and does not touch Kafka: the service does that around it, in this order
(which is what keeps the double-send window to one call):

1. skip deliveries already in the ledger;
2. ``await dispatcher.deliver(...)``;
3. produce the ``AlertSent`` record to ``edgar.alerts.sent.v1`` and record it;
4. commit the input offset once every delivery of the record is done.

A crash between 2 and 3 is the one window in which an alert can go out twice.

Only rendering is turned into a permanent failure when it breaks on a filing
(:class:`AlertRenderError`): a ``ValueError``, ``LookupError`` or ``TypeError``
raised while *sending* is a bug and propagates as itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import TypeVar

from edgarmon.core.domain.clock import Clock, Sleep
from edgarmon.core.domain.errors import ConfigurationError, PermanentDeliveryError
from edgarmon.core.domain.messages import AlertChannel, AlertSent, FilingClassified
from edgarmon.notifier.adapters.channel_rate_limit import ChannelRateLimiter
from edgarmon.notifier.adapters.delivery_retry import DeliveryRetryPolicy, retry_transient
from edgarmon.notifier.adapters.email_sender import EmailSender, SmtpConfig
from edgarmon.notifier.adapters.slack_retry import SlackRetryPolicy
from edgarmon.notifier.adapters.slack_sender import SlackSender, build_slack_client
from edgarmon.notifier.domain.alert_view import AlertView, build_alert_view
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.digest import DigestBatch
from edgarmon.notifier.domain.email_render import render_alert_email, render_digest_email
from edgarmon.notifier.domain.sent_ledger import sent_record
from edgarmon.notifier.domain.slack_blocks import SlackMessage, render_alert, render_digest
from edgarmon.notifier.route_loading import Routing
from edgarmon.notifier.settings import NotifierSettings

R = TypeVar("R")


def utc_now() -> datetime:
    return datetime.now(UTC)


class AlertRenderError(PermanentDeliveryError):
    """A filing the renderer cannot handle (a bug, or data it does not expect).
    Retrying cannot help: the record is dead-lettered, with the original exception
    as ``__cause__`` (logged with its traceback)."""


def _rendered(render: Callable[[], R]) -> R:
    """Run ``render`` (pure: builds the view and the message); its failures on the
    filing's data are permanent, never retried."""
    try:
        return render()
    except (ValueError, LookupError, TypeError) as exc:
        raise AlertRenderError(f"cannot render the alert: {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class EmailIdentity:
    sender: str
    message_id_domain: str


@dataclass(slots=True)
class AlertDispatcher:
    routing: Routing
    slack: SlackSender | None
    email: EmailSender | None
    email_identity: EmailIdentity | None
    link_hosts: Collection[str]
    retry_policy: DeliveryRetryPolicy = field(default_factory=DeliveryRetryPolicy)
    sleep: Sleep = asyncio.sleep
    now: Callable[[], datetime] = utc_now

    def view(self, delivery: Delivery, classified: FilingClassified) -> AlertView:
        return build_alert_view(
            classified,
            route=delivery.route,
            tickers=self.routing.tickers,
            link_hosts=self.link_hosts,
        )

    async def deliver(self, delivery: Delivery, classified: FilingClassified) -> AlertSent:
        """Render and send one alert; raises a ``DeliveryError`` when it cannot."""
        if delivery.channel is AlertChannel.SLACK:
            message = _rendered(
                lambda: render_alert(self.view(delivery, classified), delivery.destination)
            )
            reference = await self._post(message)
        else:
            identity = self._identity()
            date = self.now()
            mail = _rendered(
                lambda: render_alert_email(
                    self.view(delivery, classified),
                    sender=identity.sender,
                    recipient=delivery.destination,
                    domain=identity.message_id_domain,
                    date=date,
                )
            )
            reference = await self._mail(mail)
        return sent_record(delivery, sent_at=self.now(), reference=reference)

    async def deliver_digest(self, batch: DigestBatch) -> tuple[AlertSent, ...]:
        """Send one digest message; return a ledger record per filing in it."""

        def views() -> list[AlertView]:
            return [
                self.view(delivery, classified)
                for delivery, classified in zip(batch.deliveries, batch.filings, strict=True)
            ]

        if batch.channel is AlertChannel.SLACK:
            message = _rendered(
                lambda: render_digest(views(), route=batch.route, channel=batch.destination)
            )
            reference = await self._post(message)
        else:
            identity = self._identity()
            date = self.now()
            mail = _rendered(
                lambda: render_digest_email(
                    views(),
                    route=batch.route,
                    sender=identity.sender,
                    recipient=batch.destination,
                    domain=identity.message_id_domain,
                    date=date,
                )
            )
            reference = await self._mail(mail)
        sent_at = self.now()
        return tuple(
            sent_record(delivery, sent_at=sent_at, reference=reference)
            for delivery in batch.deliveries
        )

    async def _post(self, message: SlackMessage) -> str:
        if self.slack is None:
            raise ConfigurationError("a Slack delivery needs EDGARMON_SLACK_BOT_TOKEN")
        slack = self.slack
        return await retry_transient(
            lambda: slack.send(message), policy=self.retry_policy, sleep=self.sleep
        )

    async def _mail(self, mail: EmailMessage) -> str:
        if self.email is None:
            raise ConfigurationError("an e-mail delivery needs EDGARMON_SMTP_HOST")
        email = self.email
        return await retry_transient(
            lambda: email.send(mail), policy=self.retry_policy, sleep=self.sleep
        )

    def _identity(self) -> EmailIdentity:
        if self.email_identity is None:
            raise ConfigurationError("an e-mail delivery needs EDGARMON_SMTP_FROM")
        return self.email_identity


def build_dispatcher(
    settings: NotifierSettings,
    routing: Routing,
    *,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> AlertDispatcher:
    """The dispatcher for ``settings``: a Slack sender when a bot token is set, an
    e-mail sender when an SMTP host and From address are."""
    slack = None
    if settings.slack_bot_token is not None:
        policy = SlackRetryPolicy(
            connection_retries=settings.slack_connection_retries,
            rate_limit_retries=settings.slack_rate_limit_retries,
            server_error_retries=settings.slack_server_error_retries,
            max_retry_after_seconds=settings.slack_max_retry_after_seconds,
        )
        client = build_slack_client(
            api_url=settings.slack_api_url,
            token=settings.slack_bot_token,
            timeout_seconds=settings.slack_timeout_seconds,
            policy=policy,
            sleep=sleep,
        )
        limiter = ChannelRateLimiter(
            interval=settings.slack_channel_interval_seconds,
            burst=settings.slack_channel_burst,
            clock=clock,
            sleep=sleep,
        )
        slack = SlackSender(client, limiter)
    email = identity = None
    if settings.smtp_host and settings.smtp_from:
        email = EmailSender(SmtpConfig.from_settings(settings))
        identity = EmailIdentity(settings.smtp_from, settings.message_id_domain())
    return AlertDispatcher(
        routing=routing,
        slack=slack,
        email=email,
        email_identity=identity,
        link_hosts=settings.alert_link_hosts,
        retry_policy=DeliveryRetryPolicy(
            attempts=settings.delivery_attempts,
            backoff_seconds=settings.delivery_backoff_seconds,
            max_backoff_seconds=settings.delivery_max_backoff_seconds,
        ),
        sleep=sleep,
    )
