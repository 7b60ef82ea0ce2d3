"""`make run`: the whole platform in one process on embedded defaults."""

from __future__ import annotations

import asyncio

from puente_runtime.datadir import claim
from puente_runtime.run import configure_logging, make_bus, make_clock, serve

from puente_platform.app import create_platform
from puente_platform.settings import PlatformSettings


def main() -> None:
    configure_logging()
    settings = PlatformSettings()
    lock = claim(settings.var_dir)  # held until the process ends
    bus = make_bus(settings, client_id="puente-platform")  # embedded unless PUENTE_BUS says
    platform = create_platform(settings=settings, bus=bus, clock=make_clock(settings))
    platform.gateway.service.also_run(platform.gateway.serve_http)
    count = len(platform.all_services)
    print(f"Puente: {count} services in one process, data under {settings.var_dir}/", flush=True)
    print(f"GraphQL at http://{settings.gateway_host}:{settings.gateway_port}/graphql", flush=True)
    asyncio.run(serve(platform.all_services, bus, settings))
    lock.close()


if __name__ == "__main__":
    main()
