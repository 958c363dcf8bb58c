"""The nightly ETL inside serve: on time in TGLAKE_TIMEZONE, catching up, never in the way."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest

from tests.helpers import fixture_bytes, serve_in_thread
from tglake.adapters.http import create_app
from tglake.adapters.scheduler import (
    DailyScheduler,
    lifespan_for,
    next_run,
    parse_at,
    subprocess_job,
)
from tglake.config import Settings
from tglake.ingest import store_update
from tglake.metrics import METRICS
from tglake.storage import LocalStore

SP = ZoneInfo("America/Sao_Paulo")
THREE = dt.time(3, 0)


def sp(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SP).astimezone(dt.UTC)  # type: ignore[misc]


@pytest.mark.parametrize(("text", "expected"), [("03:00", THREE), ("23:59", dt.time(23, 59))])
def test_parse_at(text: str, expected: dt.time) -> None:
    assert parse_at(text) == expected


@pytest.mark.parametrize("text", ["3", "03:0", "25:00", "aa:bb", "03:00:00"])
def test_parse_at_refuses_anything_but_hh_mm(text: str) -> None:
    with pytest.raises(ValueError, match=r"HH:MM|hour must be"):
        parse_at(text)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (sp(2024, 10, 6, 2, 59), sp(2024, 10, 6, 3, 0)),
        (sp(2024, 10, 6, 3, 0), sp(2024, 10, 7, 3, 0)),
        (sp(2024, 10, 6, 23, 30), sp(2024, 10, 7, 3, 0)),
        # 03:00 in São Paulo is 06:00 UTC, whatever the machine's zone
        (
            dt.datetime(2024, 10, 6, 5, 0, tzinfo=dt.UTC),
            dt.datetime(2024, 10, 6, 6, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_next_run_is_the_next_hh_mm_in_the_configured_zone(
    now: dt.datetime, expected: dt.datetime
) -> None:
    assert next_run(now, THREE, SP) == expected


def test_next_run_on_a_day_whose_hh_mm_is_skipped_by_dst() -> None:
    ny = ZoneInfo("America/New_York")  # 2024-03-10 02:00 → 03:00
    before = dt.datetime(2024, 3, 10, 1, 0, tzinfo=ny)
    run = next_run(before, dt.time(2, 30), ny)
    assert before < run < before + dt.timedelta(hours=3)


class FakeTime:
    """A clock that moves only when the scheduler waits."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start
        self.waits: list[float] = []

    def clock(self) -> dt.datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += dt.timedelta(seconds=seconds)


def test_catches_up_at_start_then_runs_yesterday_every_night_at_three() -> None:
    # GIVEN a server started at noon on Oct 6, with Oct 4 never processed
    time = FakeTime(sp(2024, 10, 6, 12, 0))
    calls: list[tuple[dt.datetime, list[dt.date]]] = []
    pending = [[dt.date(2024, 10, 4)]]

    def job(days: list[dt.date]) -> None:
        calls.append((time.now, days))
        time.now += dt.timedelta(minutes=20)  # the ETL takes a while
        if len(calls) == 3:
            scheduler.stop()

    scheduler = DailyScheduler(
        job,
        at=THREE,
        tz=SP,
        pending=lambda today: pending.pop() if pending else [],
        clock=time.clock,
        wait=time.wait,
    )
    # WHEN its loop runs for two nights
    scheduler.loop()
    # THEN Oct 4 ran at start, and each night at 03:00 the day before
    assert calls == [
        (sp(2024, 10, 6, 12, 0), [dt.date(2024, 10, 4)]),
        (sp(2024, 10, 7, 3, 0), [dt.date(2024, 10, 6)]),
        (sp(2024, 10, 8, 3, 0), [dt.date(2024, 10, 7)]),
    ]
    assert max(time.waits) <= 300  # the clock is re-read at least every five minutes


def test_a_failing_run_is_logged_and_the_next_night_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    time = FakeTime(sp(2024, 10, 6, 2, 0))
    days_run: list[list[dt.date]] = []

    def job(days: list[dt.date]) -> None:
        days_run.append(days)
        if len(days_run) == 1:
            raise OSError("disk full")
        scheduler.stop()

    scheduler = DailyScheduler(job, at=THREE, tz=SP, clock=time.clock, wait=time.wait)
    scheduler.loop()
    assert days_run == [[dt.date(2024, 10, 5)], [dt.date(2024, 10, 6)]]
    assert "scheduled etl failed days=2024-10-05" in caplog.text


def test_the_webhook_answers_while_the_nightly_etl_runs(lake: Path) -> None:
    # GIVEN a server whose catch-up run is stuck for as long as the test wants
    running, release = threading.Event(), threading.Event()

    def job(days: list[dt.date]) -> None:
        running.set()
        release.wait(10)

    scheduler = DailyScheduler(
        job, at=THREE, tz=SP, pending=lambda today: [today - dt.timedelta(days=1)]
    )
    store = LocalStore(lake / "raw")
    app = create_app(Settings(lake=str(lake)), store, lifespan=lifespan_for(scheduler))
    try:
        with serve_in_thread(app) as url:
            assert running.wait(10)
            # WHEN Telegram posts an update during the run
            response = httpx2.post(f"{url}/webhook", content=fixture_bytes("message_text"))
            # THEN it is stored and answered at once
            assert response.status_code == 200
            assert len(list(store.list("telegram/"))) == 1
            assert not release.is_set()
    finally:
        release.set()


def test_the_serve_job_runs_tglake_etl_in_a_child_process(lake: Path) -> None:
    day = dt.date(2024, 10, 6)
    raw = LocalStore(lake / "raw")
    store_update(raw, day, 100000001, fixture_bytes("message_text"))
    subprocess_job(["--lake", str(lake)])([day])
    written = sorted(p.relative_to(lake).as_posix() for p in lake.rglob("*.parquet"))
    assert "enriched/telegram/messages/context_date=2024-10-06/data.parquet" in written
    done = METRICS.snapshot()  # what GET /metrics reports as the last successful run
    assert done.etl_last_day == day
    assert done.etl_last_seconds is not None
    assert done.etl_last_seconds > 0


def test_lifespan_without_a_scheduler_does_nothing(lake: Path) -> None:
    app: Any = create_app(Settings(lake=str(lake)), LocalStore(lake), lifespan=lifespan_for(None))
    with serve_in_thread(app) as url:
        assert httpx2.get(f"{url}/healthz").status_code == 200


def test_serve_builds_a_scheduler_that_finds_the_days_to_catch_up(lake: Path) -> None:
    from tglake.cli.serve import make_scheduler

    raw = LocalStore(lake / "raw")
    store_update(raw, dt.date(2024, 10, 5), 100000001, fixture_bytes("message_text"))
    scheduler = make_scheduler(Settings(lake=str(lake)), raw, dt.time(4, 30), None)
    assert (scheduler.at, scheduler.tz) == (dt.time(4, 30), SP)
    assert scheduler.pending(dt.date(2024, 10, 7)) == [dt.date(2024, 10, 5)]
    assert scheduler.pending(dt.date(2024, 10, 5)) == []  # not finished yet
