"""The process's operational counts: deliveries, bot answers, the last ETL run.

Stdlib only, because the webhook Lambda (stdlib + boto3) counts with the same code as
``tglake serve``: the ASGI app and the Lambda handler both record through
:mod:`tglake.adapters.status`, the bot's responder records its answers, and the scheduler its
ETL runs. Two adapters read it: ``GET /metrics`` (Prometheus text, :mod:`tglake.adapters.
prometheus`) and the Lambda's CloudWatch Embedded Metric Format lines
(:mod:`tglake.adapters.emf`). One process-wide :data:`METRICS`, like a Prometheus client's
default registry: recording is a lock and a dict update, cheap beside a raw write.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import threading

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Upper bounds (seconds) of the webhook latency histogram: a local write takes about a
millisecond, an S3 PUT tens of them, a bot answer with its event up to a few hundred."""

Labels = tuple[tuple[str, str], ...]
"""A counter's labels, sorted by name: ``(("kind", "message"), ("outcome", "stored"))``."""


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the counts at one moment."""

    counters: dict[tuple[str, Labels], float]
    latency_buckets: tuple[int, ...]
    """Observations at or under each bound of :data:`LATENCY_BUCKETS` (not cumulative)."""
    latency_sum: float
    latency_count: int
    etl_last_day: dt.date | None
    etl_last_seconds: float | None
    etl_last_finished: dt.datetime | None


class Metrics:
    """Counters, one latency histogram and the last successful ETL run; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, Labels], float] = {}
        self._buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one is +Inf
        self._sum = 0.0
        self._count = 0
        self._etl: tuple[dt.date, float, dt.datetime] | None = None

    def _inc(self, name: str, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        self._counters[key] = self._counters.get(key, 0.0) + 1.0

    def delivery(self, status: int, seconds: float, *, outcome: str = "", kind: str = "") -> None:
        """One webhook answer: its HTTP status, how long it took, and for an accepted update
        (``outcome`` given) what happened to it and its kind."""
        counters = self._counters
        with self._lock:
            key: tuple[str, Labels] = ("responses", (("status", str(status)),))  # sorted labels
            counters[key] = counters.get(key, 0.0) + 1.0
            if outcome:
                key = ("updates", (("kind", kind or "unknown"), ("outcome", outcome)))
                counters[key] = counters.get(key, 0.0) + 1.0
            self._buckets[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
            self._sum += seconds
            self._count += 1

    def bot_answer(self, answered: bool) -> None:
        """The bot replied: with what was asked (answered) or with a miss (not found)."""
        with self._lock:
            self._inc("bot_replies", result="answered" if answered else "missed")

    def etl_success(self, day: dt.date, seconds: float, finished: dt.datetime) -> None:
        with self._lock:
            self._etl = (day, seconds, finished)

    def snapshot(self) -> Snapshot:
        with self._lock:
            etl = self._etl
            return Snapshot(
                counters=dict(self._counters),
                latency_buckets=tuple(self._buckets),
                latency_sum=self._sum,
                latency_count=self._count,
                etl_last_day=etl[0] if etl else None,
                etl_last_seconds=etl[1] if etl else None,
                etl_last_finished=etl[2] if etl else None,
            )


METRICS = Metrics()
"""The process's counts (a Lambda container's, or one ``tglake serve``'s)."""
