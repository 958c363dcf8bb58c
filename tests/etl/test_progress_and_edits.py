"""The ETL reports progress after every batch (a big day is not one silent step), and reads
candidate names in edits once per message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from tests.lakebuild import Updates, build_lake, group, person, settings_for
from tglake import etl
from tglake.storage import LocalStore

DAY = dt.date(2024, 10, 1)
ANA = person(101, "Ana")
GROUP = group(-1001, "Grupo")


def _day_of_updates(lake: Path, count: int, events: int = 0) -> Path:
    updates = Updates()
    for n in range(count):
        updates.message(ANA, GROUP, f"2024-10-01 12:{n:02d}", f"mensagem {n}")
    for n in range(events):
        updates.bot_event({"update_id": n + 1, "reply_ts": "2024-10-01T12:00:00.000+00:00"})
    return build_lake(lake, updates)


def test_run_day_reports_progress_after_every_batch_of_every_source(lake: Path) -> None:
    _day_of_updates(lake, 5, events=2)
    calls: list[tuple[int, int]] = []
    etl.run_day(
        DAY,
        settings=settings_for(lake),
        raw=LocalStore(lake / "raw"),
        enriched=LocalStore(lake / "enriched"),
        batch_size=2,
        on_batch=lambda done, total: calls.append((done, total)),
    )
    # telegram/: 2 + 2 + 1 updates, then bot/: the 2 events; 7 raw objects in all
    assert calls == [(2, 7), (4, 7), (5, 7), (7, 7)]


def test_run_days_tells_which_day_each_batch_belongs_to(lake: Path) -> None:
    updates = Updates()
    updates.message(ANA, GROUP, "2024-10-01 12:00", "um")
    updates.message(ANA, GROUP, "2024-10-02 12:00", "dois")
    updates.message(ANA, GROUP, "2024-10-02 12:01", "três")
    build_lake(lake, updates)
    calls: list[tuple[dt.date, int, int]] = []
    etl.run_days(
        [DAY, DAY + dt.timedelta(days=1)],
        settings=settings_for(lake),
        raw=LocalStore(lake / "raw"),
        enriched=LocalStore(lake / "enriched"),
        on_batch=lambda day, done, total: calls.append((day, done, total)),
    )
    assert calls == [(DAY, 1, 1), (DAY + dt.timedelta(days=1), 2, 2)]


def mentions(lake: Path) -> list[tuple[int, int, str]]:
    return duckdb.sql(
        "SELECT update_id, candidate_number, matched_text FROM read_parquet("
        f"'{lake}/enriched/telegram/candidate_mentions/*/*.parquet') ORDER BY update_id, 2"
    ).fetchall()


def test_a_name_added_by_an_edit_counts_once_for_that_message(lake: Path) -> None:
    updates = Updates()
    sent = "2024-10-01 12:00"
    m1 = updates.message(ANA, GROUP, sent, "quem vocês acham?")  # update 1: nobody
    updates.edit(ANA, GROUP, m1, sent, "2024-10-01 12:05", "quem? Caio Cunha")  # 2: 20
    updates.edit(ANA, GROUP, m1, sent, "2024-10-01 12:06", "quem? Caio Cunha!")  # 3: 20 again
    m2 = updates.message(ANA, GROUP, "2024-10-01 12:10", "Mara Bertaiolli")  # 4: 22
    updates.edit(ANA, GROUP, m2, "2024-10-01 12:10", "2024-10-01 12:11",
                 "Mara Bertaiolli e Caio Cunha")  # 5: 22 again, 20 new  # fmt: skip
    build_lake(lake, updates)
    assert mentions(lake) == [
        (2, 20, "Caio Cunha"),
        (4, 22, "Mara Bertaiolli"),
        (5, 20, "Caio Cunha"),
    ]


def test_the_same_message_id_in_two_chats_is_two_messages(lake: Path) -> None:
    updates = Updates()
    other = group(-1002, "Outro")
    updates.message(ANA, GROUP, "2024-10-01 12:00", "Caio Cunha")
    updates.message(ANA, other, "2024-10-01 12:01", "Caio Cunha")  # message_id 1 there too
    build_lake(lake, updates)
    assert [row[:2] for row in mentions(lake)] == [(1, 20), (2, 20)]
