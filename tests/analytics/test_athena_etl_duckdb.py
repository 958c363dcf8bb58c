"""The Athena ETL's logic, run offline on DuckDB, gives the rows the Python ETL writes.

What this checks, and what it does not. No Athena or Trino runs here. Each rendered ``INSERT``'s
SELECT is translated by sqlglot from Trino to DuckDB and run over the same raw zone the Python
ETL read: a lake built by posting Bot API updates through the real ingest (redeliveries, one
that crossed midnight, conflicting payloads, private and group chats, edits, captions,
reactions, callback queries, member updates, bot events) and running the real ETL. Its rows are
compared, value by value and type by type, with the ETL's Parquet read back. So the statements'
*logic* is checked: deduplication, which updates a table takes, the keyed hash, which ids are
dropped, the cleaning, the reaction lists, the bot event rules. A SQL that diverges fails here
(``test_a_sql_that_keeps_a_private_chats_id_fails_the_check`` proves one does).

Not checked, because DuckDB cannot run those Trino functions as Trino does, so they are
emulated with Python functions that follow Trino's documentation:

* ``hmac_sha256`` (DuckDB has none): Python's ``hmac``, as ``tglake.pseudonym`` computes;
* ``regexp_replace`` and ``regexp_extract`` (DuckDB's RE2 has no look-around, which the
  ``@username`` and command patterns use): Python's ``re``. Athena runs them on Joni; that
  Joni reads ``\\w``, ``\\b`` and ``\\s`` as Unicode classes, as Python does, is not checked;
* ``normalize(…, NFC)``: Python's ``unicodedata``.

The JSON functions (``json_extract``, ``json_extract_scalar``, ``json_format``, casts to arrays)
run as sqlglot translates them to DuckDB's; they agree with Trino's on the well-formed Bot API
values of this lake, not on every JSON value (docs/scale.md lists the differences known). The
raw tables are DuckDB views that read each object whole; Athena's TEXTFILE reads lines, which
agrees because every raw object here is one line (checked).

One difference is by design: a message text whose entities name a person is null in SQL (the
statement says why); the comparison requires exactly that for those rows, and equality
everywhere else.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from tests import lakebuild
from tests.lakebuild import Updates, group, person, private
from tglake import etl, layout, personal, schema
from tglake.analytics import athena_etl
from tglake.storage import LocalStore

DAY_A, DAY_B = dt.date(2024, 10, 5), dt.date(2024, 10, 6)
ANA = person(101, "Ana")
BRUNO = person(102, "Bruno")
CARLA = {**person(103, "Carla"), "last_name": "Souza", "username": "carlasouza"}
BOT = {"id": 999, "is_bot": True, "first_name": "MogiBot", "username": "MogiBot"}
GROUP = group(-1001, "Eleic\u0327a\u0303o Mogi\u00a0")  # NFD accents, a trailing NBSP
CHANNEL = group(-1002, "Canal", "channel")


@dataclasses.dataclass(frozen=True)
class Fixture:
    lake: Path
    reports: dict[dt.date, etl.DayReport]
    entity_redacted: frozenset[int]
    """update_ids of messages whose entities name a person (their text is null in SQL)."""


def _updates() -> tuple[Updates, set[int]]:
    """A real-shaped conversation over two days in America/Sao_Paulo (UTC-3): times are UTC."""
    u = Updates()
    redacted = set()
    u.message(ANA, GROUP, "2024-10-05 12:00", "falei com @mariazinha ontem")
    typed_mention = u.next_update_id - 1
    u.message(ANA, GROUP, "2024-10-05 12:01", "Oi @joaosilva, tudo bem?")
    u.updates[-1][0]["message"]["entities"] = [{"offset": 3, "length": 10, "type": "mention"}]
    redacted.add(u.next_update_id - 1)
    u.message(
        BRUNO, GROUP, "2024-10-05 12:02", caption="mande para ana@exemplo.com",
        content={
            "photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}],
            "caption_entities": [{"offset": 11, "length": 15, "type": "email"}],
        },
    )  # fmt: skip
    redacted.add(u.next_update_id - 1)
    u.message(ANA, private(ANA), "2024-10-05 12:05", "/Candidato@MogiBot Mara")
    asked_privately = u.next_update_id - 1
    accented = u.message(BRUNO, GROUP, "2024-10-05 12:10", "  Ac\u0327a\u0303o\u0007 ok 🎉\u00a0\n")
    u.edit(ANA, GROUP, 1, "2024-10-05 12:00", "2024-10-05 12:30", "falei com a Mara ontem")
    u.message(None, CHANNEL, "2024-10-05 13:00", "Boletim das 10h")
    u.message(
        CARLA, GROUP, "2024-10-05 13:05", "olha isso",
        content={"forward_origin": {"type": "hidden_user", "date": 1, "sender_user_name": "X"},
                 "reply_to_message": {"message_id": accented, "date": 1, "chat": GROUP}},
    )  # fmt: skip
    u.message(
        CARLA,
        private(CARLA),
        "2024-10-05 13:10",
        content={"contact": {"phone_number": "+5511999990000", "first_name": "Zé"}},
    )
    u.message(BOT, GROUP, "2024-10-05 13:15", "Resultado: 3 candidatos")
    u.message(
        CARLA, GROUP, "2024-10-05 13:20",
        content={"poll": {"id": "1", "question": "Quem?", "options": [], "is_closed": False}},
    )  # fmt: skip
    u.callback(ANA, private(ANA), 4, "2024-10-05 14:00", "cand:12345")
    u.callback(BRUNO, GROUP, 9, "2024-10-05 14:01", "partido:\u0007PT ")
    reacted = u.add(
        "message_reaction",
        {
            "chat": GROUP, "message_id": 1, "user": BRUNO,
            "date": lakebuild.epoch("2024-10-05 14:10"),
            "old_reaction": [{"type": "emoji", "emoji": "👍"}],
            "new_reaction": [
                {"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"},
                {"type": "paid"},
            ],
        },
        lakebuild.ts("2024-10-05 14:10"),
    )  # fmt: skip
    u.add(
        "message_reaction_count",
        {
            "chat": GROUP, "message_id": 1, "date": lakebuild.epoch("2024-10-05 14:20"),
            "reactions": [
                {"type": {"type": "emoji", "emoji": "👍"}, "total_count": 3},
                {"type": {"type": "custom_emoji", "custom_emoji_id": "77"}, "total_count": 1},
            ],
        },
        lakebuild.ts("2024-10-05 14:20"),
    )  # fmt: skip
    u.member(ANA, GROUP, "2024-10-05 15:00", CARLA, "left", "member")
    u.updates[-1][0]["chat_member"]["invite_link"] = {"invite_link": "https://t.me/+x"}
    u.member(ANA, GROUP, "2024-10-05 15:01", BOT, "left", "administrator", kind="my_chat_member")
    u.member(BRUNO, private(BRUNO), "2024-10-05 15:02", BOT, "member", "kicked", "my_chat_member")
    poll = {"id": "9", "question": "?", "options": [], "is_closed": True}
    u.add("poll", poll, lakebuild.ts("2024-10-05 15:03"))  # a kind no table flattens
    # redeliveries: the same day, then across midnight (23:59 and 00:01 in São Paulo)
    u.resend(typed_mention, "2024-10-05 16:00")
    u.resend(reacted, "2024-10-05 16:01")
    late = u.message(BRUNO, GROUP, "2024-10-06 02:59", "quase meia-noite")
    late_id = u.next_update_id - 1
    u.resend(late_id, "2024-10-06 03:01")
    # different payloads under known update_ids: the same day, and across midnight
    u.resend(typed_mention, "2024-10-05 16:02", text="falei com @outrapessoa")
    u.resend(late_id, "2024-10-06 03:02", text="quase meia-noite!")
    # the next day
    u.message(BRUNO, GROUP, "2024-10-06 15:00", "\u00a0/Resultado 2024")  # a command after a space
    u.reaction(ANA, GROUP, late, "2024-10-06 15:05", "❤")
    u.callback(BRUNO, private(BRUNO), 2, "2024-10-06 15:06", "cand:67890")
    # bot events: a private question (its query names someone), a group one stored again after
    # midnight, and a version 1 event (no user_id, no chat_type) of a private chat
    asked = _event(asked_privately, "message", 101, "private", 101, "2024-10-05T12:05:00.123")
    u.bot_event(asked | {"query": "Mara @joaosilva", "matched_ids": ["12345", "67890"]})
    in_group = _event(late_id, "message", -1001, "supergroup", 102, "2024-10-06T02:59:30.000")
    u.bot_event(in_group)
    u.bot_event(in_group, at="2024-10-06 03:00:30")
    version_1 = _event(
        u.next_update_id - 1, "callback_query", 102, None, None, "2024-10-06T15:06:00.000"
    )
    del version_1["user_id"], version_1["chat_type"]
    u.bot_event(version_1 | {"event_version": 1})
    return u, redacted


def _event(
    update_id: int, kind: str, chat_id: int, chat_type: str | None, user_id: int | None, at: str
) -> dict[str, Any]:
    """A bot event as ``tglake.bot.responder.bot_event`` writes it, replied at ``at`` (UTC)."""
    return {
        "event_version": 2, "update_id": update_id, "update_kind": kind, "chat_id": chat_id,
        "chat_type": chat_type, "user_id": user_id, "command": "/candidato", "query": None,
        "matched_kind": "candidate", "matched_ids": [], "result_count": 0, "answered": False,
        "latency_ms": 12.345, "reply_method": "sendMessage", "reply_chars": 420,
        "reply_ts": f"{at}+00:00",
    }  # fmt: skip


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    """The lake, its ETL (without names: ``enriched/``; with names: ``enriched-names/``)."""
    updates, redacted = _updates()
    lake = lakebuild.build_lake(tmp_path_factory.mktemp("athena") / "lake", updates)
    reports = {
        day: etl.run_day(
            day,
            settings=dataclasses.replace(lakebuild.settings_for(lake), keep_names=True),
            raw=LocalStore(lake / "raw"),
            enriched=LocalStore(lake / "enriched-names"),
        )
        for day in (DAY_A, DAY_B)
    }
    return Fixture(lake, reports, frozenset(redacted))


# ----------------------------------------------------------- Trino functions DuckDB lacks
def _hmac_sha256(message: bytes, key: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _regexp_replace(text: str, pattern: str, replacement: str) -> str:
    """Trino's ``regexp_replace``: every match replaced (no ``$n`` references are used here)."""
    assert not {"$", "\\"} & set(replacement)
    return re.sub(pattern, lambda _: replacement, text)


def _regexp_extract(text: str | None, pattern: str | None, group: int | None) -> str | None:
    """Trino's ``regexp_extract``: the group of the first match, null without one."""
    if text is None or pattern is None or group is None:
        return None
    match = re.search(pattern, text)
    return match[group] if match else None


def _emulate(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Normalize):
        assert node.args["form"].name.upper() == "NFC"
        return exp.Anonymous(this="trino_nfc", expressions=[node.this])
    if isinstance(node, exp.RegexpReplace):
        args = [node.this, node.expression, node.args["replacement"]]
        return exp.Anonymous(this="trino_regexp_replace", expressions=args)
    if isinstance(node, exp.RegexpExtract):
        args = [node.this, node.expression, node.args["group"]]
        return exp.Anonymous(this="trino_regexp_extract", expressions=args)
    return node


def duckdb_select(text: str) -> str:
    """The SELECT of a rendered INSERT, from Trino to DuckDB, with the emulated functions."""
    insert = sqlglot.parse_one(text, read="athena").find(exp.Insert)
    assert insert is not None
    select = insert.expression.copy()
    for node in reversed(list(select.dfs())):  # innermost first: calls nest
        emulated = _emulate(node)
        if emulated is not node:
            node.replace(emulated)
    assert not list(select.find_all(exp.RegexpLike, exp.RegexpSplit)), "emulate it too"
    # without comments: with a quote mark in one, DuckDB 2.0.1 returned other values
    return select.sql(dialect="duckdb", comments=False)


def connect(raw: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB with the raw tables Athena reads (columns ``body``, ``context_date``)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # Athena's session zone
    con.execute("CREATE SCHEMA tglake")
    for table, source in athena_etl.RAW_TABLES.items():
        con.execute(
            f"CREATE VIEW tglake.{table} AS SELECT content AS body, "
            f"regexp_extract(filename, 'context_date=([0-9-]+)/', 1) AS context_date "
            f"FROM read_text('{raw}/{source}/*/*.json')"
        )
    blob, varchar = duckdb.sqltype("BLOB"), duckdb.sqltype("VARCHAR")
    con.create_function("hmac_sha256", _hmac_sha256, [blob, blob], blob)
    con.create_function("trino_nfc", lambda s: unicodedata.normalize("NFC", s), [varchar], varchar)
    con.create_function("trino_regexp_replace", _regexp_replace, [varchar] * 3, varchar)
    con.create_function(
        "trino_regexp_extract",
        _regexp_extract,
        [varchar, varchar, duckdb.sqltype("BIGINT")],
        varchar,
        null_handling="special",  # it returns null when nothing matches
    )
    return con


_DUCKDB_TYPES = {
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
    schema.TS: "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
}


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, list):
        return tuple(value)
    return value


Rows = list[tuple[Any, ...]]


def sql_rows(fixture: Fixture, table: str, *, keep_names: bool = False) -> tuple[Rows, list[str]]:
    """Every day's rows of the table by the Athena statement on DuckDB, and their types."""
    con = connect(fixture.lake / "raw")
    rows: Rows = []
    types: list[str] = []
    for day in (DAY_A, DAY_B):
        text = athena_etl.render(
            f"{table}_insert", database="tglake", raw_location="s3://unused/", day=day,
            pseudonym_key=lakebuild.PSEUDONYM_KEY, keep_names=keep_names,
        )  # fmt: skip
        result = con.sql(duckdb_select(text))
        types = [str(t) for t in result.types]
        rows += [tuple(map(_value, row)) for row in result.fetchall()]
    return rows, types


def python_rows(fixture: Fixture, table: str, *, keep_names: bool = False) -> Rows:
    enriched = fixture.lake / ("enriched-names" if keep_names else "enriched")
    glob = f"{enriched}/{layout.enriched_table_prefix(table)}*/*.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    result = con.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)")
    return [tuple(map(_value, row)) for row in result.fetchall()]


def without_entity_redactions(fixture: Fixture, python: Rows, sql: Rows) -> tuple[Rows, Rows]:
    """The one difference by design: where Python replaced entity spans that name a person,
    the SQL text (and its length) is null. Requires exactly that, then blanks both."""
    names = schema.MESSAGES.names
    text, length, update_id = names.index("text"), names.index("text_length"), 0
    out = []
    for rows, side in ((python, "python"), (sql, "sql")):
        blanked = []
        for row in rows:
            if row[update_id] in fixture.entity_redacted:
                if side == "sql":
                    assert (row[text], row[length]) == (None, None), row
                else:
                    assert any(p in row[text] for p in personal.PLACEHOLDERS.values()), row
                row = tuple(None if i in (text, length) else v for i, v in enumerate(row))
            blanked.append(row)
        out.append(blanked)
    return out[0], out[1]


def assert_same_rows(table: str, python: Rows, sql: Rows) -> None:
    """The same rows, as many times each; else an error naming each row's differing columns."""
    only_python = list((collections.Counter(python) - collections.Counter(sql)).elements())
    only_sql = list((collections.Counter(sql) - collections.Counter(python)).elements())
    names = [*schema.SCHEMAS[table].names, "context_date"]
    lines = [f"{table}: rows only the Python ETL wrote, then rows only the SQL gave"]
    for side, rows in (("python", only_python), ("sql", only_sql)):
        lines += [f"  {side}: {dict(zip(names, row, strict=True))}" for row in rows]
    assert only_python + only_sql == [], "\n".join(lines)


def test_the_lake_holds_what_the_check_claims_to_cover(fixture: Fixture) -> None:
    # GIVEN the lake built through the real ingest and ETL
    a, b = fixture.reports[DAY_A], fixture.reports[DAY_B]
    # THEN the redelivery that crossed midnight reached the second day's raw partition and the
    # ETL dropped it there (a same-day redelivery never reaches the raw zone: same key), and
    # the ETL kept the conflicting payloads (one the same day, one across midnight)
    assert (a.duplicates_dropped, b.duplicates_dropped) == (0, 1)
    assert (a.conflicts_kept, b.conflicts_kept) == (1, 1)
    assert a.unknown_kinds == {"poll": 1}
    # AND every table the Athena path writes has rows on the first day
    assert all(a.rows[table] > 0 for table in athena_etl.INSERTS), a.rows
    # AND every raw object is one line, as Athena's TEXTFILE table reads it
    raw = list((fixture.lake / "raw").rglob("*.json"))
    assert len(raw) > 20
    assert all(b"\n" not in path.read_bytes() for path in raw)


@pytest.mark.parametrize("table", athena_etl.INSERTS)
def test_each_insert_gives_the_python_etls_rows_and_types_on_duckdb(
    fixture: Fixture, table: str
) -> None:
    # WHEN each day's INSERT runs on DuckDB over the raw zone the Python ETL read
    sql, types = sql_rows(fixture, table)
    python = python_rows(fixture, table)
    # THEN its columns have the table's types
    expected = [_DUCKDB_TYPES[field.type] for field in schema.SCHEMAS[table]]
    assert types == [*expected, "DATE"]
    # AND its rows are the Python ETL's, value for value, on both days
    if table == "messages":
        python, sql = without_entity_redactions(fixture, python, sql)
    assert len(sql) == len(python) > 0
    assert_same_rows(table, python, sql)


def test_with_keep_names_the_messages_insert_writes_the_names_python_writes(
    fixture: Fixture,
) -> None:
    sql, _ = sql_rows(fixture, "messages", keep_names=True)
    python = python_rows(fixture, "messages", keep_names=True)
    python, sql = without_entity_redactions(fixture, python, sql)
    first_name = schema.MESSAGES.names.index("user_first_name")
    assert {row[first_name] for row in python} >= {"Ana", "Carla"}
    assert_same_rows("messages", python, sql)


def test_a_sql_that_keeps_a_private_chats_id_fails_the_check(
    fixture: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a broken rule: the chat id kept whatever the chat's type
    def keeps_every_id(chat: str) -> str:
        return f"TRY_CAST(json_extract_scalar({chat}, '$.id') AS bigint)"

    monkeypatch.setitem(athena_etl.MACROS, "chat_id", keeps_every_id)
    # WHEN the callbacks INSERT runs on DuckDB
    sql, _ = sql_rows(fixture, "callbacks")
    # THEN the comparison fails, on the private chat's row
    with pytest.raises(AssertionError):
        assert_same_rows("callbacks", python_rows(fixture, "callbacks"), sql)
    assert ANA["id"] in {row[schema.CALLBACKS.names.index("chat_id")] for row in sql}
