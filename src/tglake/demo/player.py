"""Post deliveries to a running webhook over real HTTP, the way Telegram does.

Bounded concurrency (Telegram opens up to 40 connections per bot), one keep-alive connection
per worker, the secret header on every request, and a delivery that does not get a 2xx is
retried with exponential backoff, a bounded number of times. Used by the demo and by the load
benchmarks. The HTTP client is :mod:`tglake.demo.http1` (cheap enough not to be the bottleneck).
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import time
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from tglake.demo.http1 import Connection, HttpError
from tglake.demo.simulate import Delivery
from tglake.ingest import SECRET_HEADER

SIMULATED_TIME_HEADER = "x-tglake-demo-received-at"
"""Carries a delivery's simulated ``received_at``; only the demo's own server reads it."""


@dataclasses.dataclass
class PlayStats:
    """What the player saw: each delivery counted once in ``posted``; ``retried`` counts the
    extra attempts; ``failed`` the deliveries given up after the last attempt."""

    posted: int = 0
    ok: int = 0
    retried: int = 0
    failed: int = 0
    replies: int = 0
    redelivery_replies: int = 0
    """Replies to redeliveries (answered again: Telegram resends when our 200 was lost)."""
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    errors: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    latencies: list[float] = dataclasses.field(default_factory=list, repr=False)
    acknowledged: set[int] = dataclasses.field(default_factory=set, repr=False)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds (nearest rank) over the answered attempts."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def per_second(self) -> float:
        return self.posted / self.seconds if self.seconds else 0.0


@dataclasses.dataclass(frozen=True)
class Player:
    """Posts to ``url`` (the full webhook URL)."""

    url: str
    secret: str | None = None
    concurrency: int = 16
    max_attempts: int = 6
    backoff: float = 0.05
    send_simulated_time: bool = False
    timeout: float = 30.0

    def _headers(self, delivery: Delivery) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        if self.secret is not None:
            headers[SECRET_HEADER] = self.secret
        if self.send_simulated_time:
            headers[SIMULATED_TIME_HEADER] = delivery.received_at.isoformat()
        return headers

    async def _deliver(self, conn: Connection, delivery: Delivery, stats: PlayStats) -> int:
        """One delivery until a 2xx or the last attempt; returns the final status (0: none)."""
        status = 0
        path = urlsplit(self.url).path or "/"
        for attempt in range(self.max_attempts):
            if attempt:
                stats.retried += 1
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            started = time.perf_counter()
            try:
                status, answer = await conn.post(path, delivery.body, self._headers(delivery))
            except HttpError as exc:
                stats.errors[str(exc).split(":")[0]] += 1
                status = 0
                continue
            stats.latencies.append(time.perf_counter() - started)
            stats.statuses[status] += 1
            if 200 <= status < 300:
                if b'"method"' in answer and "method" in json.loads(answer):
                    stats.replies += 1
                    stats.redelivery_replies += delivery.redelivery
                return status
        return status

    async def play(
        self,
        deliveries: Iterable[Delivery],
        on_done: Callable[[Delivery, int], None] | None = None,
    ) -> PlayStats:
        """Post every delivery; ``on_done(delivery, status)`` after each one (for progress)."""
        stats = PlayStats()
        source: Iterator[Delivery] = iter(deliveries)
        target = urlsplit(self.url)
        if target.scheme != "http" or target.hostname is None:
            raise ValueError(f"the player posts to a plain http:// URL, not {self.url!r}")
        host, port = target.hostname, target.port or 80

        async def worker() -> None:
            conn = Connection(host, port, self.timeout)
            try:
                for delivery in source:  # workers share one iterator: bounded, in order
                    stats.posted += 1
                    status = await self._deliver(conn, delivery, stats)
                    if 200 <= status < 300:
                        stats.ok += 1
                        stats.acknowledged.add(delivery.update_id)
                    else:
                        stats.failed += 1
                    if on_done is not None:
                        on_done(delivery, status)
            finally:
                await conn.close()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        stats.seconds = time.perf_counter() - started
        return stats

    def play_sync(
        self,
        deliveries: Iterable[Delivery],
        on_done: Callable[[Delivery, int], None] | None = None,
    ) -> PlayStats:
        """:meth:`play` for callers that are not async."""
        return asyncio.run(self.play(deliveries, on_done))
