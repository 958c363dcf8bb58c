"""The one table from our outcomes and errors to HTTP answers, shared by the ASGI app and the
Lambda handler so both give Telegram the same answers (and log and count them the same way)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from tglake import jsonbytes
from tglake.errors import (
    BadSecretError,
    InvalidUpdateError,
    PayloadTooLargeError,
    StorageUnavailableError,
    TglakeError,
)
from tglake.ingest import Outcome, Responder
from tglake.metrics import METRICS, Metrics, Snapshot

ERROR_STATUS: dict[type[TglakeError], int] = {
    InvalidUpdateError: 400,
    BadSecretError: 401,
    PayloadTooLargeError: 413,
    StorageUnavailableError: 503,
}


def status_for(exc: TglakeError) -> int:
    """HTTP status for one of our errors; anything unexpected is a 500."""
    for cls in type(exc).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


def error_body(exc: TglakeError) -> bytes:
    # the messages of these errors are ours and never carry the body, token or secret
    return json.dumps({"ok": False, "error": str(exc)}).encode()


OK_BODY = b'{"ok":true}'


def ok_body(reply: dict[str, Any] | None) -> bytes:
    """A 200 body: the bot's reply as a Bot API method call, or a plain acknowledgement."""
    return jsonbytes.dumps(reply) if reply else OK_BODY


log = logging.getLogger("tglake.webhook")

SUMMARY_SECONDS = 60.0


class Summary:
    """A server's INFO log of its deliveries: one line with the counts since the last line, at
    most every ``every`` seconds; each delivery's own line is DEBUG. Formatting and writing a
    line per update cost a busy server more CPU than storing the update (bench/README.md).
    The counts come from :data:`~tglake.metrics.METRICS`, so the log and ``/metrics`` agree.
    """

    def __init__(
        self,
        metrics: Metrics = METRICS,
        *,
        every: float = SUMMARY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metrics, self.every, self.clock = metrics, every, clock
        self.last = metrics.snapshot()
        self.due = clock() + every
        self._flushing = threading.Lock()  # S3 deliveries tick from worker threads

    def tick(self) -> None:
        """Log the summary when it is due (a clock read otherwise)."""
        if self.clock() >= self.due:
            self.flush()

    def flush(self) -> None:
        """Log the counts since the last summary now, if there are any (and no other thread
        is logging them)."""
        if not self._flushing.acquire(blocking=False):
            return
        try:
            now = self.metrics.snapshot()
            self.due = self.clock() + self.every
            line = summary_line(self.last, now)
            self.last = now
        finally:
            self._flushing.release()
        if line:
            log.info("%s", line)


def summary_line(before: Snapshot, after: Snapshot) -> str | None:
    """``since the last summary: updates 1,204 (14 duplicate, 1,190 stored); rejected 3
    (3 HTTP 401); bot replies 180 (171 answered, 9 missed)``: what changed between two
    snapshots; None when nothing did."""

    def delta(name: str, label: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for (counter, labels), value in after.counters.items():
            if counter != name:
                continue
            change = int(value - before.counters.get((counter, labels), 0.0))
            key = dict(labels)[label]
            if change:
                found[key] = found.get(key, 0) + change
        return found

    def part(title: str, counts: dict[str, int]) -> str:
        detail = ", ".join(f"{v:,} {k}" for k, v in sorted(counts.items()))
        return f"{title} {sum(counts.values()):,} ({detail})"

    updates = delta("updates", "outcome")
    rejected = {f"HTTP {k}": v for k, v in delta("responses", "status").items() if k != "200"}
    replies = delta("bot_replies", "result")
    parts = [part("updates", updates)] if updates else []
    parts += [part("rejected", rejected)] if rejected else []
    parts += [part("bot replies", replies)] if replies else []
    return "since the last summary: " + "; ".join(parts) if parts else None


def reject(
    exc: TglakeError, started: float, *, summary: Summary | None = None
) -> tuple[int, bytes]:
    """The answer to a refused delivery, logged each time (an outage as an error, bad input
    as info) and counted in ``summary``."""
    status = status_for(exc)
    METRICS.delivery(status, time.perf_counter() - started)
    log_fn = log.error if isinstance(exc, StorageUnavailableError) else log.info
    log_fn("update rejected status=%d reason=%s latency_ms=%.2f", status, exc,
           (time.perf_counter() - started) * 1000)  # fmt: skip
    if summary is not None:
        summary.tick()
    return status, error_body(exc)


def accept(
    outcome: Outcome,
    responder: Responder | None,
    started: float,
    *,
    summary: Summary | None = None,
) -> bytes:
    """The 200 body for a stored (or ignored) update: the bot's reply when it has one. The
    update is already stored, so a failing reply is logged and answered with a plain 200.
    With ``summary`` the update's line is DEBUG and the summary counts it; else INFO (a
    Lambda's one update per invocation)."""
    reply = None
    # a duplicate is Telegram redelivering because our 200 was lost: answer it again
    if responder is not None and outcome.status in ("stored", "conflict", "duplicate"):
        try:
            reply = responder(outcome)
        except Exception:
            log.exception("reply failed update_id=%d", outcome.update_id)
    seconds = time.perf_counter() - started
    METRICS.delivery(200, seconds, outcome=outcome.status, kind=outcome.kind)
    log.log(logging.INFO if summary is None else logging.DEBUG,
            "update update_id=%d kind=%s outcome=%s latency_ms=%.2f", outcome.update_id,
            outcome.kind, outcome.status, seconds * 1000)  # fmt: skip
    if summary is not None:
        summary.tick()
    return ok_body(reply)
