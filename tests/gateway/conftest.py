"""Wiring tests of the gateway: an embedded bus in a temporary directory, real SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from .support import Harness


@pytest.fixture
async def make_harness(tmp_path: Path) -> AsyncIterator[Callable[..., Harness]]:
    """Build (not start) a harness; tests subscribe extra consumers before starting it."""
    made: list[Harness] = []

    def make(**settings: Any) -> Harness:
        made.append(Harness(tmp_path, **settings))
        return made[-1]

    yield make
    for harness in made:
        await harness.stop()


@pytest.fixture
async def harness(make_harness: Callable[..., Harness]) -> Harness:
    started = make_harness()
    await started.start()
    return started
