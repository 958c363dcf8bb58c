"""The webhook's responder: answer a stored update and record one bot event in the raw zone.

The event (``bot/context_date=<day>/<update_id>.json``) says what the bot was asked, what it
matched and how fast it answered; it holds no user id or name (the ETL derives ``user_key`` from
the raw update, which the raw zone already keeps). It is written through
:func:`tglake.ingest.store_update`, so a redelivered event is a no-op and a conflicting one is
kept beside the first. A failure to write the event is logged and the reply still goes out;
a failure to answer is the HTTP adapter's business (the update is already stored).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from tglake import jsonbytes, layout
from tglake.bot import commands
from tglake.candidates.catalog import CandidateData, bundled
from tglake.config import Settings
from tglake.errors import StorageError
from tglake.ingest import Outcome, store_update
from tglake.metrics import METRICS
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

EVENT_VERSION = 1
QUERY_MAX = 200


def bot_event(
    outcome: Outcome,
    answer: commands.Answer,
    method: dict[str, Any],
    *,
    latency_ms: float,
    reply_ts: dt.datetime,
) -> dict[str, Any]:
    """The bot event of one handled update (the ``bot_replies`` row's raw form)."""
    return {
        "event_version": EVENT_VERSION,
        "update_id": outcome.update_id,
        "update_kind": outcome.kind,
        "chat_id": answer.chat_id,
        "command": answer.command,
        "query": answer.query[:QUERY_MAX] if answer.query else None,
        "matched_kind": answer.matched_kind,
        "matched_ids": list(answer.matched_ids),
        "result_count": answer.result_count,
        "answered": answer.answered,
        "latency_ms": round(latency_ms, 3),
        "reply_method": method["method"],
        "reply_chars": len(answer.text),
        "reply_ts": reply_ts.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
    }


def make_responder(
    settings: Settings,
    raw_store: ObjectStore,
    candidates: CandidateData | None = None,
    *,
    bot_username: str | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> Callable[[Outcome], dict[str, Any] | None]:
    """A responder for :func:`tglake.adapters.http.create_app` (``responder=``)."""
    data = candidates if candidates is not None else bundled()

    def respond(outcome: Outcome) -> dict[str, Any] | None:
        started = time.perf_counter()
        answer = commands.handle(outcome.update, data, bot_username=bot_username)
        if answer is None:
            return None
        method = commands.to_method(answer)
        now = clock()
        event = bot_event(
            outcome,
            answer,
            method,
            latency_ms=(time.perf_counter() - started) * 1000,
            reply_ts=now,
        )
        body = jsonbytes.dumps(event, sort_keys=True)
        try:
            # the event goes to the update's own raw partition, so the ETL of that day sees both
            parsed = layout.parse_raw_key(outcome.key) if outcome.key else None
            day = parsed.day if parsed else layout.context_date(now, settings.tz)
            store_update(
                raw_store,
                day,
                outcome.update_id,
                body,
                source=layout.BOT_SOURCE,
            )
        except StorageError as exc:
            log.warning("bot event not stored update_id=%d reason=%s", outcome.update_id, exc)
        METRICS.bot_answer(answer.answered)
        log.info(
            "bot reply update_id=%d command=%s matched=%s results=%d answered=%s",
            outcome.update_id,
            answer.command,
            answer.matched_kind,
            answer.result_count,
            answer.answered,
        )
        return method

    return respond
