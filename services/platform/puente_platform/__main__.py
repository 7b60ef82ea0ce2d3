"""`make run`: the whole platform in one process on embedded defaults."""

from __future__ import annotations

import asyncio

from puente_runtime.run import configure_logging, make_bus, make_clock, serve

from puente_platform import demo
from puente_platform.app import create_platform
from puente_platform.settings import PlatformSettings


def main() -> None:
    configure_logging()
    settings = PlatformSettings()
    bus = make_bus(settings, client_id="puente-platform")  # embedded unless PUENTE_BUS says
    clock = make_clock(settings)
    platform = create_platform(settings=settings, bus=bus, clock=clock)
    if settings.simulator and settings.demo_families > 0:
        gateway = platform.gateway.service
        seeder = demo.Seeder(
            gateway, count=settings.demo_families, var_dir=settings.var_dir, clock=clock
        )
        gateway.also_run(seeder.run)
        print(f"demo: {settings.demo_families} families registering, a policy announced")
    platform.gateway.service.also_run(platform.gateway.serve_http)
    count = len(platform.all_services)
    print(f"Puente: {count} services in one process, data under {settings.var_dir}/", flush=True)
    url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    print(f"GraphQL at {url}/graphql", flush=True)
    token = settings.var_dir / "admin.token"
    print(f"Console at {url}/ (sign in with the token in {token})", flush=True)
    asyncio.run(serve(platform.all_services, bus, settings))


if __name__ == "__main__":
    main()
