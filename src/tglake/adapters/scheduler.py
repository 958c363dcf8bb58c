"""The daily ETL inside ``tglake serve``: yesterday at 03:00 (``TGLAKE_TIMEZONE``), plus catch-up.

A daemon thread sleeps until the next run time, then calls ``job(days)``; the webhook's event
loop never waits for it (``tglake serve`` makes the job a separate process, so the ETL's CPU and
memory never compete with the webhook either). At start, and at every run, finished days whose
raw partition changed since their enriched one was built (``etl.pending_days``) are done too,
so a day missed while the server was down, or a failed run, is caught up.

The clock and the wait are injected: tests drive the loop through days in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from zoneinfo import ZoneInfo

from tglake.metrics import METRICS

log = logging.getLogger(__name__)

Job = Callable[[list[dt.date]], object]
"""Runs the ETL for these days, in order."""
Pending = Callable[[dt.date], list[dt.date]]
"""Finished days before ``today`` that need a run (catch-up)."""
Clock = Callable[[], dt.datetime]

MAX_WAIT_SECONDS = 300.0
"""Re-read the clock at least this often, so a suspended machine or a clock jump is noticed."""


def parse_at(value: str) -> dt.time:
    """``HH:MM`` → a time of day (ValueError otherwise)."""
    hours, sep, minutes = value.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"expected HH:MM, got {value!r}")
    return dt.time(int(hours), int(minutes))


def next_run(now: dt.datetime, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The first ``at`` in ``tz`` strictly after ``now`` (aware, UTC); a time that a DST jump
    skips runs when the clock has moved past it."""
    local = now.astimezone(tz)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=tz)
    if candidate.astimezone(dt.UTC) <= now:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=tz)
    return candidate.astimezone(dt.UTC)


class DailyScheduler:
    """Calls ``job`` with the days due: at start the pending ones, then every day at ``at`` the
    day before (and any still pending). A failing job is logged; the loop goes on."""

    def __init__(
        self,
        job: Job,
        *,
        at: dt.time,
        tz: ZoneInfo,
        pending: Pending | None = None,
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
        wait: Callable[[float], object] | None = None,
    ) -> None:
        self.job = job
        self.at = at
        self.tz = tz
        self.pending = pending or (lambda today: [])
        self.clock = clock
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    def _today(self) -> dt.date:
        return self.clock().astimezone(self.tz).date()

    def _run(self, days: list[dt.date]) -> None:
        if not days:
            return
        log.info("scheduled etl days=%s", ",".join(d.isoformat() for d in days))
        try:
            self.job(days)
        except Exception:
            log.exception("scheduled etl failed days=%s", ",".join(d.isoformat() for d in days))

    def _due(self, yesterday: dt.date | None) -> list[dt.date]:
        try:
            days = set(self.pending(self._today()))
        except Exception:
            log.exception("could not list the days to catch up")
            days = set()
        if yesterday is not None:
            days.add(yesterday)
        return sorted(days)

    def loop(self) -> None:
        """The thread's body: catch up, then sleep until each run time and run."""
        self._run(self._due(None))
        while not self._stop.is_set():
            due = next_run(self.clock(), self.at, self.tz)
            while not self._stop.is_set() and (left := (due - self.clock()).total_seconds()) > 0:
                self._wait(min(left, MAX_WAIT_SECONDS))
            if self._stop.is_set():
                break
            day = due.astimezone(self.tz).date() - dt.timedelta(days=1)
            self._run(self._due(day))

    def start(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.loop, name="tglake-etl-scheduler", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = 10.0) -> None:
        """Ask the loop to end; a run in progress finishes first (up to ``timeout``)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)


def lifespan_for(
    scheduler: DailyScheduler | None,
) -> Callable[[object], AbstractAsyncContextManager[None]]:
    """An ASGI lifespan that starts the scheduler with the server and stops it at shutdown."""

    @asynccontextmanager
    async def lifespan(app: object) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.stop(timeout=0)

    return lifespan


def subprocess_job(extra_args: list[str]) -> Job:
    """A job that runs ``tglake etl --date D`` in a child process for each day: the ETL's CPU
    and memory stay out of the webhook's process. Settings come from the same environment."""

    def job(days: list[dt.date]) -> None:
        for day in days:
            started = time.monotonic()
            command = [sys.executable, "-m", "tglake", "etl", "--date", day.isoformat()]
            result = subprocess.run(  # noqa: S603 - our own executable, fixed arguments
                [*command, *extra_args], check=False, capture_output=True
            )
            if result.returncode != 0:
                tail = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
                log.error("etl day=%s exited %d: %s", day, result.returncode, " ".join(tail))
            else:
                seconds = time.monotonic() - started
                METRICS.etl_success(day, seconds, dt.datetime.now(dt.UTC))
                log.info("etl day=%s done seconds=%.2f", day, seconds)

    return job
