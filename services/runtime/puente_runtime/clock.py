"""Injectable clocks: the system's, an accelerated one for simulations, a fake for tests."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    async def sleep_until(self, moment: dt.datetime) -> None: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    async def sleep_until(self, moment: dt.datetime) -> None:
        await asyncio.sleep(max(0.0, (moment - self.now()).total_seconds()))


class AcceleratedClock:
    """Time that runs `speed` times faster than real time from a shared real `epoch`, so
    several processes started with the same epoch and speed agree on the time. At the epoch
    it reads `start` (by default, the epoch itself): a simulation may begin on any day."""

    def __init__(
        self, *, speed: float, epoch: float | None = None, start: dt.datetime | None = None
    ) -> None:
        self.speed = speed
        self.epoch = time.time() if epoch is None else epoch
        self.start = self.epoch if start is None else start.timestamp()

    def now(self) -> dt.datetime:
        simulated = self.start + (time.time() - self.epoch) * self.speed
        return dt.datetime.fromtimestamp(simulated, dt.UTC)

    async def sleep_until(self, moment: dt.datetime) -> None:
        await asyncio.sleep(max(0.0, (moment - self.now()).total_seconds() / self.speed))


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta) -> None:
        self.current += delta

    async def sleep_until(self, moment: dt.datetime) -> None:
        while self.current < moment:
            await asyncio.sleep(0.001)


def clock_from(speed: float, epoch: float | None, start: dt.datetime | None = None) -> Clock:
    if speed == 1.0 and start is None:
        return SystemClock()
    return AcceleratedClock(speed=speed, epoch=epoch, start=start)


# How often a resumable clock records its time, in real seconds: after a crash it resumes at
# most this much (times its speed) later than it stopped, never earlier.
RECORD_EVERY_SECONDS = 0.25


def resumed(path: Path, *, speed: float) -> AcceleratedClock:
    """An accelerated clock that goes on from the time recorded in `path` by `record`, so a
    demo's simulated time does not jump back to today when it restarts."""
    try:
        last = dt.datetime.fromisoformat(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return AcceleratedClock(speed=speed)
    unrecorded = dt.timedelta(seconds=RECORD_EVERY_SECONDS * speed)
    return AcceleratedClock(speed=speed, start=last + unrecorded)


async def record(clock: Clock, path: Path) -> None:
    """Write the clock's time to `path` until cancelled (atomically: a crash leaves the last
    whole record)."""
    written = path.with_suffix(".tmp")
    while True:
        written.write_text(clock.now().isoformat())
        written.replace(path)
        await asyncio.sleep(RECORD_EVERY_SECONDS)
