"""The bot's two tables travel the whole pipeline: webhook → raw → ETL → Parquet → DuckDB."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from tglake import etl
from tglake.bot.responder import make_responder
from tglake.config import Settings
from tglake.ingest import webhook as ingest
from tglake.storage import LocalStore

# 23:30 in Sao Paulo on Oct 6 is already Oct 7 in UTC: the event must follow the update's day
LATE_EVENING = dt.datetime(2024, 10, 7, 2, 30, tzinfo=dt.UTC)


def update(update_id: int, text: str, chat_type: str = "private") -> bytes:
    chat = {"id": 5550006, "type": chat_type, "first_name": "Fábio"}
    return json.dumps({
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 1728268200, "chat": chat, "text": text,
                    "from": {"id": 5550006, "is_bot": False, "first_name": "Fábio"}},
    }).encode()  # fmt: skip


def test_bot_replies_and_candidate_mentions_reach_the_enriched_zone(tmp_path: Path) -> None:
    settings = Settings.from_env({"TGLAKE_LAKE": str(tmp_path), "TGLAKE_PSEUDONYM_KEY": "k" * 32})
    raw, enriched = LocalStore(tmp_path / "raw"), LocalStore(tmp_path / "enriched")
    respond = make_responder(settings, raw, clock=lambda: LATE_EVENING)
    for body in (
        update(1, "/candidato Mara Bertaiolli"),
        update(2, "/candidato zzzzqqq"),
        update(3, "Acho que a Mara Bertaiolli ganha fácil"),
    ):
        outcome = ingest.receive(body, {}, settings=settings, store=raw, now=LATE_EVENING)
        respond(outcome)
    assert sorted(raw.list("bot/")) == [
        "bot/context_date=2024-10-06/1.json", "bot/context_date=2024-10-06/2.json",
        "bot/context_date=2024-10-06/3.json",
    ]  # fmt: skip

    report = etl.run_day(dt.date(2024, 10, 6), settings=settings, raw=raw, enriched=enriched)

    assert report.updates_read == 3  # bot events add rows, not updates
    assert report.rows["bot_replies"] == 3
    con = duckdb.connect()
    base = tmp_path / "enriched/telegram"
    replies = con.sql(
        f"SELECT update_id, command, answered, result_count, top_match "
        f"FROM read_parquet('{base}/bot_replies/*/*.parquet') ORDER BY update_id"
    ).fetchall()
    assert [r[:3] for r in replies] == [
        (1, "candidato", True),
        (2, "candidato", False),
        (3, "texto", True),
    ]
    assert replies[0][4] == "22"
    assert replies[1][3] == 0
    mentions = con.sql(
        f"SELECT update_id, candidate_number, office, match_kind "
        f"FROM read_parquet('{base}/candidate_mentions/*/*.parquet') ORDER BY update_id"
    ).fetchall()
    assert (3, 22, "prefeito", "name") in mentions
