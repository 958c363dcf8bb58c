"""What the benchmarks share: a progress bar and the printed figures."""

from __future__ import annotations

import os
import platform

from tglake.demo.load import LoadResult


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {load:.1f} at the start"
    )


def print_ingest(result: LoadResult, concurrency: int) -> None:
    play = result.play
    print(
        f"posted        {play.posted:,} deliveries ({result.distinct:,} updates + "
        f"{result.redeliveries:,} redeliveries) at {concurrency} connections"
    )
    print(f"throughput    {play.per_second:,.0f} deliveries/s over {play.seconds:.1f} s")
    print(
        f"latency       p50 {play.percentile(50):.1f} ms, p99 {play.percentile(99):.1f} ms, "
        f"max {play.percentile(100):.1f} ms"
    )
    print(
        f"answers       {dict(sorted(play.statuses.items()))}, retried {play.retried}, "
        f"failed {play.failed}, errors {dict(play.errors) or 'none'}"
    )
    print(
        f"raw zone      {result.stored:,} objects; 200s without an object: "
        f"{len(result.missing)}; bytes differing from what was posted: {len(result.mismatched)}"
    )
