"""How each service is doing: consumer lag, dead letters, parked messages and outbox backlog,
the figures its `/metrics` serves. Services in this process are read directly; those of the
distributed run through the URLs in `PUENTE_METRICS_PEERS`."""

from __future__ import annotations

import asyncio
import logging
import urllib.request

import strawberry
from puente_runtime import metrics
from strawberry.types import Info

from puente_gateway.api.permissions import gateway

__all__ = ["ServiceOperations", "operations"]

PEER_TIMEOUT_SECONDS = 2.0
log = logging.getLogger("puente.gateway")


@strawberry.type(description="One service's backlog and failures, summed over its consumers.")
class ServiceOperations:
    service: str
    lag: int = strawberry.field(description="Messages published and not yet applied")
    dead_letters: int = strawberry.field(description="Messages dead-lettered since it started")
    parked: int = strawberry.field(description="Messages waiting now for their cause")
    outbox_backlog: int = strawberry.field(description="Events stored, not yet published")


def _scrape(url: str) -> str:
    with urllib.request.urlopen(url, timeout=PEER_TIMEOUT_SECONDS) as answer:
        text: str = answer.read().decode()
    return text


async def operations(info: Info) -> list[ServiceOperations]:
    """Every service's figures; a peer that does not answer is left out, not guessed."""
    peers = [url.strip() for url in gateway(info).settings.metrics_peers.split(",") if url.strip()]
    scraped = await asyncio.gather(
        *(asyncio.to_thread(_scrape, url) for url in peers), return_exceptions=True
    )
    figures = {one.service: one for one in metrics.operations()}
    for url, text in zip(peers, scraped, strict=True):
        if isinstance(text, BaseException):
            log.warning("no metrics from %s: %s", url, type(text).__name__)
            continue
        figures.update({one.service: one for one in metrics.operations(metrics.parse(text))})
    return [
        ServiceOperations(
            service=one.service,
            lag=one.lag,
            dead_letters=one.dead_letters,
            parked=one.parked,
            outbox_backlog=one.outbox_backlog,
        )
        for _, one in sorted(figures.items())
    ]
