"""The ingest core: bytes + headers in, an outcome out; nothing lost, nothing overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import fixture_bytes, update_fixture_names
from tglake.config import Settings
from tglake.errors import (
    BadSecretError,
    InvalidUpdateError,
    PayloadTooLargeError,
    StorageUnavailableError,
)
from tglake.ingest import webhook as ingest
from tglake.storage import LocalStore

NOON_SP = dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
DAY = "context_date=2024-10-06"


def receive(
    body: bytes,
    store: LocalStore,
    settings: Settings | None = None,
    headers: dict[str, str] | None = None,
    now: dt.datetime = NOON_SP,
) -> ingest.Outcome:
    return ingest.receive(
        body, headers or {}, settings=settings or Settings(), store=store, now=now
    )


@pytest.mark.parametrize("name", update_fixture_names())
def test_every_update_kind_is_stored_byte_for_byte(name: str, tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    body = fixture_bytes(name)
    outcome = receive(body, store)
    assert outcome.status == "stored"
    assert outcome.key == f"telegram/{DAY}/{outcome.update_id}.json"
    assert store.get(outcome.key) == body


def test_unknown_kind_is_stored_and_named_unknown(tmp_path: Path) -> None:
    outcome = receive(fixture_bytes("unknown_kind"), LocalStore(tmp_path))
    assert (outcome.status, outcome.kind) == ("stored", "unknown")


def test_redelivery_of_the_same_bytes_is_a_no_op(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    body = fixture_bytes("message_text")
    receive(body, store)
    again = receive(body, store)
    assert again.status == "duplicate"
    assert list(store.list("telegram/")) == [f"telegram/{DAY}/100000001.json"]


def test_different_payload_with_a_stored_update_id_is_kept_beside_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = LocalStore(tmp_path)
    first = b'{"update_id": 7, "message": {"text": "a"}}'
    second = b'{"update_id": 7, "message": {"text": "b"}}'
    receive(first, store)
    outcome = receive(second, store)
    assert outcome.status == "conflict"
    assert store.get(f"telegram/{DAY}/7.json") == first
    assert outcome.key is not None
    assert store.get(outcome.key) == second
    assert outcome.key.startswith(f"telegram/{DAY}/7-")
    assert "reused with a different payload" in caplog.text
    # and the conflicting payload redelivered is itself a no-op
    assert receive(second, store).status == "duplicate"
    assert len(list(store.list("telegram/"))) == 2


def test_the_receiving_day_in_the_configured_zone_decides_the_partition(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    late_evening_sp = dt.datetime(2024, 10, 7, 2, 59, tzinfo=dt.UTC)  # 23:59 on Oct 6 in SP
    outcome = receive(fixture_bytes("message_text"), store, now=late_evening_sp)
    assert outcome.key == f"telegram/{DAY}/100000001.json"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "body is not JSON"),
        (b"\xff\xfe\x00", "body is not JSON"),
        (b"[1, 2]", "body is a JSON list, not an object"),
        (b'"text"', "body is a JSON str, not an object"),
        (b"{}", "no integer update_id"),
        (b'{"update_id": "12"}', "no integer update_id"),
        (b'{"update_id": 1.5}', "no integer update_id"),
        (b'{"update_id": true}', "no integer update_id"),
        (b"[" * 100_000 + b"]" * 100_000, "body is"),
        (b'{"update_id": 1, "x": ' + b"1" * 5000 + b"}", "integer of more than 4300 digits"),
    ],
)
def test_bad_bodies_are_rejected_and_nothing_is_written(
    tmp_path: Path, body: bytes, message: str
) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(InvalidUpdateError, match=message):
        receive(body, store)
    assert list(store.list("")) == []


def test_a_body_over_one_mebibyte_is_too_large(tmp_path: Path) -> None:
    body = b'{"update_id": 1, "message": {"text": "' + b"a" * (1024 * 1024) + b'"}}'
    with pytest.raises(PayloadTooLargeError, match="over the 1048576-byte limit"):
        receive(body, LocalStore(tmp_path))


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
def test_missing_or_wrong_secret_is_refused_before_storage(
    tmp_path: Path, headers: dict[str, str]
) -> None:
    store = LocalStore(tmp_path / "never-created")
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": "s3cr3t-s3cr3t-s3cr3t"})
    with pytest.raises(BadSecretError):
        receive(fixture_bytes("message_text"), store, settings, headers)
    assert not (tmp_path / "never-created").exists()


def test_right_secret_is_accepted_in_any_header_case(tmp_path: Path) -> None:
    settings = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": "s3cr3t-s3cr3t-s3cr3t"})
    outcome = receive(
        fixture_bytes("message_text"),
        LocalStore(tmp_path),
        settings,
        {"x-telegram-bot-api-secret-token": "s3cr3t-s3cr3t-s3cr3t"},
    )
    assert outcome.status == "stored"


def test_chats_outside_the_allowlist_are_ignored_not_stored(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    settings = Settings.from_env({"TGLAKE_ALLOWED_CHAT_IDS": "-1001234567890"})
    assert receive(fixture_bytes("message_text"), store, settings).status == "stored"
    assert receive(fixture_bytes("channel_post"), store, settings).status == "ignored"
    assert receive(fixture_bytes("callback_query"), store, settings).status == "stored"
    assert receive(fixture_bytes("message_reaction"), store, settings).status == "stored"
    # an update that belongs to no chat cannot be shown to be allowed
    assert receive(fixture_bytes("poll"), store, settings).status == "ignored"
    assert len(list(store.list("telegram/"))) == 3


def test_unwritable_raw_zone_is_unavailable_then_stores_once_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "lake"
    blocker.write_text("a file where the folder should be")
    store = LocalStore(blocker / "raw")
    body = fixture_bytes("message_text")
    with pytest.raises(StorageUnavailableError):
        receive(body, store)
    blocker.unlink()
    assert receive(body, store).status == "stored"
    assert store.get(f"telegram/{DAY}/100000001.json") == body
