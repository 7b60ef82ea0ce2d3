"""The distributed platform under test: each service its own OS process (`python -m
puente_<name>`), on one Kafka broker, each with its own PostgreSQL database, all on one
accelerated clock, writing traces as JSON lines under one var directory."""

from __future__ import annotations

import asyncio
import ctypes
import datetime as dt
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg
from puente_platform.settings import PlatformSettings
from puente_runtime import AcceleratedClock, SystemClock

from tests.kafka import broker
from tests.kafka.broker import Offsets, Tap

SERVICES = (
    "registration",
    "scheduling",
    "transport",
    "processing",
    "notifications",
    "gateway",
    "simulator",  # the field simulator plays the people who report departures, releases...
)
_PREFIX = "@prefix@"
Subscriptions = dict[str, dict[str, tuple[str, ...]]]  # service -> group -> topics


class _RecordingBus:
    def __init__(self) -> None:
        self.groups: dict[str, tuple[str, ...]] = {}

    def subscribe(self, topics: Any, group: str, handler: Any) -> None:
        self.groups[group] = tuple(sorted({*self.groups.get(group, ()), *topics}))

    async def publish(self, message: Any) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def subscriptions(var_dir: Path) -> Subscriptions:
    """The consumer groups each service joins and their topics, read from its composition
    root (so tests follow the services' handlers rather than a copy of them)."""
    found: Subscriptions = {}
    for name in SERVICES:
        settings = PlatformSettings(
            var_dir=var_dir / name,
            group_prefix=_PREFIX,
            bus="embedded",
            database_url=None,
            otel_exporter="none",
        )
        bus = _RecordingBus()
        app = importlib.import_module(f"puente_{name}.app").create_app(
            settings=settings, bus=bus, clock=SystemClock()
        )
        getattr(app, "service", app).engine.dispose()
        found[name] = bus.groups
    return found


def _die_with_parent() -> None:
    """Linux: the service gets SIGKILL when the test process dies, however it dies, so no
    service outlives its test and acts on the next test's families."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class _Process:
    popen: subprocess.Popen[bytes]
    log: IO[bytes]
    health_port: int


class Platform:
    def __init__(
        self,
        *,
        var_dir: Path,
        bootstrap: str,
        database_url: str,
        group_prefix: str,
        subscriptions: Subscriptions,
        start_offsets: Offsets,
        clock_speed: float = 20_000.0,
    ) -> None:
        self.var_dir = var_dir
        self.bootstrap = bootstrap
        self.database_url = database_url  # with `{service}`
        self.group_prefix = group_prefix
        self.start_offsets = start_offsets
        self.clock_speed = clock_speed
        self.epoch = time.time()
        self.clock_start: dt.datetime | None = None  # what the clock reads at the epoch
        self.gateway_port = free_port()
        self._subscriptions = subscriptions
        self._processes: dict[str, _Process] = {}
        (var_dir / "logs").mkdir(parents=True, exist_ok=True)

    def now(self) -> dt.datetime:
        """What the platform's accelerated clock reads now."""
        return AcceleratedClock(
            speed=self.clock_speed, epoch=self.epoch, start=self.clock_start
        ).now()

    # -- groups -----------------------------------------------------------------------------

    def groups_of(self, name: str) -> dict[str, tuple[str, ...]]:
        return {
            group.replace(_PREFIX, self.group_prefix): topics
            for group, topics in self._subscriptions[name].items()
        }

    async def commit_start_offsets(self) -> None:
        """Give every group of this platform the test's start offsets, before it first runs."""
        await asyncio.gather(
            *(
                broker.commit_offsets(
                    self.bootstrap,
                    group,
                    {tp: o for tp, o in self.start_offsets.items() if tp.topic in topics},
                )
                for name in SERVICES
                for group, topics in self.groups_of(name).items()
            )
        )

    # -- processes --------------------------------------------------------------------------

    def env_for(self, name: str, health_port: int, extra: Mapping[str, object]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PUENTE_")}
        env.update(
            {
                "PYTHONUNBUFFERED": "1",
                "PUENTE_BUS": "kafka",
                "PUENTE_KAFKA_BOOTSTRAP": self.bootstrap,
                "PUENTE_GROUP_PREFIX": self.group_prefix,
                "PUENTE_DATABASE_URL": self.database_url,
                "PUENTE_VAR_DIR": str(self.var_dir),
                "PUENTE_OTEL_EXPORTER": "file",
                "PUENTE_CLOCK_SPEED": str(self.clock_speed),
                "PUENTE_CLOCK_EPOCH": str(self.epoch),
                "PUENTE_HEALTH_PORT": str(health_port),
                "PUENTE_RELAY_POLL_SECONDS": "0.2",
            }
        )
        if self.clock_start is not None:
            env["PUENTE_CLOCK_START"] = self.clock_start.isoformat()
        if name == "gateway":
            env.update(
                {
                    "PUENTE_GATEWAY_HOST": "127.0.0.1",
                    "PUENTE_GATEWAY_PORT": str(self.gateway_port),
                }
            )
        if name == "simulator":
            env.update(
                {
                    "PUENTE_SIMULATOR_LATE_EVERY": "0",  # mishaps only where a test asks
                    "PUENTE_SIMULATOR_MISSED_EVERY": "0",
                }
            )
        env.update({f"PUENTE_{key.upper()}": str(value) for key, value in extra.items()})
        return env

    async def start(self, *names: str, **extra_env: object) -> None:
        """Start the named services (each with `extra_env` as PUENTE_* settings) and wait
        until every one of them is ready."""
        for name in names:
            if name in self._processes and self._processes[name].popen.poll() is None:
                raise RuntimeError(f"{name} is already running")
            port = free_port()
            log = (self.var_dir / "logs" / f"{name}.log").open("ab")
            log.write(f"---- start {name} {extra_env or ''}\n".encode())
            log.flush()
            popen = subprocess.Popen(
                [sys.executable, "-m", f"puente_{name}"],
                env=self.env_for(name, port, extra_env),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.var_dir,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            self._processes[name] = _Process(popen, log, port)
        await asyncio.gather(*(self._wait_ready(name) for name in names))

    async def _wait_ready(self, name: str, timeout: float = 60.0) -> None:
        process = self._processes[name]
        urls = [f"http://127.0.0.1:{process.health_port}/ready"]
        if name == "gateway":
            urls.append(f"{self.gateway_url}/ready")
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=1.0) as client:
            while True:
                if process.popen.poll() is not None:
                    raise AssertionError(
                        f"{name} exited with {process.popen.returncode} while "
                        f"starting:\n{self.log_of(name)}"
                    )
                try:
                    answers = [await client.get(url) for url in urls]
                    if all(a.status_code == 200 for a in answers):
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{name} not ready after {timeout}s:\n{self.log_of(name)}")
                await asyncio.sleep(0.1)

    def kill9(self, name: str) -> int:
        process = self._processes[name].popen
        process.send_signal(signal.SIGKILL)
        return process.wait(10)

    async def wait_exit(self, name: str, timeout: float) -> int:
        process = self._processes[name].popen
        deadline = time.monotonic() + timeout
        while process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} still running after {timeout}s")
            await asyncio.sleep(0.05)
        return process.returncode

    def running(self) -> list[str]:
        return [name for name, p in self._processes.items() if p.popen.poll() is None]

    async def restart(self, name: str, **extra_env: object) -> None:
        self._stop(name)
        await self.start(name, **extra_env)

    def _stop(self, name: str, timeout: float = 10.0) -> None:
        process = self._processes[name].popen
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self._processes[name].log.close()

    def stop_all(self) -> None:
        for process in self._processes.values():
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for name in self._processes:
            self._stop(name)

    # -- what the processes left behind -----------------------------------------------------

    def log_of(self, name: str, tail: int = 150) -> str:
        path = self.var_dir / "logs" / f"{name}.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        return "\n".join(lines[-tail:])

    def logs(self) -> str:
        return "\n".join(
            f"==== {name} (exit {p.popen.poll()})\n{self.log_of(name)}"
            for name, p in self._processes.items()
        )

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def admin_token(self) -> str:
        return (self.var_dir / "admin.token").read_text().strip()

    def database(self, name: str) -> str:
        return self.database_url.replace("{service}", name)

    # -- quiescence -------------------------------------------------------------------------

    def query(self, name: str, statement: str, *params: object) -> list[tuple[Any, ...]]:
        """Rows from a service's own database (a test's view behind the service's back)."""
        with psycopg.connect(self.database(name)) as connection:
            return connection.execute(statement, params).fetchall()

    def _unpublished(self) -> dict[str, int]:
        unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
        return {name: self.query(name, unpublished)[0][0] for name in self.running()}

    async def settle(self, tap: Tap, timeout: float = 30.0) -> None:
        """Wait until nothing is in flight: every running service's outbox is published, every
        group of it has committed up to the end of its topics, nothing moved since the last
        look, and the tap has read everything. Then counting messages is meaningful."""
        groups = {g: t for name in self.running() for g, t in self.groups_of(name).items()}
        partitions = list(self.start_offsets)
        previous = None
        deadline = time.monotonic() + timeout
        while True:
            unpublished = self._unpublished()
            ends = await broker.end_offsets(self.bootstrap, partitions)
            committed = await broker.committed_offsets(self.bootstrap, groups)
            lagging = [
                (group, tp)
                for group, topics in groups.items()
                for tp, end in ends.items()
                if tp.topic in topics and committed[group].get(tp, -1) < end
            ]
            state = (unpublished, ends, committed)
            if (
                not lagging
                and not any(unpublished.values())
                and state == previous
                and await tap.caught_up_with(ends)
            ):
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"not settled after {timeout}s: unpublished {unpublished}, "
                    f"lagging {lagging[:5]}"
                )
            previous = state
            await asyncio.sleep(0.3)
