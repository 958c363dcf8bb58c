"""Exports of every era of Telegram Desktop: every message a row, one ``user_key`` per person,
one ``chat_id`` per chat.

The exports are shaped as tdesktop wrote them in each era (:mod:`tests.export_shapes`, from the
writer's git history: bare and encoded numeric ``from_id``, encoded chat ids, local dates
without ``date_unixtime``, migrated groups with negative ids, Saved Messages, bot chats); each is
run through the real import and the real ETL, and the tables are read back with DuckDB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests import export_shapes as xs
from tests.etl.test_export_flatten import Lake
from tglake.ingest import export
from tglake.pseudonym import Pseudonymizer, load_or_create_key


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake", tmp_path)


CHANNEL = -1001292077344
MIGRATED_SUPERGROUP = -1001400000003


def days_of(report: export.ImportReport) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in report.days]


def key_of(lake: Lake, user_id: int) -> str:
    return Pseudonymizer(load_or_create_key(lake.settings))(user_id)


def test_an_export_older_than_date_unixtime_is_dated_in_the_lakes_zone_and_every_message_is_a_row(
    lake: Lake,
) -> None:
    report = lake.export(xs.channel_2020())
    assert (report.kept, report.local_dates, report.timezone) == (2, 2, "America/Sao_Paulo")
    reports = lake.etl(*days_of(report))
    assert [r.rejects for r in reports] == [[]]
    rows = lake.sql("SELECT message_id, epoch(message_ts), chat_id, chat_type FROM {t} ORDER BY 1")
    posted = dt.datetime(2020, 10, 5, 21, 30, tzinfo=xs.SAO_PAULO).timestamp()
    assert rows == [
        (101, posted, CHANNEL, "channel"),
        (102, posted + 300, CHANNEL, "channel"),
    ]


def test_the_export_zone_can_be_given_and_the_manifest_records_it(lake: Lake) -> None:
    path = xs.write(lake.tmp / "lisbon", xs.channel_2020())
    report = export.import_export(
        path, settings=lake.settings, raw=lake.raw, timezone=ZoneInfo("Europe/Lisbon")
    )
    assert report.timezone == "Europe/Lisbon"
    assert b'"timezone": "Europe/Lisbon"' in lake.raw.get(f"export/manifests/{report.digest}.json")
    lake.etl(*days_of(report))
    lisbon = dt.datetime(2020, 10, 5, 21, 30, tzinfo=ZoneInfo("Europe/Lisbon")).timestamp()
    assert lake.sql("SELECT min(epoch(message_ts)) FROM {t}") == [(lisbon,)]


def test_one_channel_exported_in_2020_and_in_2021_is_one_chat(lake: Lake) -> None:
    old, new = lake.export(xs.channel_2020(), "2020"), lake.export(xs.channel_2021(), "2021")
    assert [c.chat_id for c in old.chats + new.chats] == [CHANNEL, CHANNEL]
    lake.etl(*days_of(old), *days_of(new))
    assert lake.sql("SELECT DISTINCT chat_id FROM {t}") == [(CHANNEL,)]
    assert lake.sql("SELECT sender_chat_id FROM {t} WHERE message_id = 201") == [(CHANNEL,)]


def test_numeric_from_ids_of_every_era_give_the_same_user_key_as_todays_exports(
    lake: Lake,
) -> None:
    reports = [
        lake.export(xs.full_account_2020(), "bare-2020"),  # from_id 1001
        lake.export(xs.migrated_supergroup_2021(), "encoded-2021"),  # from_id 4294968297
        lake.export(xs.single_chat(), "strings-2024"),  # from_id "user1001"
    ]
    lake.etl(*sorted({d for r in reports for d in days_of(r)}))
    # every sender of the three eras decoded to a real person: no key of an encoded id
    people = {1001: "Ana", 1002: "Bruno", 1003: "Carla", 1004: "Dora", 777000111: "bot"}
    keys = lake.sql("SELECT DISTINCT user_key FROM {t} WHERE user_key IS NOT NULL")
    assert {k for (k,) in keys} == {key_of(lake, person) for person in people}
    migrated_ana = lake.sql(
        f"SELECT DISTINCT user_key FROM {{t}} WHERE message_id = {xs.MIGRATED + 40}"
    )
    assert migrated_ana == [(key_of(lake, 1001),)]


def test_a_migrated_group_and_its_supergroup_are_one_chat(lake: Lake) -> None:
    report = lake.export(xs.migrated_supergroup_2021())
    assert [(c.chat_type, c.chat_id) for c in report.chats] == [("supergroup", MIGRATED_SUPERGROUP)]
    lake.etl(*days_of(report))
    rows = lake.sql(
        "SELECT message_id, chat_id, content_type, reply_to_message_id FROM {t} "
        "ORDER BY message_ts, message_id"
    )
    assert rows == [
        (-999999960, MIGRATED_SUPERGROUP, "text", None),
        (-999999959, MIGRATED_SUPERGROUP, "text", -999999960),
        (-999999958, MIGRATED_SUPERGROUP, "migrate_to_chat_id", None),
        (1, MIGRATED_SUPERGROUP, "migrate_from_chat_id", None),
        (2, MIGRATED_SUPERGROUP, "text", None),
    ]
    # the supergroup posting its own migrate_from_group is the chat itself, not a person
    assert lake.sql("SELECT sender_chat_id, user_key FROM {t} WHERE message_id = 1") == [
        (MIGRATED_SUPERGROUP, None)
    ]


def test_saved_messages_and_a_chat_with_a_bot_of_2020(lake: Lake) -> None:
    report = lake.export(xs.full_account_2020())
    assert [(c.export_type, c.chat_type, c.chat_id, c.messages) for c in report.chats] == [
        ("saved_messages", "private", None, 2),
        ("bot_chat", "private", None, 2),
        ("private_group", "group", -555, 1),
    ]
    assert [r.rejects for r in lake.etl(*days_of(report))] == [[]]
    rows = lake.sql(
        "SELECT message_id, chat_id, user_key, user_is_bot, is_forward FROM {t} ORDER BY message_id"
    )
    ana, bot, dora = key_of(lake, 1001), key_of(lake, 777000111), key_of(lake, 1004)
    assert rows == [
        (5, None, ana, None, False),
        (6, None, ana, None, True),  # saved_from: saved from a channel, a forward
        (7, None, ana, None, False),
        (8, None, bot, True, False),
        (9, -555, dora, None, False),
    ]
