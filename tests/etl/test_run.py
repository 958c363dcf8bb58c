"""One raw day → one enriched partition per table: deduplicated, private, atomic, repeatable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.helpers import fixture_bytes, update_fixture_names
from tglake import etl, lakestate, layout, schema
from tglake.config import Settings
from tglake.etl import flatten, publish
from tglake.ingest import store_update
from tglake.storage import LocalStore, ObjectStore
from tglake.telegram import parse_update

DAY = dt.date(2024, 10, 6)
NEXT = DAY + dt.timedelta(days=1)
KEY = "k" * 32


@dataclasses.dataclass
class Lake:
    settings: Settings
    raw: LocalStore
    enriched: LocalStore

    @property
    def root(self) -> Path:
        return Path(self.settings.lake)

    def add(self, body: bytes, day: dt.date = DAY) -> str:
        return store_update(self.raw, day, parse_update(body)["update_id"], body)[1]

    def run(self, day: dt.date = DAY, *, keep_names: bool = False, **kwargs: Any) -> etl.DayReport:
        settings = dataclasses.replace(self.settings, keep_names=keep_names)
        return etl.run_day(day, settings=settings, raw=self.raw, enriched=self.enriched, **kwargs)

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        glob = f"{self.root}/enriched/telegram/{{table}}/*/*.parquet"
        for name in schema.SCHEMAS:
            query = query.replace(
                f"<{name}>",
                f"read_parquet('{glob.format(table=name)}', hive_partitioning=true)",
            )
        return duckdb.sql(query).fetchall()


def make_lake(root: Path, key: str | None = KEY) -> Lake:
    settings = Settings.from_env({"TGLAKE_PSEUDONYM_KEY": key} if key else {}, lake=str(root))
    return Lake(settings, LocalStore(root / "raw"), LocalStore(root / "enriched"))


@pytest.fixture
def full_day(lake: Path) -> Lake:
    """Every real update shape, received on DAY."""
    day = make_lake(lake)
    for name in update_fixture_names():
        day.add(fixture_bytes(name))
    return day


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_day_of_every_kind_becomes_one_partition_per_table(full_day: Lake) -> None:
    report = full_day.run()
    assert report.updates_read == len(update_fixture_names())
    assert report.rows == {
        "messages": 19, "callbacks": 1, "reactions": 4, "member_updates": 2,
        # the fixtures name Mara Bertaiolli, Caio Cunha and Rodrigo Valverde; no bot ran
        "bot_replies": 0, "candidate_mentions": 3,
    }  # fmt: skip
    assert report.unknown_kinds == {"future_update_kind": 1, "managed_bot": 1, "poll": 1}
    assert (report.duplicates_dropped, report.conflicts_kept, report.rejects) == (0, 0, [])
    assert sorted(files_of(full_day.root / "enriched")) == [
        "_lake/settings.json",  # what the lake remembers: names not kept, the key's check value
        "telegram/_manifests/context_date=2024-10-06/manifest.json",
        "telegram/bot_replies/context_date=2024-10-06/data.parquet",
        "telegram/callbacks/context_date=2024-10-06/data.parquet",
        "telegram/candidate_mentions/context_date=2024-10-06/data.parquet",
        "telegram/member_updates/context_date=2024-10-06/data.parquet",
        "telegram/messages/context_date=2024-10-06/data.parquet",
        "telegram/reactions/context_date=2024-10-06/data.parquet",
    ]


def test_duckdb_reads_the_columns_and_types_of_design_md_with_hive_partitioning(
    full_day: Lake,
) -> None:
    full_day.run()
    types = dict(
        (name, kind) for name, kind, *_ in full_day.sql("DESCRIBE SELECT * FROM <messages>")
    )
    assert {name: types[name] for name in (
        "update_id", "update_type", "message_id", "chat_id", "chat_type", "chat_title",
        "user_key", "user_is_bot", "user_language_code", "message_ts", "edit_ts",
        "content_type", "text", "text_length", "command", "reply_to_message_id", "is_forward",
        "context_date",
    )} == {
        "update_id": "BIGINT", "update_type": "VARCHAR", "message_id": "BIGINT",
        "chat_id": "BIGINT", "chat_type": "VARCHAR", "chat_title": "VARCHAR",
        "user_key": "VARCHAR", "user_is_bot": "BOOLEAN", "user_language_code": "VARCHAR",
        "message_ts": "TIMESTAMP WITH TIME ZONE", "edit_ts": "TIMESTAMP WITH TIME ZONE",
        "content_type": "VARCHAR", "text": "VARCHAR", "text_length": "INTEGER",
        "command": "VARCHAR", "reply_to_message_id": "BIGINT", "is_forward": "BOOLEAN",
        "context_date": "DATE",
    }  # fmt: skip
    rows = full_day.sql(
        "SELECT content_type, count(*) FROM <messages> "
        "WHERE context_date = DATE '2024-10-06' GROUP BY 1 ORDER BY 1"
    )
    assert rows == [
        ("contact", 1), ("document", 1), ("gift", 1), ("left_chat_member", 1), ("location", 1),
        ("new_chat_members", 1), ("photo", 1), ("poll", 1), ("sticker", 1), ("text", 9),
        ("voice", 1),
    ]  # fmt: skip
    assert full_day.sql("SELECT count(*), count(DISTINCT update_type) FROM <member_updates>") == [
        (2, 2)
    ]


def test_rows_come_out_ordered_by_update_id(full_day: Lake) -> None:
    full_day.run(batch_size=3)
    ids = [r[0] for r in full_day.sql("SELECT update_id FROM <messages>")]
    assert ids == sorted(ids)
    assert len(ids) == 19


def test_a_rerun_over_the_same_raw_data_gives_byte_identical_files(full_day: Lake) -> None:
    full_day.run()
    first = files_of(full_day.root / "enriched")
    full_day.run()
    assert files_of(full_day.root / "enriched") == first


def test_the_latest_version_of_each_message_by_query(full_day: Lake) -> None:
    full_day.run()
    latest = full_day.sql(
        "SELECT chat_id, message_id, text FROM <messages> WHERE message_id IN (11, 301) "
        "QUALIFY row_number() OVER (PARTITION BY chat_id, message_id "
        "ORDER BY coalesce(edit_ts, message_ts) DESC, update_id DESC) = 1 ORDER BY message_id"
    )
    assert latest == [
        (-1001234567890, 11, "/candidato Mara"),
        (-1009876543210, 301, "Debate dos candidatos a prefeito hoje às 21h #eleicoes2024"),
    ]


def test_a_redelivery_that_crossed_midnight_is_one_row(lake: Path) -> None:
    # GIVEN an update received at 23:59:59 and redelivered at 00:00:01, the next day
    day = make_lake(lake)
    body = fixture_bytes("message_text")
    day.add(body, DAY)
    day.add(body, NEXT)
    day.add(fixture_bytes("sticker"), NEXT)
    # WHEN both days run
    first, second = day.run(DAY), day.run(NEXT)
    # THEN it counts on the day it was first received only
    assert first.rows["messages"] == 1
    assert (second.rows["messages"], second.duplicates_dropped) == (1, 1)
    assert day.sql("SELECT update_id, context_date FROM <messages> ORDER BY 1") == [
        (100000001, DAY),
        (100000006, NEXT),
    ]


def test_different_payloads_sharing_an_update_id_are_both_kept_and_counted(lake: Path) -> None:
    day = make_lake(lake)
    body = fixture_bytes("message_text")
    other = body.replace(b"Mara Bertaiolli", b"Caio Cunha")
    assert day.add(other) == "telegram/context_date=2024-10-06/100000001.json"
    sibling = day.add(body)
    assert sibling == f"telegram/context_date=2024-10-06/100000001-{layout.content_hash(body)}.json"
    report = day.run()
    assert (report.rows["messages"], report.conflicts_kept, report.duplicates_dropped) == (2, 1, 0)


def test_the_update_id_comes_from_the_content_not_the_key(lake: Path) -> None:
    day = make_lake(lake)
    body = fixture_bytes("sticker")
    day.raw.put("telegram/context_date=2024-10-06/copied-by-hand.json", body)
    day.add(body)
    report = day.run()
    assert (report.rows["messages"], report.duplicates_dropped) == (1, 1)
    assert day.sql("SELECT update_id FROM <messages>") == [(100000006,)]


def test_rejects_are_listed_and_the_rest_of_the_day_is_written(lake: Path) -> None:
    day = make_lake(lake)
    day.add(fixture_bytes("message_text"))
    prefix = "telegram/context_date=2024-10-06/"
    day.raw.put(f"{prefix}1.json", b'{"update_id": 1, "message": ')
    day.raw.put(f"{prefix}2.json", b"[1, 2]")
    day.raw.put(f"{prefix}3.json", b'{"message": {"text": "sem update_id"}}')
    day.raw.put(f"{prefix}4.json", b'{"update_id": 18446744073709551616, "message": {}}')
    report = day.run()
    assert report.rejects == [
        (f"{prefix}1.json", "body is not JSON: JSONDecodeError"),
        (f"{prefix}2.json", "body is a JSON list, not an object"),
        (f"{prefix}3.json", "body has no integer update_id"),
        (f"{prefix}4.json", "update_id is outside the signed 64-bit range"),
    ]
    assert report.rows["messages"] == 1
    rejects = (lake / "enriched" / publish.rejects_key(DAY)).read_text().splitlines()
    assert [json.loads(line) for line in rejects] == [
        {"key": k, "reason": r} for k, r in report.rejects
    ]
    # the rejects file is invisible to table globs
    assert day.sql("SELECT count(*) FROM <messages>") == [(1,)]
    # a rerun after the bad objects are gone removes the rejects file
    for key in ("1.json", "2.json", "3.json", "4.json"):
        day.raw.delete(prefix + key)
    assert day.run().rejects == []
    assert not (lake / "enriched" / publish.rejects_key(DAY)).exists()


def test_an_empty_raw_day_writes_nothing_and_keeps_what_was_there(full_day: Lake) -> None:
    full_day.run()
    before = files_of(full_day.root / "enriched")
    report = full_day.run(NEXT)
    assert (report.written, report.updates_read, report.rows) == (False, 0, {})
    assert files_of(full_day.root / "enriched") == before


def test_files_of_an_older_layout_do_not_survive_the_swap(full_day: Lake) -> None:
    old = "telegram/messages/context_date=2024-10-06/20241007030000123456.parquet"
    full_day.enriched.put(old, b"PAR1 old layout")
    full_day.run()
    assert list(full_day.enriched.list("telegram/messages/")) == [
        "telegram/messages/context_date=2024-10-06/data.parquet"
    ]


NAMES = ["Souza", "anasouza", "fabio_mogi", "Fábio", "Gustavo", "Helena", "helena_mc",
         "Zuleica", "Prado", "+5511987654321", "5511987654321", "irene_braz", "Irene",
         "Diego", "Carla", "Bruno", "Eva"]  # fmt: skip


def all_values(lake: Lake) -> str:
    parts = []
    for name in schema.SCHEMAS:
        columns = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in schema.SCHEMAS[name].names)
        parts.extend(repr(row) for row in lake.sql(f"SELECT {columns} FROM <{name}>"))
    return "\n".join(parts)


def test_no_name_username_or_phone_reaches_the_enriched_zone(full_day: Lake) -> None:
    full_day.run()
    values = all_values(full_day)
    files = b"".join(files_of(full_day.root / "enriched").values())
    for name in NAMES:
        assert name not in values
        assert name.encode() not in files
    for user_id in (5550001, 5550006, 5550007):  # nor user ids (a private chat's id is one)
        assert str(user_id) not in values
    assert KEY not in values


def test_keep_names_puts_them_in_their_own_columns(full_day: Lake) -> None:
    full_day.run(keep_names=True)
    assert full_day.sql(
        "SELECT user_first_name, user_last_name, user_username FROM <messages> "
        "WHERE update_id = 100000001"
    ) == [("Ana", "Souza", "anasouza")]
    assert full_day.sql(
        "SELECT contact_phone_number, chat_id FROM <messages> WHERE content_type = 'contact'"
    ) == [("+5511987654321", None)]  # names when asked, never a user id


def test_user_keys_are_stable_across_runs_with_a_generated_key(lake: Path) -> None:
    day = make_lake(lake, key=None)
    day.add(fixture_bytes("message_text"))
    day.run()
    first = day.sql("SELECT user_key FROM <messages>")
    day.run()
    assert day.sql("SELECT user_key FROM <messages>") == first
    assert first[0][0] is not None


def test_a_reader_during_a_rerun_sees_the_old_partition_or_the_new_never_a_mix(
    full_day: Lake,
) -> None:
    # GIVEN two versions of a day that differ in most rows (names dropped / kept)
    full_day.run()
    path = full_day.root / "enriched" / publish.data_key("messages", DAY)
    seen: set[tuple[int, int]] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        # a reader that opens the file once (footer and pages through one handle); readers that
        # reopen the path between footer and pages are discussed in docs/etl.md
        while not stop.is_set():
            try:
                with path.open("rb") as handle:
                    table = pq.ParquetFile(handle).read()
                seen.add((table.num_rows, table.num_rows - table["user_first_name"].null_count))
                table = pq.read_table(pa.BufferReader(path.read_bytes()))
                seen.add((table.num_rows, table.num_rows - table["user_first_name"].null_count))
            except BaseException as exc:  # any failed read is the bug
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        # WHEN the day is rebuilt again and again while it is read
        for i in range(12):
            full_day.enriched.delete(lakestate.KEY)  # else the lake keeps names once kept
            full_day.run(keep_names=i % 2 == 0)
    finally:
        stop.set()
        reader.join()
    # THEN every read saw one whole version, never a file in the middle of its replacement
    assert errors == []
    assert seen <= {(19, 0), (19, 17)}  # the two channel posts have no sender name
    assert (19, 0) in seen


def test_a_registered_table_from_another_source_or_derived_rows_needs_no_loop_change(
    full_day: Lake,
) -> None:
    mentions_schema = pa.schema(
        [("update_id", pa.int64()), ("payload_hash", pa.string()), ("word", pa.string())]
    )
    replies_schema = pa.schema(
        [("update_id", pa.int64()), ("payload_hash", pa.string()), ("reply", pa.string())]
    )

    def mentions(row: dict[str, Any], ctx: flatten.Context) -> list[dict[str, Any]]:
        words = (row.get("text") or "").split()
        return [{"update_id": row["update_id"], "word": w} for w in words if w in {"Mara"}]

    def replies(update: dict[str, Any], ctx: flatten.Context) -> list[dict[str, Any]]:
        return [{"update_id": update["update_id"], "reply": update.get("reply")}]

    full_day.raw.put(
        "bot/context_date=2024-10-06/100000001.json", b'{"update_id": 100000001, "reply": "ok"}'
    )
    tables = (
        *flatten.TELEGRAM_SPECS,
        flatten.TableSpec("candidate_mentions", mentions_schema, mentions, parent="messages"),
        flatten.TableSpec("bot_replies", replies_schema, replies, source=layout.BOT_SOURCE),
    )
    report = full_day.run(tables=tables)
    assert report.rows["candidate_mentions"] == 2
    assert report.rows["bot_replies"] == 1
    glob = f"{full_day.root}/enriched/telegram/candidate_mentions/*/*.parquet"
    out = duckdb.sql(f"SELECT update_id, word FROM '{glob}' ORDER BY 1").fetchall()
    assert out == [(100000001, "Mara"), (100000002, "Mara")]


def test_pending_days_are_those_whose_raw_partition_changed(full_day: Lake) -> None:
    today = DAY + dt.timedelta(days=2)
    assert etl.pending_days(full_day.raw, full_day.enriched, today) == [DAY]
    full_day.run()
    assert etl.pending_days(full_day.raw, full_day.enriched, today) == []
    full_day.add(fixture_bytes("message_text"), NEXT)
    full_day.add(b'{"update_id": 100000099, "message": {"message_id": 1}}', DAY)
    assert etl.pending_days(full_day.raw, full_day.enriched, today) == [DAY, NEXT]
    assert etl.pending_days(full_day.raw, full_day.enriched, NEXT) == [DAY]


def test_run_days_reports_each_day_through_progress(full_day: Lake) -> None:
    seen: list[dt.date] = []
    reports = etl.run_days(
        [DAY, NEXT],
        settings=full_day.settings,
        raw=full_day.raw,
        enriched=full_day.enriched,
        progress=lambda report: seen.append(report.day),
    )
    assert seen == [DAY, NEXT]
    assert [r.written for r in reports] == [True, False]


def test_the_same_day_on_an_s3_server_gives_the_same_bytes(
    full_day: Lake, s3_bucket: tuple[str, Any]
) -> None:
    from tglake.adapters.s3_store import S3Store

    bucket, client = s3_bucket
    raw: ObjectStore = S3Store(f"s3://{bucket}/raw", client=client)
    enriched = S3Store(f"s3://{bucket}/enriched", client=client)
    for key in full_day.raw.list("telegram/"):
        raw.put(key, full_day.raw.get(key))
    settings = Settings.from_env(
        {"TGLAKE_PSEUDONYM_KEY": KEY}, lake=f"s3://{bucket}", raw_uri=raw.uri
    )
    report = etl.run_day(DAY, settings=settings, raw=raw, enriched=enriched, read_workers=8)
    full_day.run()
    local = files_of(full_day.root / "enriched")
    assert {k: enriched.get(k) for k in enriched.list("")} == local
    assert report.rows["messages"] == 19
    # and a rerun on S3 replaces the partition with the same bytes, one object per table
    etl.run_day(DAY, settings=settings, raw=raw, enriched=enriched)
    assert {k: enriched.get(k) for k in enriched.list("")} == local


def test_an_s3_lake_without_a_pseudonym_key_is_refused_before_anything_is_written(
    s3_bucket: tuple[str, Any],
) -> None:
    from tglake.adapters.s3_store import S3Store
    from tglake.errors import ConfigError

    bucket, client = s3_bucket
    raw = S3Store(f"s3://{bucket}/raw", client=client)
    enriched = S3Store(f"s3://{bucket}/enriched", client=client)
    raw.put(layout.raw_key(DAY, 100000001), fixture_bytes("message_text"))
    with pytest.raises(ConfigError, match="TGLAKE_PSEUDONYM_KEY is not set"):
        etl.run_day(DAY, settings=Settings(lake=f"s3://{bucket}"), raw=raw, enriched=enriched)
    assert list(enriched.list("")) == []


def test_memory_does_not_grow_with_the_size_of_the_day(tmp_path: Path) -> None:
    import tracemalloc

    template = json.loads(fixture_bytes("photo_caption"))

    def peak_for(n: int) -> int:
        day = make_lake(tmp_path / str(n))
        for i in range(n):
            day.add(json.dumps({**template, "update_id": i}).encode())
        tracemalloc.start()
        try:
            day.run(batch_size=200)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak_for(400), peak_for(3200)
    # each extra update costs only its name and its dedupe entry (a few hundred bytes); holding
    # the day (body, parsed update, row) would cost several kilobytes per update
    per_update = (large - small) / (3200 - 400)
    assert per_update < 500, per_update


def test_worker_processes_give_the_same_bytes_as_one_process(full_day: Lake) -> None:
    # GIVEN a day with a redelivery from the day before, a conflict and a reject
    body = fixture_bytes("voice")
    full_day.add(body, DAY - dt.timedelta(days=1))
    full_day.add(body.replace(b'"duration": 7', b'"duration": 8'))
    full_day.raw.put("telegram/context_date=2024-10-06/5.json", b"{")
    # WHEN it is flattened by two worker processes, in batches of three
    two = full_day.run(batch_size=3, processes=2)
    in_two = files_of(full_day.root / "enriched")
    one = full_day.run(batch_size=3, processes=1)
    # THEN the files and the report are those of a single process
    assert files_of(full_day.root / "enriched") == in_two
    assert dataclasses.replace(two, seconds=0) == dataclasses.replace(one, seconds=0)
    assert (one.duplicates_dropped, one.conflicts_kept, len(one.rejects)) == (1, 1, 1)
