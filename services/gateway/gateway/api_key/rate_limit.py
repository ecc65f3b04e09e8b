"""Token-bucket rate limiting.

The buckets live in this process's memory: with N gateway replicas a key effectively gets up
to N times its rate, and a restart refills every bucket. That is acceptable while the
gateway runs as one process (``make run``) or a few replicas; a shared limiter (Redis or a
PostgreSQL counter) can replace ``RateLimiter`` behind the same ``take`` call."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float
    capacity: float
    per_second: float


class RateLimiter:
    """``rate_per_minute`` requests per minute, with bursts of up to a minute's worth."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, max_buckets: int = 100_000) -> None:
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._max_buckets = max_buckets

    def take(self, key: str, rate_per_minute: int) -> float:
        """Take one token. Returns 0 when allowed, otherwise the seconds until one is free."""
        now = self._clock()
        capacity, per_second = float(rate_per_minute), rate_per_minute / 60.0
        bucket = self._buckets.get(key)
        if bucket is None or bucket.capacity != capacity:
            if len(self._buckets) >= self._max_buckets:
                self._evict_full(now)
            bucket = _Bucket(capacity, now, capacity, per_second)
            self._buckets[key] = bucket
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * per_second)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / per_second

    def _evict_full(self, now: float) -> None:
        """Forget buckets that have refilled: they hold no state worth keeping."""
        for key, b in list(self._buckets.items()):
            if b.tokens + (now - b.updated) * b.per_second >= b.capacity:
                del self._buckets[key]

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
