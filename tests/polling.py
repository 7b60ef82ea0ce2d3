"""The one way a test waits: poll a check until it holds, and fail at a deadline naming what
was awaited (never sleep and hope)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any


async def eventually(
    check: Callable[[], Any],
    *,
    timeout: float = 5.0,
    what: str = "the condition",
    every: float = 0.05,
) -> Any:
    """Poll until `check()` (maybe a coroutine) returns something truthy, and return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(every)
