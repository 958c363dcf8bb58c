"""The benchmarks still run (`make bench` is not part of `make test`): each script on a tiny
input, checked for what it prints and how it exits, never for its timings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench"


def bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_etl_benchmark_compares_tglake_with_its_floor() -> None:
    out = bench("etl.py", "--sizes", "300", "--rounds", "1", "--s3-updates", "0",
                "--naive-updates", "0", "--latency-updates", "0")  # fmt: skip
    assert "round 1 lean floor                   301 updates" in out
    assert "round 1 tglake (all tables)          301 updates" in out
    assert "ratio tglake / floor at 300: time " in out


def test_the_ingest_benchmark_finds_every_200_backed_by_its_stored_bytes() -> None:
    out = bench("ingest.py", "--updates", "300", "--concurrency", "8")
    assert "answers       {200: 300}, retried 0, failed 0, errors none" in out
    assert "raw zone      300 objects; 200s without an object: 0; bytes differing" in out


def test_the_scale_model_prints_how_far_one_lambda_goes_as_docs_scale_says() -> None:
    out = bench("scale_model.py")
    assert "1.25 ms per object -> 573,200 updates/day by time" in out  # "≈ 570,000" in the doc
    assert "≈ 570,000" in (BENCH.parent / "docs" / "scale.md").read_text()
    assert "  total                              $   7.71" in out  # "≈ $7.7" in the doc
