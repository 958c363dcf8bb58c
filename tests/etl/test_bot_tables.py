"""The two enriched tables: schemas, pure row builders, and Parquet read back by DuckDB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from tests.helpers import load_fixture
from tglake.candidates.catalog import CandidateData
from tglake.etl import bot_tables as tables


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


def test_a_bot_event_becomes_a_row() -> None:
    row = tables.bot_reply_row(EVENT, user_key="k1")
    assert row["top_match"] == "22"
    assert row["user_key"] == "k1"
    assert row["reply_ts"] == dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
    partial = tables.bot_reply_row({"update_id": 5})
    assert partial["matched_ids"] == []
    assert partial["answered"] is None


def test_a_message_with_two_candidates_gives_two_rows(data: CandidateData) -> None:
    update = load_fixture("private_message")
    update["message"]["text"] = "Caio Cunha ou Valverde? vote 22!"
    rows = tables.mention_rows(update, data, user_key="k2")
    assert [(r["candidate_number"], r["party"], r["match_kind"]) for r in rows] == [
        (20, "PODE", "name"), (13, "PT", "part"), (22, "PL", "number")
    ]  # fmt: skip
    assert rows[0]["message_ts"] == dt.datetime.fromtimestamp(1727742000, dt.UTC)
    assert rows[0]["chat_id"] is None  # a private chat: its id is the person's


def test_edits_and_callbacks_give_no_mentions(data: CandidateData) -> None:
    assert tables.mention_rows(load_fixture("edited_message"), data) == []
    assert tables.mention_rows(load_fixture("callback_query"), data) == []


def test_parquet_round_trip_through_duckdb(tmp_path: Path, data: CandidateData) -> None:
    update = json.loads(json.dumps(load_fixture("message_text")))
    mentions = tables.to_table("candidate_mentions", tables.mention_rows(update, data))
    replies = tables.to_table(
        "bot_replies",
        [tables.bot_reply_row({**EVENT, "update_id": 9}), tables.bot_reply_row(EVENT)],
    )
    pq.write_table(mentions, tmp_path / "m.parquet", compression="zstd")
    pq.write_table(replies, tmp_path / "r.parquet", compression="zstd")
    con = duckdb.connect()
    assert con.execute(
        f"select candidate_number, match_kind from '{tmp_path / 'm.parquet'}'"
    ).fetchall() == [(22, "name")]
    assert con.execute(
        f"select update_id, top_match, answered from '{tmp_path / 'r.parquet'}'"
    ).fetchall() == [(9, "22", True), (100000001, "22", True)]
