"""The one table from our outcomes and errors to HTTP answers, shared by the ASGI app and the
Lambda handler so both give Telegram the same answers (and log and count them the same way)."""

from __future__ import annotations

import json
import logging
import time
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
from tglake.metrics import METRICS

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


def ok_body(reply: dict[str, Any] | None) -> bytes:
    """A 200 body: the bot's reply as a Bot API method call, or a plain acknowledgement."""
    return jsonbytes.dumps(reply if reply else {"ok": True})


log = logging.getLogger("tglake.webhook")


def reject(exc: TglakeError, started: float) -> tuple[int, bytes]:
    """The answer to a refused delivery, logged (an outage as an error, bad input as info)."""
    status = status_for(exc)
    METRICS.delivery(status, time.perf_counter() - started)
    log_fn = log.error if isinstance(exc, StorageUnavailableError) else log.info
    log_fn("update rejected status=%d reason=%s latency_ms=%.2f", status, exc,
           (time.perf_counter() - started) * 1000)  # fmt: skip
    return status, error_body(exc)


def accept(outcome: Outcome, responder: Responder | None, started: float) -> bytes:
    """The 200 body for a stored (or ignored) update: the bot's reply when it has one. The
    update is already stored, so a failing reply is logged and answered with a plain 200."""
    reply = None
    # a duplicate is Telegram redelivering because our 200 was lost: answer it again
    if responder is not None and outcome.status in ("stored", "conflict", "duplicate"):
        try:
            reply = responder(outcome)
        except Exception:
            log.exception("reply failed update_id=%d", outcome.update_id)
    seconds = time.perf_counter() - started
    METRICS.delivery(200, seconds, outcome=outcome.status, kind=outcome.kind)
    log.info("update update_id=%d kind=%s outcome=%s latency_ms=%.2f", outcome.update_id,
             outcome.kind, outcome.status, seconds * 1000)  # fmt: skip
    return ok_body(reply)
