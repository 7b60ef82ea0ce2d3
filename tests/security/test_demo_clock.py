"""Issue 8, item 8: the demo's accelerated clock goes on where it stopped after a restart,
instead of jumping back to today (timestamps going backwards)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from puente_runtime import AcceleratedClock
from puente_runtime.clock import record, resumed

SPEED = 7200.0


async def test_a_restarted_demo_clock_resumes_where_it_stopped(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    first = resumed(path, speed=SPEED)
    running = asyncio.create_task(record(first, path))
    await asyncio.sleep(0.6)  # the demo runs: more than an hour of simulated time
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    stopped_at = first.now()

    second = resumed(path, speed=SPEED)

    assert second.now() >= stopped_at
    assert second.now() - stopped_at < (stopped_at - AcceleratedClock(speed=1).now()) / 2
