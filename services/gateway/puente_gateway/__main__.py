"""`python -m puente_gateway`: the gateway as its own process, with its HTTP server."""

from __future__ import annotations

import asyncio

from puente_runtime import Settings
from puente_runtime.run import configure_logging, make_bus, make_clock, serve

from puente_gateway.app import create_app


def main() -> None:
    configure_logging()
    settings = Settings()
    bus = make_bus(settings, client_id="puente-gateway")
    gateway = create_app(settings=settings, bus=bus, clock=make_clock(settings))
    gateway.service.also_run(gateway.serve_http)
    asyncio.run(serve([gateway.service], bus, settings))


if __name__ == "__main__":
    main()
