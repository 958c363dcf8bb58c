"""CloudWatch metrics from the Lambda logs: Embedded Metric Format (EMF) lines.

A log line that is a JSON object with an ``_aws`` block becomes CloudWatch metrics with no API
call (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
CloudWatch_Embedded_Metric_Format_Specification.html). Powertools' Metrics writes the same
lines, but the webhook zip is stdlib + boto3 (its cold start and size are measured in the
README), and one record shape is all we need: a dozen lines here instead of a dependency.

Each invocation prints what changed in :data:`tglake.metrics.METRICS` during it: the same
counts ``GET /metrics`` shows on ``tglake serve``. Each count is published with its labels as
dimensions and once without any, so an alarm can watch the total (``Updates`` is what the
"no update for N hours" alarm of the SAM template reads).
"""

from __future__ import annotations

import json
from typing import Any

from tglake.metrics import Snapshot

DEFAULT_NAMESPACE = "tglake"

COUNTS = {
    # our counter: (CloudWatch metric, {label: dimension})
    "updates": ("Updates", {"outcome": "Outcome", "kind": "Kind"}),
    "responses": ("WebhookResponses", {"status": "Status"}),
    "bot_replies": ("BotReplies", {"result": "Result"}),
}


def record(
    namespace: str,
    timestamp_ms: int,
    values: dict[str, tuple[float, str]],
    dimensions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One EMF object: ``values`` maps a metric name to (value, unit); each metric is published
    without dimensions and, when ``dimensions`` are given, with all of them."""
    dims = dimensions or {}
    sets: list[list[str]] = [[], list(dims)] if dims else [[]]
    return {
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [
                {
                    "Namespace": namespace,
                    "Dimensions": sets,
                    "Metrics": [{"Name": name, "Unit": unit} for name, (_, unit) in values.items()],
                }
            ],
        },
        **dims,
        **{name: value for name, (value, _) in values.items()},
    }


def changes(
    before: Snapshot, after: Snapshot, *, namespace: str, timestamp_ms: int
) -> list[dict[str, Any]]:
    """The EMF objects for what was counted between two snapshots (none when nothing was)."""
    out = []
    for (counter, labels), value in sorted(after.counters.items()):
        grown = value - before.counters.get((counter, labels), 0.0)
        if grown <= 0 or counter not in COUNTS:
            continue
        metric, names = COUNTS[counter]
        dims = {names[label]: text for label, text in labels if label in names}
        out.append(record(namespace, timestamp_ms, {metric: (grown, "Count")}, dims))
    answered = after.latency_count - before.latency_count
    if answered > 0:
        mean_ms = (after.latency_sum - before.latency_sum) * 1000 / answered
        out.append(
            record(namespace, timestamp_ms, {"WebhookLatency": (round(mean_ms, 3), "Milliseconds")})
        )
    return out


def lines(objects: list[dict[str, Any]]) -> str:
    """The objects as log lines (one compact JSON object per line)."""
    return "".join(json.dumps(o, separators=(",", ":"), ensure_ascii=False) + "\n" for o in objects)
