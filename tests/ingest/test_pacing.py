"""Paced replies in polling mode, against the fake Bot API over real HTTP.

The pacer's clock is the test's: :meth:`Pacer.pump` is driven at chosen instants, so limits
are checked by counting what went out at each instant, never by measuring time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import load_fixture
from tglake.adapters.telegram_api import TelegramApi
from tglake.config import Secret, Settings
from tglake.ingest import Outcome
from tglake.ingest.pacing import Pacer
from tglake.ingest.poll import poll
from tglake.storage import LocalStore


def sender(fake: FakeBotApi) -> TelegramApi:
    """Sends without waiting out a 429 itself: the pacer holds the chat instead."""
    return TelegramApi(fake.url, Secret(TOKEN), max_rate_limit_waits=0)


def message(chat_id: int, text: str) -> dict[str, Any]:
    return {"method": "sendMessage", "chat_id": chat_id, "text": text}


def test_a_group_gets_at_most_19_messages_a_minute(fake: FakeBotApi) -> None:
    with sender(fake) as api:
        pacer = Pacer(api.send, clock=lambda: 0.0)
        for i in range(25):
            pacer.submit(message(-100, f"m{i}"))
        assert pacer.pump(0.0) == 60.0
        assert len(fake.sent) == 19
        assert pacer.pump(59.0) == 60.0
        assert len(fake.sent) == 19
        assert pacer.pump(60.0) is None
    assert [m["text"] for m in fake.sent] == [f"m{i}" for i in range(25)]


def test_all_chats_together_get_at_most_25_a_second(fake: FakeBotApi) -> None:
    with sender(fake) as api:
        pacer = Pacer(api.send, clock=lambda: 0.0)
        for chat in range(1, 41):
            pacer.submit(message(chat, "oi"))
        assert pacer.pump(0.0) == 1.0
        assert len(fake.sent) == 25
        assert pacer.pump(1.0) is None
        assert len(fake.sent) == 40


def test_a_429_holds_only_that_chats_queue(fake: FakeBotApi) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    with sender(fake) as api:
        pacer = Pacer(api.send, clock=lambda: 0.0)
        pacer.submit(message(-1, "A1"))
        pacer.submit(message(-2, "B1"))
        pacer.submit(message(-2, "B2"))
        assert pacer.pump(0.0) == 30.0  # A1 got the 429; B's queue went on
        assert [m["text"] for m in fake.sent] == ["B1", "B2"]
        assert pacer.pump(29.0) == 30.0
        assert pacer.pump(30.0) is None
    assert [m["text"] for m in fake.sent] == ["B1", "B2", "A1"]
    assert (pacer.sent, pacer.failed) == (3, 0)


def test_the_poll_loop_keeps_storing_while_a_chat_is_held(fake: FakeBotApi, tmp_path: Path) -> None:
    """GIVEN a chat held by a 429 for an hour WHEN updates keep arriving THEN polling stores
    them all and queues their replies; nothing waits in the poll loop."""
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 3600", retry_after=3600)
    store = LocalStore(tmp_path / "raw")

    def reply(outcome: Outcome) -> dict[str, Any]:
        return message(-1001234567890, f"recebido {outcome.update_id}")

    now = [0.0]
    with TelegramApi(fake.url, Secret(TOKEN)) as api, sender(fake) as sending:
        pacer = Pacer(sending.send, clock=lambda: now[0])
        fake.queue(*[{**load_fixture("message_text"), "update_id": 10 + i} for i in range(3)])
        first = poll(api, store, Settings(), once=True, responder=reply, pacer=pacer,
                     clock=lambda: dt.datetime(2024, 10, 6, 15, tzinfo=dt.UTC))  # fmt: skip
        pacer.pump()  # the first reply meets the 429: the group is held for 3600 s
        fake.queue(*[{**load_fixture("message_text"), "update_id": 13 + i} for i in range(3)])
        second = poll(api, store, Settings(), once=True, responder=reply, pacer=pacer,
                      clock=lambda: dt.datetime(2024, 10, 6, 15, tzinfo=dt.UTC))  # fmt: skip
        assert (first.stored, second.stored) == (3, 3)
        assert len(list(store.list("telegram/"))) == 6
        assert fake.sent == []
        assert pacer.pending == 6
        now[0] = 3600.0
        while pacer.pump() is not None:  # each pump sends what the group's limit allows
            now[0] += 60.0
    assert [m["text"] for m in fake.sent] == [f"recebido {i}" for i in range(10, 16)]


def test_the_thread_sends_what_was_queued_before_it_stops(fake: FakeBotApi) -> None:
    with sender(fake) as api:
        pacer = Pacer(api.send)
        pacer.start()
        pacer.submit(message(7, "um"))
        pacer.submit({"method": "answerCallbackQuery", "callback_query_id": "q1", "text": ""})
        pacer.stop()
    assert [m for m, _ in fake.calls] == ["sendMessage", "answerCallbackQuery"]
    assert pacer.pending == 0
