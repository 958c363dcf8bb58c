"""The bot's two enriched tables: their schemas and the rows the ETL's extractors make (the
Parquet the ETL writes is read back by DuckDB in tests/etl/test_run.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.helpers import load_fixture
from tglake import telegram
from tglake.etl import bot_tables as tables
from tglake.etl import flatten, workers
from tglake.etl.tables import SPECS


def test_schemas_are_exactly_these() -> None:
    assert [(f.name, str(f.type)) for f in tables.BOT_REPLIES] == [
        ("update_id", "int64"), ("update_kind", "string"), ("chat_id", "int64"),
        ("user_key", "string"), ("command", "string"), ("query", "string"),
        ("matched_kind", "string"), ("matched_ids", "list<item: string>"),
        ("top_match", "string"), ("result_count", "int32"), ("answered", "bool"),
        ("latency_ms", "double"), ("reply_method", "string"), ("reply_chars", "int32"),
        ("reply_ts", "timestamp[ms, tz=UTC]"), ("event_version", "int32"),
    ]  # fmt: skip
    assert [(f.name, str(f.type)) for f in tables.CANDIDATE_MENTIONS] == [
        ("update_id", "int64"), ("message_id", "int64"), ("chat_id", "int64"),
        ("user_key", "string"), ("message_ts", "timestamp[ms, tz=UTC]"),
        ("candidate_number", "int32"), ("office", "string"), ("party", "string"),
        ("match_kind", "string"), ("matched_text", "string"),
    ]  # fmt: skip


EVENT = {
    "event_version": 1, "update_id": 100000001, "update_kind": "message",
    "chat_id": -1001234567890, "command": "candidato", "query": "Mara Bertaiolli",
    "matched_kind": "exact", "matched_ids": ["22"], "result_count": 1, "answered": True,
    "latency_ms": 1.25, "reply_method": "sendMessage", "reply_chars": 312,
    "reply_ts": "2024-10-06T15:00:00.000+00:00",
}  # fmt: skip


def context() -> flatten.Context:
    return flatten.Context(user_key=lambda user_id: f"key-of-{user_id}")


def test_a_bot_event_becomes_a_row_without_user_key() -> None:
    [row] = tables.extract_bot_replies(EVENT, context())
    assert row["top_match"] == "22"
    assert row["user_key"] is None  # the event holds no user id
    assert row["reply_ts"] == dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
    [partial] = tables.extract_bot_replies({"update_id": 5}, context())
    assert partial["matched_ids"] == []
    assert partial["answered"] is None


def mentions_of(update: dict[str, Any]) -> list[flatten.Row]:
    """What the ETL makes of one update: its ``messages`` row, then that row's mentions."""
    kind = telegram.update_kind(update)
    return workers.flatten_update(update, kind, SPECS, context())["candidate_mentions"]


def test_a_message_with_three_candidates_gives_three_rows() -> None:
    update = load_fixture("private_message")
    update["message"]["text"] = "Caio Cunha ou Valverde? vote 22!"
    rows = mentions_of(update)
    assert [(r["candidate_number"], r["party"], r["match_kind"]) for r in rows] == [
        (20, "PODE", "name"), (13, "PT", "part"), (22, "PL", "number")
    ]  # fmt: skip
    assert rows[0]["message_ts"] == 1727742000_000  # ms, as the timestamp[ms] column takes it
    assert rows[0]["chat_id"] is None  # a private chat's id is the user's: never stored
    assert {r["user_key"] for r in rows} == {f"key-of-{update['message']['from']['id']}"}


def test_an_edit_gives_mentions_like_a_message_and_a_callback_none() -> None:
    edit = load_fixture("edited_message")
    edit["edited_message"]["text"] = "Caio Cunha ou Valverde? vote 22!"
    as_message = {"update_id": edit["update_id"], "message": edit["edited_message"]}
    found = mentions_of(edit)
    assert [r["candidate_number"] for r in found] == [20, 13, 22]
    assert found == mentions_of(as_message)
    assert mentions_of(load_fixture("callback_query")) == []
