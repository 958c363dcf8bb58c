"""``GET /metrics`` on ``tglake serve``: :data:`tglake.metrics.METRICS` in the Prometheus text
format.

The counting is ours (stdlib, shared with the webhook Lambda, whose zip holds no third-party
code); the exposition is prometheus-client's, the reference implementation of the format, so
escaping, histogram buckets and content negotiation (OpenMetrics when a scraper asks for it) are
right without our writing them. A custom collector reads one consistent snapshot per scrape.
The process collector adds CPU, memory and open files on Linux.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, ProcessCollector
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tglake.metrics import LATENCY_BUCKETS, METRICS, Metrics

COUNTERS = {
    # our name: (exposed name, help, label names)
    "updates": ("tglake_updates", "Updates accepted by the webhook, by outcome and kind.",
                ("outcome", "kind")),
    "responses": ("tglake_webhook_responses", "Webhook answers, by HTTP status.", ("status",)),
    "bot_replies": ("tglake_bot_replies", "Bot replies: answered, or missed (nothing found).",
                    ("result",)),
}  # fmt: skip


class TglakeCollector(Collector):
    """Turns one :class:`~tglake.metrics.Snapshot` into Prometheus metric families."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        snap = self.metrics.snapshot()
        for key, (name, doc, labels) in COUNTERS.items():
            family = CounterMetricFamily(name, doc, labels=labels)
            for (counter, pairs), value in sorted(snap.counters.items()):
                if counter == key:
                    values = dict(pairs)
                    family.add_metric([values.get(label, "") for label in labels], value)
            yield family
        cumulative, buckets = 0, []
        for bound, count in zip(
            (*LATENCY_BUCKETS, float("inf")), snap.latency_buckets, strict=True
        ):
            cumulative += count
            buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
        yield HistogramMetricFamily(
            "tglake_webhook_latency_seconds",
            "Time from a delivery's arrival to its answer (raw write and bot reply included).",
            buckets=buckets,
            sum_value=snap.latency_sum,
        )
        if snap.etl_last_day is not None:
            midnight = dt.datetime.combine(snap.etl_last_day, dt.time(), tzinfo=dt.UTC)
            yield GaugeMetricFamily(
                "tglake_etl_last_success_day_timestamp_seconds",
                "The context_date of the last successful ETL run, as its midnight in Unix time.",
                value=midnight.timestamp(),
            )
        if snap.etl_last_seconds is not None and snap.etl_last_finished is not None:
            yield GaugeMetricFamily(
                "tglake_etl_last_success_duration_seconds",
                "How long the last successful ETL run of one day took.",
                value=snap.etl_last_seconds,
            )
            yield GaugeMetricFamily(
                "tglake_etl_last_success_timestamp_seconds",
                "When the last successful ETL run finished (Unix time).",
                value=snap.etl_last_finished.timestamp(),
            )


def registry_for(metrics: Metrics = METRICS) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TglakeCollector(metrics))
    ProcessCollector(registry=registry)
    return registry


def metrics_route(metrics: Metrics = METRICS) -> Route:
    """``GET /metrics``: the counts as the scraper asks for them (text 0.0.4 or OpenMetrics).
    Counts only: no ids, no text, no secrets."""
    registry = registry_for(metrics)

    async def endpoint(request: Request) -> Response:
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        body = await run_in_threadpool(encoder, registry)
        return Response(body, media_type=content_type)

    return Route("/metrics", endpoint, methods=["GET"])
