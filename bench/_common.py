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


def median_spread(values: list[float]) -> str:
    """``median (min–max)`` of repeated measurements: the spread says how noisy the machine was."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    if len(ordered) == 1:
        return f"{median:.2f}"
    return f"{median:.2f} ({ordered[0]:.2f}–{ordered[-1]:.2f})"


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
