"""`make run`: the whole platform in one process on embedded defaults."""

from __future__ import annotations

import asyncio

from puente_runtime import Clock, Settings
from puente_runtime.clock import record, resumed
from puente_runtime.datadir import claim
from puente_runtime.run import configure_logging, make_bus, make_clock, serve

from puente_platform import demo
from puente_platform.app import create_platform
from puente_platform.settings import PlatformSettings

CLOCK_FILE = "clock"


def _demo(settings: Settings) -> bool:
    """An accelerated clock that no epoch or start pins: the demo's, which resumes."""
    return settings.clock_speed != 1.0 and settings.clock_epoch is None and not settings.clock_start


def _clock(settings: Settings) -> Clock:
    if _demo(settings):
        return resumed(settings.var_dir / CLOCK_FILE, speed=settings.clock_speed)
    return make_clock(settings)


def main() -> None:
    configure_logging()
    settings = PlatformSettings()
    lock = claim(settings.var_dir)  # held until the process ends
    bus = make_bus(settings, client_id="puente-platform")  # embedded unless PUENTE_BUS says
    clock = _clock(settings)
    platform = create_platform(settings=settings, bus=bus, clock=clock)
    if settings.simulator and settings.demo_families > 0:
        gateway = platform.gateway.service
        seeder = demo.Seeder(
            gateway, count=settings.demo_families, var_dir=settings.var_dir, clock=clock
        )
        gateway.also_run(seeder.run)
        print(f"demo: {settings.demo_families} families registering, a policy announced")
    platform.gateway.service.also_run(platform.gateway.serve_http)
    if _demo(settings):
        platform.gateway.service.also_run(lambda: record(clock, settings.var_dir / CLOCK_FILE))
    count = len(platform.all_services)
    print(f"Puente: {count} services in one process, data under {settings.var_dir}/", flush=True)
    url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    print(f"GraphQL at {url}/graphql", flush=True)
    token = settings.var_dir / "admin.token"
    print(f"Console at {url}/ (sign in with the token in {token})", flush=True)
    asyncio.run(serve(platform.all_services, bus, settings))
    lock.close()


if __name__ == "__main__":
    main()
