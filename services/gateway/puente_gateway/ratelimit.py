"""A sliding-window rate limit kept in memory.

It holds in one gateway process: several replicas each keep their own count (so the limit is
per replica) and a restart forgets it. Enough against guessing codes by hand or by a script
from one address; a shared store would be needed behind a load balancer.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimit"]


class RateLimit:
    def __init__(
        self, *, limit: int, window_seconds: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._now = now
        self._hits: dict[str, deque[float]] = {}
        self._calls = 0

    def allow(self, *keys: str) -> bool:
        """Count one attempt against every key, unless one of them is already at its limit."""
        now = self._now()
        self._calls += 1
        if self._calls % 1000 == 0:
            self._forget_idle(now)
        recent = [self._recent(k, now) for k in keys]
        if any(len(hits) >= self._limit for hits in recent):
            return False
        for hits in recent:
            hits.append(now)
        return True

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self._window:
            hits.popleft()
        return hits

    def _forget_idle(self, now: float) -> None:
        """Keys seen once and never again would otherwise stay forever."""
        idle = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self._window]
        for k in idle:
            del self._hits[k]
