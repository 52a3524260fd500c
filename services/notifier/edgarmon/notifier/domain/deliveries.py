"""From matched routes to deliveries: one per destination.

A destination reached by several matching routes gets the filing once: from the
first route (in file order) that sends immediately, else from the first digest
route. The delivery keeps that route's name, which is part of the ledger key
(``AlertSent.ledger_key(accession, route, destination)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from edgarmon.core.domain.messages import AlertChannel, AlertSent
from edgarmon.notifier.domain.routes import Route


@dataclass(frozen=True, slots=True)
class Delivery:
    """One filing to one destination, on behalf of one route."""

    accession_number: str
    route: str
    channel: AlertChannel
    destination: str
    digest: bool = False

    @property
    def ledger_key(self) -> str:
        return AlertSent.ledger_key(self.accession_number, self.route, self.destination)


def _destinations(route: Route) -> list[tuple[AlertChannel, str]]:
    slack = [(AlertChannel.SLACK, channel) for channel in route.slack_channels]
    email = [(AlertChannel.EMAIL, address) for address in route.email_recipients]
    return slack + email


def plan_deliveries(accession_number: str, routes: Sequence[Route]) -> tuple[Delivery, ...]:
    """The deliveries for a filing that matched ``routes`` (in file order)."""
    chosen: dict[tuple[AlertChannel, str], Delivery] = {}
    for route in routes:
        for channel, destination in _destinations(route):
            current = chosen.get((channel, destination))
            if current is not None and not (current.digest and route.digest is None):
                continue
            chosen[(channel, destination)] = Delivery(
                accession_number=accession_number,
                route=route.name,
                channel=channel,
                destination=destination,
                digest=route.digest is not None,
            )
    return tuple(chosen.values())
