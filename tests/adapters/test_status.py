"""The webhook's INFO log: one summary line a minute, counted from the same metrics as /metrics."""

from __future__ import annotations

import logging

import pytest

from tglake.adapters.status import Summary, summary_line
from tglake.metrics import Metrics


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def summary_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tglake.webhook"]


def test_the_summary_waits_for_its_minute_then_says_what_changed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics, clock = Metrics(), Clock()
    summary = Summary(metrics, every=60.0, clock=clock)
    caplog.set_level(logging.INFO, logger="tglake")
    for outcome in ("stored", "stored", "duplicate"):
        metrics.delivery(200, 0.001, outcome=outcome, kind="message")
        summary.tick()
    metrics.delivery(401, 0.0001)
    metrics.bot_answer(True)
    summary.tick()
    assert summary_lines(caplog) == []  # not a minute yet
    clock.now += 60.0
    summary.tick()
    assert summary_lines(caplog) == [
        "since the last summary: updates 3 (1 duplicate, 2 stored); rejected 1 (1 HTTP 401); "
        "bot replies 1 (1 answered)"
    ]


def test_the_next_summary_counts_only_what_came_after_the_last(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics, clock = Metrics(), Clock()
    metrics.delivery(200, 0.001, outcome="stored", kind="message")  # before the server started
    summary = Summary(metrics, every=60.0, clock=clock)
    caplog.set_level(logging.INFO, logger="tglake")
    clock.now += 61.0
    summary.tick()  # nothing new since it started: no line
    metrics.delivery(200, 0.001, outcome="conflict", kind="edited_message")
    clock.now += 61.0
    summary.tick()
    assert summary_lines(caplog) == ["since the last summary: updates 1 (1 conflict)"]


def test_a_quiet_minute_logs_nothing() -> None:
    metrics = Metrics()
    assert summary_line(metrics.snapshot(), metrics.snapshot()) is None
