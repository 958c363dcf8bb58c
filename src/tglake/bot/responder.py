"""The webhook's responder: answer a stored update and record one bot event in the raw zone.

The event (``bot/context_date=<day>/<update_id>.json``) says what the bot was asked, what it
matched and how fast it answered, and who asked where (``user_id``, ``chat_id``, ``chat_type``:
the raw zone keeps ids, as the update itself does). The ETL turns ``user_id`` into ``user_key``
and drops a private chat's id; ``tglake forget`` finds a person's events by ``user_id``. The
query is kept with the spans that name people (mentions, phone numbers) already replaced. It is
written through :func:`tglake.ingest.store_update`, so a redelivered event is a no-op and a
conflicting one is kept beside the first. A failure to write the event is logged and the reply
still goes out; a failure to answer is the HTTP adapter's business (the update is stored).

The webhook's 200 body carries one Bot API method. When an answer needs more (a button press:
``answerCallbackQuery`` and the card; a long reply: several messages), the others go through
``sender`` (the Bot API, when a token is configured), in order, before the body's method;
without a sender the body holds the first message and the rest is dropped (logged).
A redelivered update (``duplicate``: Telegram did not get our 200) is answered again the same
way, without writing its bot event a second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from tglake import jsonbytes, layout, personal, telegram
from tglake.bot import commands
from tglake.bot import loop as bot_loop
from tglake.candidates.catalog import CandidateData, bundled
from tglake.config import Settings
from tglake.errors import StorageError
from tglake.ingest import Outcome, store_update
from tglake.metrics import METRICS
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

EVENT_VERSION = 2
"""2 added ``user_id`` and ``chat_type`` (version 1 events have neither)."""
QUERY_MAX = 200
WARM_UP = {"message_id": 0, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "oi xyzzy"}
"""A private question that walks every search (candidates, parties, bairros, mentions)."""


def bot_event(
    outcome: Outcome,
    answer: commands.Answer,
    method: dict[str, Any],
    *,
    latency_ms: float,
    reply_ts: dt.datetime,
) -> dict[str, Any]:
    """The bot event of one handled update (the ``bot_replies`` row's raw form)."""
    message = telegram.message_of(outcome.update) or {}
    found = message.get("chat")
    chat: dict[str, Any] = dict(found) if isinstance(found, dict) else {}
    query = personal.redact_query(answer.query, outcome.update) if answer.query else None
    return {
        "event_version": EVENT_VERSION,
        "update_id": outcome.update_id,
        "update_kind": outcome.kind,
        "chat_id": answer.chat_id,
        "chat_type": chat.get("type") if isinstance(chat.get("type"), str) else None,
        "user_id": personal.sender_id(outcome.update),
        "command": answer.command,
        "query": query[:QUERY_MAX] if query else None,
        "matched_kind": answer.matched_kind,
        "matched_ids": list(answer.matched_ids),
        "result_count": answer.result_count,
        "answered": answer.answered,
        "latency_ms": round(latency_ms, 3),
        "reply_method": method["method"],
        "reply_chars": len(answer.text),
        "reply_ts": reply_ts.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
    }


class BotResponder:
    """The bot as a webhook responder: ``wants`` is the cheap test (no search, no write) that a
    server may run on its event loop; calling it answers and records the event."""

    def __init__(
        self,
        settings: Settings,
        raw_store: ObjectStore,
        data: CandidateData,
        *,
        bot_username: str | None,
        clock: Callable[[], dt.datetime],
        sender: Callable[[dict[str, Any]], object] | None = None,
        loop: bot_loop.Loop | None = None,
    ) -> None:
        self.settings = settings
        self.raw_store = raw_store
        self.data = data
        self.bot_username = bot_username
        self.clock = clock
        self.sender = sender
        self.loop = loop

    def wants(self, outcome: Outcome) -> bool:
        """False when the bot surely has nothing to say (group chatter, edits, reactions…)."""
        also = bot_loop.OWN_COMMANDS if self.loop is not None else frozenset()
        return commands.wants_reply(outcome.update, bot_username=self.bot_username, also=also)

    def _deliver(self, update_id: int, methods: list[dict[str, Any]]) -> dict[str, Any]:
        """Send all but the last method through ``sender``; the last goes in the 200 body."""
        if self.sender is None:
            dropped = [m["method"] for m in methods if m["method"] != "sendMessage"]
            messages = [m for m in methods if m["method"] == "sendMessage"] or methods
            if len(messages) > 1 or dropped:
                log.warning(
                    "no Bot API token: update_id=%d sends only its first message, drops %d",
                    update_id,
                    len(methods) - 1,
                )
            return messages[0]
        for extra in methods[:-1]:
            try:
                self.sender(extra)
            except Exception as exc:  # the body's message still goes out
                log.warning("extra reply failed update_id=%d: %s", update_id, exc)
        return methods[-1]

    def __call__(self, outcome: Outcome) -> dict[str, Any] | None:
        started = time.perf_counter()
        answer = bot_loop.handle(
            outcome.update, self.data, self.loop, bot_username=self.bot_username
        )
        if answer is None:
            return None
        method = self._deliver(outcome.update_id, commands.to_methods(answer))
        if outcome.status == "duplicate":
            log.debug("bot reply again update_id=%d (redelivered)", outcome.update_id)
            return method
        now = self.clock()
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
            day = outcome.day or layout.context_date(now, self.settings.tz)
            store_update(
                self.raw_store,
                day,
                outcome.update_id,
                body,
                source=layout.BOT_SOURCE,
            )
        except StorageError as exc:
            log.warning("bot event not stored update_id=%d reason=%s", outcome.update_id, exc)
        METRICS.bot_answer(answer.answered)
        log.debug(
            "bot reply update_id=%d command=%s matched=%s results=%d answered=%s",
            outcome.update_id,
            answer.command,
            answer.matched_kind,
            answer.result_count,
            answer.answered,
        )
        return method


def make_responder(
    settings: Settings,
    raw_store: ObjectStore,
    candidates: CandidateData | None = None,
    *,
    bot_username: str | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    sender: Callable[[dict[str, Any]], object] | None = None,
    loop: bot_loop.Loop | None = None,
) -> BotResponder:
    """A responder for :func:`tglake.adapters.http.create_app` (``responder=``); ``sender``
    makes one Bot API call (a button's ack, a long reply's other parts); with ``loop``
    (:func:`tglake.bot.loop.make_loop`) it uses approved aliases and people's bairros."""
    data = candidates if candidates is not None else bundled()
    # build the search indexes now, not inside the first answers' requests
    commands.handle({"update_id": 0, "message": WARM_UP}, data, bot_username=bot_username)
    return BotResponder(
        settings,
        raw_store,
        data,
        bot_username=bot_username,
        clock=clock,
        sender=sender,
        loop=loop if loop is not None else bot_loop.Loop(),  # contexts in memory, no aliases
    )
