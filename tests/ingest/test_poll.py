"""Long polling against the fake Bot API over real HTTP, into a real folder lake."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import load_fixture
from tglake import layout
from tglake.adapters.telegram_api import TelegramApi
from tglake.config import Secret, Settings
from tglake.errors import CorruptRawFileError, InvalidUpdateError, TelegramApiError
from tglake.ingest import Outcome
from tglake.ingest.poll import PollReport, canonical_bytes, load_offset, poll
from tglake.storage import LocalStore
from tglake.telegram import ALL_KINDS

NOON_SP = dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
DAY = "context_date=2024-10-06"
KINDS = ["message_text", "edited_message", "channel_post", "callback_query", "poll"]


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def api(fake: FakeBotApi, sleeps: list[float]) -> TelegramApi:
    return TelegramApi(fake.url, Secret(TOKEN), sleep=sleeps.append)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "lake" / "raw")


def updates(first_id: int, names: list[str] = KINDS) -> list[dict[str, Any]]:
    """Real update shapes from the fixtures, numbered from ``first_id`` as Telegram would."""
    return [{**load_fixture(name), "update_id": first_id + i} for i, name in enumerate(names)]


def run(api: TelegramApi, store: LocalStore, settings: Settings | None = None, **kw: Any) -> Any:
    kw.setdefault("once", True)
    return poll(api, store, settings or Settings(), clock=lambda: NOON_SP, **kw)


def stored_keys(store: LocalStore) -> list[str]:
    return list(store.list("telegram/"))


def test_every_update_is_stored_once_across_a_restart_in_the_middle(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    # GIVEN five updates waiting, fetched two at a time
    sent = updates(500)
    fake.queue(*sent)
    stop = threading.Event()
    # WHEN the first run stops after its first batch, and a second run takes over
    first = run(api, store, limit=2, stop=stop, on_batch=lambda _: stop.set())
    assert (first.stored, first.offset) == (2, 502)
    second = run(api, store, limit=2)
    # THEN each update is stored exactly once, in its compact canonical form
    assert second.stored == 3
    assert second.duplicate == 0
    assert stored_keys(store) == [f"telegram/{DAY}/{500 + i}.json" for i in range(5)]
    for update in sent:
        assert store.get(f"telegram/{DAY}/{update['update_id']}.json") == canonical_bytes(update)
    assert load_offset(store) == 505
    assert fake.pending == []  # the last getUpdates confirmed everything to Telegram


def test_the_second_run_asks_telegram_from_the_saved_offset(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    fake.queue(*updates(10, ["message_text"]))
    run(api, store)
    run(api, store)
    offsets = [params.get("offset") for method, params in fake.calls if method == "getUpdates"]
    assert offsets == [None, 11, 11]  # the first, its confirming call, the second run's


def test_a_crash_after_storing_and_before_saving_the_offset_repeats_nothing(
    fake: FakeBotApi, api: TelegramApi, tmp_path: Path
) -> None:
    class CrashBeforeOffset(LocalStore):
        """Dies the first time it is asked to save the offset, like a killed process."""

        crashed = False

        def put(self, key: str, data: bytes) -> None:
            if key == layout.POLL_OFFSET_KEY and not self.crashed:
                self.crashed = True
                raise SystemExit("killed")
            super().put(key, data)

    def reply(outcome: Outcome) -> dict[str, Any]:
        return {"method": "sendMessage", "chat_id": 1, "text": f"recebido {outcome.update_id}"}

    store = CrashBeforeOffset(tmp_path / "raw")
    fake.queue(*updates(70, ["message_text", "private_message"]))
    with pytest.raises(SystemExit):
        run(api, store, responder=reply)
    assert len(stored_keys(store)) == 2
    assert load_offset(store) is None

    after_restart = run(api, LocalStore(tmp_path / "raw"), responder=reply)

    assert (after_restart.stored, after_restart.duplicate) == (0, 2)
    assert len(stored_keys(store)) == 2
    assert load_offset(store) == 72
    # the bot answered each update once, before the crash, and not again
    assert [m["text"] for m in fake.sent] == ["recebido 70", "recebido 71"]


def test_a_malformed_entry_is_kept_aside_and_the_offset_moves_past_it(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore, caplog: pytest.LogCaptureFixture
) -> None:
    good = [*updates(40, ["message_text"]), *updates(44, ["channel_post"])]
    fake.queue(good[0], "not an update", {"update_id": "41", "message": {}})
    fake.queue({"update_id": 2**63, "message": {}}, good[1])  # beyond int64: not trusted
    fake.queue(["a list at the end"])
    report = run(api, store)
    assert report.stored == 2
    assert stored_keys(store) == [f"telegram/{DAY}/40.json", f"telegram/{DAY}/44.json"]
    rejected = sorted(store.list(f"{layout.POLL_REJECTED_SOURCE}/"))
    assert rejected == sorted(report.rejected)
    assert all(key.startswith(f"_rejected/getupdates/{DAY}/") for key in rejected)
    kept = sorted(store.get(key) for key in rejected)
    assert kept == [
        b'"not an update"',
        b'["a list at the end"]',
        b'{"update_id":"41","message":{}}',
        b'{"update_id":9223372036854775808,"message":{}}',
    ]
    assert report.offset == 46  # past the trailing malformed entry in slot 45
    assert fake.pending == []
    assert "malformed getUpdates entry kept as _rejected/getupdates/" in caplog.text


def test_a_batch_of_nothing_but_malformed_entries_on_a_first_run_is_an_error(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    fake.queue("junk")
    with pytest.raises(InvalidUpdateError, match="only malformed entries"):
        run(api, store)
    assert len(list(store.list("_rejected/"))) == 1


def test_a_set_webhook_is_explained_with_the_command_that_removes_it(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    fake.webhook = {"url": "https://bot.example/webhook"}
    fake.queue(*updates(1))
    with pytest.raises(TelegramApiError) as info:
        run(api, store)
    assert str(info.value) == (
        "a webhook is set for this bot, and Telegram does not answer getUpdates while it is; "
        "remove it with `tglake webhook delete` to poll (updates wait for you)"
    )
    assert info.value.error_code == 409
    assert list(store.list("")) == []


def test_another_poller_is_named_as_the_cause_of_a_409(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    fake.fail_next(
        "getUpdates",
        409,
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    )
    with pytest.raises(TelegramApiError, match="another getUpdates client is polling this bot"):
        run(api, store)


def test_a_rate_limit_while_polling_is_waited_out(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore, sleeps: list[float]
) -> None:
    fake.fail_next("getUpdates", 429, "Too Many Requests: retry after 4", retry_after=4)
    fake.queue(*updates(1, ["message_text"]))
    assert run(api, store).stored == 1
    assert sleeps == [4.0]


def test_a_502_while_polling_is_retried_and_nothing_is_lost(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore, sleeps: list[float]
) -> None:
    fake.fail_next("getUpdates", 502, "Bad Gateway", times=2)
    fake.queue(*updates(1, ["message_text", "channel_post"]))
    report = run(api, store)
    assert (report.stored, report.offset) == (2, 3)
    assert len(sleeps) == 2


def test_long_polling_asks_for_every_kind_with_a_50_second_timeout(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    fake.queue(*updates(1, ["message_text"]))
    stop = threading.Event()
    run(api, store, once=False, stop=stop, on_batch=lambda _: stop.set())
    method, params = fake.calls[0]
    assert method == "getUpdates"
    assert params["timeout"] == 50
    assert params["allowed_updates"] == list(ALL_KINDS)


def test_a_stop_event_set_before_starting_sends_no_request(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    stop = threading.Event()
    stop.set()
    assert run(api, store, once=False, stop=stop) == PollReport()
    assert fake.calls == []


def test_the_allowlist_and_the_receiving_day_apply_as_for_a_webhook(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    settings = Settings.from_env(
        {
            "TGLAKE_ALLOWED_CHAT_IDS": "-1001234567890",
            "TGLAKE_WEBHOOK_SECRET": "not-for-polling-at-all",
        }
    )
    fake.queue(*updates(1, ["message_text", "channel_post"]))
    late_evening_sp = dt.datetime(2024, 10, 7, 2, 59, tzinfo=dt.UTC)  # 23:59 Oct 6 in SP
    report = poll(api, store, settings, once=True, clock=lambda: late_evening_sp)
    assert (report.stored, report.ignored, report.offset) == (1, 1, 3)
    assert stored_keys(store) == [f"telegram/{DAY}/1.json"]


def test_a_failing_reply_is_logged_and_never_loses_the_update(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore, caplog: pytest.LogCaptureFixture
) -> None:
    def reply(outcome: Outcome) -> dict[str, Any] | None:
        if outcome.update_id == 2:
            raise RuntimeError("the bot broke")
        text = "" if outcome.update_id == 1 else "olá"  # Telegram refuses an empty text
        return {"method": "sendMessage", "chat_id": 5, "text": text}

    fake.queue(*updates(1, ["message_text", "private_message", "edited_message"]))
    report = run(api, store, responder=reply)
    assert (report.stored, report.replies, report.failed_replies) == (3, 1, 2)
    assert fake.sent == [{"chat_id": 5, "text": "olá"}]
    assert "reply failed update_id=1: sendMessage failed: 400 Bad Request" in caplog.text
    assert "reply failed update_id=2: the bot broke" in caplog.text


def test_a_corrupt_offset_file_is_reported_not_guessed(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    store.put(layout.POLL_OFFSET_KEY, b"{oops")
    with pytest.raises(CorruptRawFileError, match=r"getupdates-offset\.json in the raw zone"):
        run(api, store)
    assert fake.calls == []


def test_the_offset_file_lives_outside_the_telegram_prefix(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore
) -> None:
    fake.queue(*updates(9, ["message_text"]))
    run(api, store)
    assert json.loads(store.get("_state/getupdates-offset.json")) == {"offset": 10}
    assert not any(key.startswith("telegram/_") for key in store.list(""))


def test_log_lines_name_the_update_but_never_the_token(
    fake: FakeBotApi, api: TelegramApi, store: LocalStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.queue(*updates(3, ["message_text"]))
    run(api, store)
    assert "update update_id=3 kind=message outcome=stored" in caplog.text
    assert TOKEN not in caplog.text
