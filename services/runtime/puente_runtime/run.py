"""Running one service as its own process: `python -m puente_<name>`."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

from puente_runtime.bus import Bus, EmbeddedBus, KafkaBus
from puente_runtime.clock import Clock, clock_from
from puente_runtime.prefix import PrefixedBus
from puente_runtime.service import Service
from puente_runtime.settings import Settings

Build = Callable[..., Service]


def make_bus(settings: Settings, *, client_id: str) -> Bus:
    bus: Bus
    if settings.bus == "kafka":
        bus = KafkaBus(settings.kafka_bootstrap, client_id=client_id)
    else:
        bus = EmbeddedBus(settings.var_dir / "bus.db")
    return PrefixedBus(bus, settings.topic_prefix) if settings.topic_prefix else bus


def make_clock(settings: Settings) -> Clock:
    return clock_from(settings.clock_speed, settings.clock_epoch, settings.clock_start)


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each start checks the schema
    logging.getLogger("puente.faststream").setLevel(logging.WARNING)


async def serve(services: list[Service], bus: Bus, settings: Settings) -> None:
    """Start the bus and the services, serve health, stop cleanly on SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await bus.start()
    for service in services:
        await service.start()
    health = None
    if settings.health_port:
        from puente_runtime.health import serve_health

        health = await serve_health(
            settings.health_port,
            lambda: all(s.ready() for s in services),
            settings.health_host,
        )
    logging.getLogger("puente").info("%s ready", ", ".join(s.name for s in services))
    await stop.wait()
    if health:
        health.close()
    for service in services:
        await service.stop()
    await bus.stop()


def main(name: str, build: Build, settings_type: type[Settings] = Settings) -> None:
    """Run the service `build` makes, with its settings (`settings_type`) read from the
    environment."""
    configure_logging()
    settings = settings_type()
    bus = make_bus(settings, client_id=f"puente-{name}")
    service = build(settings=settings, bus=bus, clock=make_clock(settings))
    asyncio.run(serve([service], bus, settings))
