"""How far one AWS home goes: a small model fed by measured per-object costs.

    .venv/bin/python bench/scale_model.py                      # the figures in docs/scale.md
    .venv/bin/python bench/scale_model.py --cpu-per-object-ms 2.0 --get-latency-ms 20

Nothing here is measured at run time: the defaults are the figures `bench/etl.py` (S3 behind
the 30 ms proxy, and the local 100k/1M days) and `bench/lambda_webhook.py` printed on the
machine named in docs/performance.md; pass your own to re-run the model. Prices are AWS list
prices for us-east-1 as stated in PRICES (see the date there); check them before quoting.
"""

from __future__ import annotations

import argparse
import dataclasses

LAMBDA_SECONDS = 15 * 60
LAMBDA_MB = 10_240
SAFETY = 0.8
"""Plan for 80% of a limit: a day is never exactly the size it was yesterday."""

PRICES = {
    "as_of": "2024 list prices, us-east-1 (from the author's notes; not re-checked offline)",
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second_x86": 0.0000166667,
    "http_api_request": 1.00 / 1e6,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
}


@dataclasses.dataclass(frozen=True)
class Measured:
    get_latency_ms: float = 30.0
    """Time to first byte of one small S3 GET (the proxy's 30 ms; real S3 in-region: 10-30)."""
    read_workers: int = 64
    """Parallel GETs of the ETL (rawread.S3_READ_WORKERS)."""
    cpu_per_object_ms: float = 1.25
    """ETL process CPU per raw object on S3: boto3 GET + parse + flatten + write (measured:
    ETL process-tree CPU / objects behind the proxy; 1.25 on a quiet machine, 1.6 loaded)."""
    fixed_seconds: float = 3.5
    """Listing, previous-day check, six partition swaps and the manifest (latency-bound):
    the parallel run's time less objects × CPU per object."""
    base_mb: float = 100.0
    """Memory of the ETL process before the day's data (interpreter, pyarrow, candidates)."""
    mb_per_million: float = 120.0
    """Growth of the ETL process's peak memory per million updates (listing, dedupe slots,
    batches): 212 MB at 1M, one process as on S3 (a folder adds worker processes)."""
    webhook_handler_ms: float = 8.0
    """Warm webhook Lambda's own time per update, outside S3 (parse, validate, answer):
    assumed, not measured here."""
    put_latency_ms: float = 25.0
    """One S3 PUT of a small object (the raw update; the bot event for an answer)."""
    answered_share: float = 0.15
    """Updates the bot answers (each writes a bot event: a second PUT)."""
    webhook_mb: int = 256


@dataclasses.dataclass(frozen=True)
class EtlLimits:
    seconds_per_object: float
    by_time: int
    by_memory: int

    @property
    def updates_per_day(self) -> int:
        return min(self.by_time, self.by_memory)


def etl_limits(m: Measured) -> EtlLimits:
    """One ETL Lambda run: a day's objects are read ``read_workers`` at a time, but the
    per-object CPU runs in one Python process (the GIL), so the slower of the two rates wins."""
    per_object = max(m.get_latency_ms / m.read_workers, m.cpu_per_object_ms) / 1000
    by_time = int((LAMBDA_SECONDS * SAFETY - m.fixed_seconds) / per_object)
    by_memory = int((LAMBDA_MB * SAFETY - m.base_mb) / m.mb_per_million * 1e6)
    return EtlLimits(per_object, by_time, by_memory)


def webhook_seconds(m: Measured) -> float:
    """Mean billed duration of one webhook invocation."""
    puts = 1 + m.answered_share
    return (m.webhook_handler_ms + puts * m.put_latency_ms) / 1000


def concurrency(m: Measured, peak_per_second: float) -> float:
    """Little's law: invocations in flight at a given arrival rate."""
    return peak_per_second * webhook_seconds(m)


def cost_per_million(m: Measured) -> dict[str, float]:
    """USD per million updates, webhook and nightly ETL together."""
    webhook_gb_s = 1e6 * webhook_seconds(m) * m.webhook_mb / 1024
    etl = etl_limits(m)
    etl_gb_s = 1e6 * etl.seconds_per_object * LAMBDA_MB / 1024
    return {
        "API Gateway HTTP API": 1e6 * PRICES["http_api_request"],
        "webhook Lambda requests": 1e6 * PRICES["lambda_request"],
        "webhook Lambda duration": webhook_gb_s * PRICES["lambda_gb_second_x86"],
        "S3 PUT (update + bot events)": 1e6 * (1 + m.answered_share) * PRICES["s3_put"],
        "S3 GET (ETL reads each update)": 1e6 * PRICES["s3_get"],
        "ETL Lambda duration (10 GB)": etl_gb_s * PRICES["lambda_gb_second_x86"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for field in dataclasses.fields(Measured):
        parser.add_argument(f"--{field.name.replace('_', '-')}", type=type(field.default))
    parser.add_argument("--peak-per-second", type=float, default=200.0)
    args = parser.parse_args()
    given = {f.name: getattr(args, f.name) for f in dataclasses.fields(Measured)}
    m = Measured(**{k: v for k, v in given.items() if v is not None})
    etl = etl_limits(m)
    print(f"ETL Lambda (15 min, 10 GB, {SAFETY:.0%} of each planned):")
    print(f"  {etl.seconds_per_object * 1000:.2f} ms per object -> {etl.by_time:,} updates/day "
          f"by time; {etl.by_memory:,} by memory; limit {etl.updates_per_day:,}")  # fmt: skip
    print(f"webhook Lambda: {webhook_seconds(m) * 1000:.0f} ms per update; at a peak of "
          f"{args.peak_per_second:,.0f} updates/s, {concurrency(m, args.peak_per_second):.0f} "
          "concurrent executions (account default: 1,000)")  # fmt: skip
    costs = cost_per_million(m)
    print(f"cost per million updates ({PRICES['as_of']}):")
    for item, usd in costs.items():
        print(f"  {item:<34} ${usd:7.2f}")
    print(f"  {'total':<34} ${sum(costs.values()):7.2f}")


if __name__ == "__main__":
    main()
