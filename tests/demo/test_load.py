"""A small version of bench/load.py: the real `tglake serve` process under 32 connections,
10% of the updates delivered twice, then the ETL: nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from tglake.demo.load import run_load


def test_under_load_every_200_is_stored_once_with_the_exact_bytes(tmp_path: Path) -> None:
    result = run_load(tmp_path, updates=2000, concurrency=32, redelivery_rate=0.10, seed=9)
    play = result.play
    assert play.posted == play.ok == result.distinct + result.redeliveries
    assert play.failed == 0
    assert 150 < result.redeliveries < 260
    assert result.missing == []
    assert result.mismatched == []
    assert result.unacknowledged_stored == 0
    # one object per update; only a redelivery that crossed a real midnight could add one
    assert result.distinct <= result.stored <= result.distinct + result.redeliveries
    # and the ETL turns the distinct updates into as many rows (or unknown-kind counts)
    assert result.etl is not None
    assert result.etl.accounted == result.distinct
    assert result.nothing_lost
