"""Exported messages in the enriched tables: every quirk of the format, one identity for people
and chats, and no message counted twice whatever the order of arrival.

Exports are real-shaped (:mod:`tests.export_shapes`, from tdesktop's JSON writer); Bot API
updates go through the real ``receive``; the tables are read back with DuckDB."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import export_shapes as xs
from tests.etl.test_flatten import json_values
from tglake import etl, layout, schema, tdexport
from tglake.config import Settings
from tglake.etl import clean, export_flatten, flatten
from tglake.ingest import export, receive
from tglake.pseudonym import Pseudonymizer, load_or_create_key
from tglake.storage import LocalStore

D16, D17, D18 = dt.date(2024, 8, 16), dt.date(2024, 8, 17), dt.date(2024, 8, 18)
ANA = {
    "id": 1001,
    "is_bot": False,
    "first_name": "Ana",
    "last_name": "Souza",
    "language_code": "pt-br",
}
SUPERGROUP = {"id": xs.BOT_API_SUPERGROUP, "title": "Grupo Mogi 2024", "type": "supergroup"}


class Lake:
    """A tmp lake with the operations of these tests: webhook in, export in, ETL, SQL."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root, tmp
        self.settings = Settings.from_env({"TGLAKE_LAKE": str(root)})
        self.raw = LocalStore(root / "raw")
        self.enriched = LocalStore(root / "enriched")
        self.next_update = 500_000_000

    def webhook(
        self, message: dict[str, Any], received: dt.datetime, kind: str = "message"
    ) -> None:
        self.next_update += 1
        body = json.dumps({"update_id": self.next_update, kind: message}).encode()
        outcome = receive(body, {}, settings=self.settings, store=self.raw, now=received)
        assert outcome.status == "stored"

    def export(self, document: dict[str, Any], name: str = "e") -> export.ImportReport:
        path = xs.write(self.tmp / name, document)
        return export.import_export(path, settings=self.settings, raw=self.raw)

    def etl(self, *days: dt.date, keep_names: bool = False) -> list[etl.DayReport]:
        settings = dataclasses.replace(self.settings, keep_names=keep_names)
        return etl.run_days(list(days), settings=settings, raw=self.raw, enriched=self.enriched)

    def sql(self, query: str, table: str = "messages") -> list[tuple[Any, ...]]:
        files = f"{self.root}/enriched/telegram/{table}/*/*.parquet"
        view = f"(SELECT * FROM read_parquet('{files}', hive_partitioning = true))"
        return duckdb.sql(query.replace("{t}", view)).fetchall()


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake", tmp_path)


def bot_api_message(mid: int, when: dt.datetime, text: str, **extra: Any) -> dict[str, Any]:
    return {"message_id": mid, "from": ANA, "chat": SUPERGROUP, "date": int(when.timestamp()),
            "text": text, **extra}  # fmt: skip


@pytest.fixture
def supergroup(lake: Lake) -> dict[int, dict[str, Any]]:
    """The quirks export imported and its two days built; rows by message_id."""
    lake.export(xs.single_chat())
    lake.etl(D16, D17)
    columns = [f.name for f in etl.run.SPECS[0].schema] + ["context_date"]
    rows = lake.sql("SELECT " + ", ".join(columns) + " FROM {t}")
    return {r[columns.index("message_id")]: dict(zip(columns, r, strict=True)) for r in rows}


def test_exported_rows_say_where_they_came_from(supergroup: dict[int, dict[str, Any]]) -> None:
    assert {r["source"] for r in supergroup.values()} == {"export"}
    assert {r["update_id"] for r in supergroup.values()} == {None}
    assert {r["chat_id"] for r in supergroup.values()} == {xs.BOT_API_SUPERGROUP}
    assert {r["chat_type"] for r in supergroup.values()} == {"supergroup"}
    assert {r["chat_title"] for r in supergroup.values()} == {"Grupo Mogi 2024"}
    assert sorted(supergroup) == list(range(1, 17))  # 17 is "unsupported": no date, no row


@pytest.mark.parametrize(
    ("mid", "content_type", "text"),
    [
        (1, "migrate_from_chat_id", None),  # service: migrate_from_group
        (2, "new_chat_members", None),  # service: invite_members
        (3, "new_chat_members", None),  # service: join_group_by_link
        (4, "text", "Bom dia! Alguém viu o debate?"),  # text as a string
        (5, "text", "Vejam https://g1.globo.com/sp/mogi e comentem"),  # text as an array
        (6, "photo", "Santinho do 45"),  # photo not included: the caption stays
        (7, "sticker", None),  # file + media_type sticker
        (8, "voice", None),  # media_type voice_message
        (9, "video", "Comício na praça"),  # media_type video_file
        (10, "animation", None),  # media_type animation
        (14, "left_chat_member", None),  # service: remove_members
        (15, "text", "/candidato 45"),  # bot_command entity in an array
        (16, "document", "Plano de governo"),  # file without media_type, mime_type pdf
    ],
)
def test_each_kind_of_exported_message_gets_the_bot_api_content_type(
    supergroup: dict[int, dict[str, Any]], mid: int, content_type: str, text: str | None
) -> None:
    row = supergroup[mid]
    assert (row["content_type"], row["text"]) == (content_type, text)
    assert row["text_length"] == (len(text) if text else None)


def test_commands_replies_forwards_and_edits(supergroup: dict[int, dict[str, Any]]) -> None:
    assert supergroup[15]["command"] == "/candidato"
    assert supergroup[4]["command"] is None
    assert supergroup[5]["reply_to_message_id"] == 4
    assert [m for m, r in supergroup.items() if r["is_forward"]] == [11]
    assert supergroup[5]["edit_ts"] == xs.at(16, 10, 30)  # from edited_unixtime
    assert supergroup[5]["update_type"] == "message"  # one row, at its last edit
    assert supergroup[4]["edit_ts"] is None


def test_senders_users_and_channels(supergroup: dict[int, dict[str, Any]], lake: Lake) -> None:
    ana = supergroup[4]["user_key"]
    # the export's "user1001" is the Bot API's user 1001: the webhook's key for that person
    assert ana == Pseudonymizer(load_or_create_key(lake.settings))(1001)
    assert supergroup[6]["user_key"] == ana
    assert supergroup[2]["user_key"] == ana  # the actor of a service message
    # from_id channel<N>: the group speaking as itself, as the Bot API's sender_chat
    assert supergroup[12]["user_key"] is None
    assert supergroup[12]["sender_chat_id"] == xs.BOT_API_SUPERGROUP
    assert supergroup[1]["sender_chat_id"] == xs.BOT_API_SUPERGROUP


def test_dates_are_utc_instants_from_date_unixtime(supergroup: dict[int, dict[str, Any]]) -> None:
    assert supergroup[15]["message_ts"] == xs.at(16, 23, 30)
    assert supergroup[15]["context_date"] == D16  # the day in São Paulo
    assert supergroup[16]["context_date"] == D17  # 00:30 on the 17th


def test_names_stay_out_unless_asked(supergroup: dict[int, dict[str, Any]], lake: Lake) -> None:
    assert {r["user_first_name"] for r in supergroup.values()} == {None}
    lake.etl(D16, keep_names=True)
    assert lake.sql("SELECT user_first_name FROM {t} WHERE message_id = 4") == [("Ana Souza",)]


def test_reaction_counts_become_reaction_rows(
    supergroup: dict[int, dict[str, Any]], lake: Lake
) -> None:
    rows = lake.sql(
        "SELECT message_id, update_type, new_reactions, total_count, source FROM {t} ORDER BY 4",
        "reactions",
    )
    assert rows == [
        (13, "message_reaction_count", ["custom:5368324170671202286"], 1, "export"),
        (13, "message_reaction_count", ["👍"], 3, "export"),
    ]


def test_exported_mentions_of_candidates_are_found_too(lake: Lake) -> None:
    text = "Vou votar na Mara Bertaiolli"
    lake.export(xs.single_chat([xs.message(1, xs.at(16, 9), 1001, "Ana Souza", text=text)]))
    lake.etl(D16)
    assert lake.sql("SELECT count(*), min(update_id) FROM {t}", "candidate_mentions") == [(1, None)]


def test_one_person_one_user_key_and_one_chat_id_across_export_and_webhook(lake: Lake) -> None:
    lake.export(xs.single_chat())
    lake.webhook(bot_api_message(900, xs.at(18, 10), "cheguei"), xs.at(18, 10))
    lake.etl(D16, D17, D18)
    keys = lake.sql(
        "SELECT source, min(user_key) FROM {t}"
        " WHERE text LIKE 'Bom dia!%' OR text = 'cheguei' GROUP BY 1"
    )
    assert len({k for _, k in keys}) == 1
    assert {s for s, _ in keys} == {"export", "bot_api"}
    assert lake.sql("SELECT DISTINCT chat_id FROM {t}") == [(xs.BOT_API_SUPERGROUP,)]


def test_private_chats_get_no_chat_id_and_basic_groups_get_minus_n(lake: Lake) -> None:
    lake.export(xs.full_account())
    lake.etl(*layout.day_range(dt.date(2024, 8, 18), dt.date(2024, 8, 20)))
    rows = lake.sql(
        "SELECT chat_type, chat_id, chat_title, user_is_bot, count(*) FROM {t}"
        " GROUP BY ALL ORDER BY ALL"
    )
    assert rows == [
        ("channel", -1001600000002, "Canal Antigo", None, 1),
        ("channel", -1001500000001, "Notícias Mogi", None, 1),
        ("group", -555, "Família", None, 1),
        ("private", None, None, True, 1),  # the bot's own answer in a bot_chat
        ("private", None, None, None, 3),
        ("supergroup", -1001987654321, "Grupo Mogi 2024", None, 1),
        ("supergroup", -1001400000003, "Bairro Vivo", None, 1),
    ]
    assert lake.sql("SELECT DISTINCT update_type FROM {t} WHERE chat_type = 'channel'") == [
        ("channel_post",)
    ]


# ---------------------------------------------------------------- no double counting
def count_of(lake: Lake, mid: int) -> list[tuple[Any, ...]]:
    return lake.sql(
        f"SELECT source, text, update_id IS NOT NULL FROM {{t}} WHERE message_id = {mid}"
    )


def test_export_first_then_the_webhook_copy_wins_when_the_day_is_rebuilt(lake: Lake) -> None:
    # GIVEN the export imported and its days built
    lake.export(xs.single_chat())
    lake.etl(D16, D17)
    assert count_of(lake, 4) == [("export", "Bom dia! Alguém viu o debate?", False)]
    # WHEN the webhook delivers message 4 (same day) and message 15 (sent 23:30, received
    # after midnight, on the 17th), and the nightly ETL finds the pending days
    lake.webhook(bot_api_message(4, xs.at(16, 9), "Bom dia! Alguém viu o debate?"), xs.at(16, 9))
    lake.webhook(bot_api_message(15, xs.at(16, 23, 30), "/candidato 45"), xs.at(17, 0, 0))
    pending = etl.pending_days(lake.raw, lake.enriched, D18)
    assert pending == [D16, D17]
    lake.etl(*pending)
    # THEN each message is one row, the Bot API's
    assert count_of(lake, 4) == [("bot_api", "Bom dia! Alguém viu o debate?", True)]
    assert count_of(lake, 15) == [("bot_api", "/candidato 45", True)]
    assert lake.sql("SELECT count(*) FROM {t}") == [(16,)]


def test_webhook_first_then_the_export_adds_only_what_the_bot_missed(lake: Lake) -> None:
    lake.webhook(bot_api_message(5, xs.at(16, 9, 5), "Vejam isto"), xs.at(16, 9, 5))
    lake.webhook(bot_api_message(16, xs.at(17, 0, 30), "Plano de governo"), xs.at(17, 0, 31))
    lake.etl(D16, D17)
    report = lake.export(xs.single_chat())
    reports = lake.etl(*(dt.date.fromisoformat(d) for d in report.days))
    assert [r.exported.dropped_bot_api for r in reports] == [1, 1]
    assert count_of(lake, 5) == [("bot_api", "Vejam isto", True)]  # not the export's later edit
    assert count_of(lake, 16) == [("bot_api", "Plano de governo", True)]
    assert lake.sql("SELECT source, count(*) FROM {t} GROUP BY 1 ORDER BY 1") == [
        ("bot_api", 2),
        ("export", 14),
    ]


def test_the_webhook_edit_of_an_exported_message_is_a_history_row(lake: Lake) -> None:
    # the bot joined after message 4 was sent, then saw it edited: the export holds the
    # original, the webhook the edit; counts of messages see one message
    lake.export(xs.single_chat())
    edited = bot_api_message(4, xs.at(16, 9), "Bom dia! Alguém viu o debate de ontem?",
                             edit_date=int(xs.at(18, 8).timestamp()))  # fmt: skip
    lake.webhook(edited, xs.at(18, 8), kind="edited_message")
    lake.etl(D16, D17, D18)
    assert lake.sql("SELECT update_type, source FROM {t} WHERE message_id = 4 ORDER BY 1") == [
        ("edited_message", "bot_api"),
        ("message", "export"),
    ]


def test_basic_groups_match_by_sender_and_second_not_by_message_id(lake: Lake) -> None:
    # the exporter's message ids in a basic group are their own account's, not the bot's
    group = {"id": -555, "title": "Família", "type": "group"}
    when = xs.at(16, 12)
    lake.webhook({"message_id": 77, "from": ANA, "chat": group, "date": int(when.timestamp()),
                  "text": "quem ganha?"}, when)  # fmt: skip
    chat = {"name": "Família", "type": "private_group", "id": 555}
    first = xs.message(9001, when, 1001, "Ana Souza", text="quem ganha?")
    second = xs.message(9002, xs.at(16, 13), 1001, "Ana Souza", text="eu acho")
    lake.export({**chat, "messages": [first, second]})
    lake.etl(D16)
    assert lake.sql("SELECT message_id, source FROM {t} ORDER BY 1") == [
        (77, "bot_api"),
        (9002, "export"),
    ]


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_two_exports_of_a_message_keep_the_later_edit_in_any_order(lake: Lake, order: str) -> None:
    original = xs.message(4, xs.at(16, 9), 1001, "Ana Souza", text="versão 1")
    edit = xs.stamp(xs.at(20, 9))
    edited = {"edited": edit["date"], "edited_unixtime": edit["date_unixtime"]}
    newer = xs.message(4, xs.at(16, 9), 1001, "Ana Souza", text="versão 2", edited=edited)
    documents = [xs.single_chat([original]), xs.single_chat([newer])]
    for n, document in enumerate(documents if order == "older first" else documents[::-1]):
        lake.export(document, name=f"e{n}")
    [report] = lake.etl(D16)
    assert report.exported.dropped_exports == 1
    assert lake.sql("SELECT text FROM {t}") == [("versão 2",)]


def test_an_import_cut_short_is_invisible_to_the_etl(lake: Lake) -> None:
    report = lake.export(xs.single_chat())
    lake.raw.delete(layout.export_manifest_key(report.digest))  # as if the last write failed
    [day] = lake.etl(D16)
    assert not day.written
    assert day.exported.rows == 0


def test_a_users_export_of_their_chat_with_the_bot_is_not_counted_twice(lake: Lake) -> None:
    when = xs.at(18, 12)
    private = {"id": 1001, "first_name": "Ana", "type": "private"}
    lake.webhook({"message_id": 3, "from": ANA, "chat": private, "date": int(when.timestamp()),
                  "text": "/start"}, when)  # fmt: skip
    answer = xs.message(9, xs.at(18, 12, 1), 777000111, "Mogi Eleições Bot", text="Olá!")
    question = xs.message(8, when, 1001, "Ana Souza", text="/start")
    bot_chat = {"name": "Mogi Eleições Bot", "type": "bot_chat", "id": 777000111}
    lake.export({**bot_chat, "messages": [question, answer]})
    [report] = lake.etl(D18)
    assert report.exported.dropped_bot_api == 1
    assert lake.sql("SELECT text, source, user_is_bot FROM {t} ORDER BY 1") == [
        ("/start", "bot_api", False),
        ("Olá!", "export", True),  # the bot's answers are no updates: only the export has them
    ]


def test_import_and_etl_on_s3(tmp_path: Path, s3_bucket: tuple[str, Any]) -> None:
    from tglake.adapters.s3_store import S3Store

    bucket, client = s3_bucket
    settings = Settings.from_env(
        {"TGLAKE_LAKE": f"s3://{bucket}", "TGLAKE_PSEUDONYM_KEY": "k" * 32}
    )
    raw = S3Store(f"s3://{bucket}/raw", client=client)
    enriched = S3Store(f"s3://{bucket}/enriched", client=client)
    export.import_export(xs.write(tmp_path / "e", xs.single_chat()), settings=settings, raw=raw)
    body = json.dumps({"update_id": 1, "message": bot_api_message(4, xs.at(16, 9), "oi")}).encode()
    receive(body, {}, settings=settings, store=raw, now=xs.at(16, 9))
    [day] = etl.run_days([D16], settings=settings, raw=raw, enriched=enriched)
    assert (day.rows["messages"], day.exported.rows, day.exported.dropped_bot_api) == (15, 14, 1)


def test_service_actions_without_a_bot_api_twin_keep_their_export_name(lake: Lake) -> None:
    # shapes of chat-analytics' public samples (DM_2A_7M.json, MultiChat_2C_6M.json)
    call = xs.service(2003, xs.at(16, 10), 1003, "Carla Dias", "phone_call", duration_seconds=120)
    only_unixtime = xs.message(3662, xs.at(16, 11), 1001, "Ana Souza", text="world?")
    del only_unixtime["date"]
    lake.export({"name": "Carla Dias", "type": "personal_chat", "id": 1003,
                 "messages": [call, only_unixtime]})  # fmt: skip
    lake.etl(D16)
    assert lake.sql("SELECT content_type, text FROM {t} ORDER BY message_ts") == [
        ("service:phone_call", None),
        ("text", "world?"),
    ]


# ---------------------------------------------------------------- never raises
EXPORT_FIELDS = ["id", "type", "date", "date_unixtime", "edited_unixtime", "from", "from_id",
                 "actor_id", "action", "text", "photo", "file", "media_type", "reactions",
                 "forwarded_from", "reply_to_message_id", "contact_information"]  # fmt: skip
exported = st.dictionaries(
    st.sampled_from(EXPORT_FIELDS),
    json_values
    | st.sampled_from(["user12", "channel5", "chat7", "service", "photo_x", "sticker"])
    | st.text(alphabet="0123456789", min_size=1, max_size=22)
    | st.builds(lambda n: f"2024-08-{n:02d}T10:00:00", st.integers(1, 31)),
    max_size=8,
)
chats = st.fixed_dictionaries(
    {
        "type": st.sampled_from([*tdexport.CHAT_TYPES, "replies", "nonsense"]) | json_values,
        "id": st.integers(0, 2**40) | json_values,
    }
)
KEYS = flatten.Context(user_key=lambda uid: f"k{uid}")


@settings(max_examples=200, deadline=None)
@given(chats, exported)
def test_an_exported_message_never_raises_and_fits_the_schema(
    chat: dict[str, Any], message: dict[str, Any]
) -> None:
    tdexport.export_message_key(chat, message)
    row = export_flatten.message_row(chat, message, KEYS)
    if row is None:
        return
    row["payload_hash"] = "h"
    scrubbed = {k: clean.scrub_surrogates(v) for k, v in row.items()}
    assert pa.Table.from_pylist([scrubbed], schema=schema.MESSAGES).num_rows == 1
    reactions = [{**r, "payload_hash": "h"} for r in export_flatten.reaction_rows(row, message)]
    assert pa.Table.from_pylist(reactions, schema=schema.REACTIONS).num_rows == len(reactions)
