"""A small demo, end to end: a real server process, real HTTP, a real lake in tmp_path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import people
from tglake import layout
from tglake.analytics.sql import Period
from tglake.candidates.aliases import read_aliases
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.demo.run import MARKER, DemoOptions, DemoResult, run_demo
from tglake.demo.summary import summary_lines
from tglake.errors import ConfigError
from tglake.storage import LocalStore


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    lake = tmp_path_factory.mktemp("demo") / "lake"
    return run_demo(DemoOptions(lake=lake, days=2, updates_per_day=300, seed=5, concurrency=8))


def test_every_posted_delivery_is_answered_and_every_update_is_in_the_raw_zone(
    small_demo: DemoResult,
) -> None:
    traffic, play = small_demo.traffic, small_demo.play
    assert traffic.deliveries == play.posted == play.ok
    assert play.failed == 0
    assert traffic.distinct == pytest.approx(600, abs=5)
    assert traffic.redeliveries >= 1
    assert traffic.across_midnight >= 1
    # a redelivery on the same day stores nothing new; one after midnight lands on its new day
    assert small_demo.raw_objects == traffic.distinct + traffic.across_midnight
    assert small_demo.raw_days[:2] == [small_demo.first_day, small_demo.last_day]


def test_the_demo_lake_holds_no_person_in_the_enriched_zone(small_demo: DemoResult) -> None:
    """Every user id, username and phone number of the demo's raw updates is absent from every
    column of every enriched table; the generated first and last names are common words (and
    candidates' names), so for them a whole value counts, which is what a name column holds."""
    lake = small_demo.lake
    found = people.people_in(people.raw_updates(lake / "raw"))
    assert len(found.ids) > 20
    assert len(found.usernames) > 5
    assert people.leaks(lake / "enriched", found, whole_names=True) == []


def test_the_summary_says_what_was_posted_and_stored(
    small_demo: DemoResult,
) -> None:
    text = "\n".join(summary_lines(small_demo))
    assert f"posted      {small_demo.traffic.deliveries:>8,} deliveries" in text
    assert f"raw zone    {small_demo.raw_objects:>8,} objects on" in text
    distinct = small_demo.traffic.distinct
    assert f"check       {distinct:,} distinct updates = {distinct:,} rows (one per update)" in text
    assert "MISMATCH" not in text
    assert f"report      {small_demo.report.path} (" in text


def test_the_summary_counts_groups_channels_and_private_conversations(
    small_demo: DemoResult,
) -> None:
    import pyarrow.dataset as ds

    files = ds.dataset(small_demo.lake / "enriched/telegram/messages", partitioning="hive")
    rows = files.to_table(columns=["chat_type", "chat_id", "user_key", "update_type"]).to_pylist()
    new = [r for r in rows if not r["update_type"].startswith("edited")]
    groups = {r["chat_id"] for r in new if r["chat_type"] in ("group", "supergroup")}
    channels = {r["chat_id"] for r in new if r["chat_type"] == "channel"}
    people = {r["user_key"] for r in new if r["chat_type"] == "private"}
    assert all(r["chat_id"] is None for r in rows if r["chat_type"] == "private")
    assert people  # the demo has people talking to the bot in private
    total = len(groups) + len(channels) + len(people)
    assert (
        f"chats       {total:>8,} conversations: {len(groups):,} groups, {len(channels):,} "
        f"channel(s), {len(people):,} private conversations (one per person)"
    ) in summary_lines(small_demo)


def test_the_lake_is_marked_as_a_demo_lake_and_a_rerun_replaces_it(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    options = DemoOptions(lake=lake, days=1, updates_per_day=40, seed=1, concurrency=2)
    run_demo(options)
    (lake / "raw" / "leftover.txt").write_text("from the previous run")
    result = run_demo(options)
    assert (lake / MARKER).is_file()
    assert not (lake / "raw" / "leftover.txt").exists()
    assert result.raw_objects == result.traffic.distinct + result.traffic.across_midnight
    # one day leaves none to hold out: no loop, and the summary says nothing of one
    assert result.loop is None
    assert not [line for line in summary_lines(result) if line.startswith(("loop", "held out"))]


def test_a_folder_that_is_not_a_demo_lake_is_never_wiped(tmp_path: Path) -> None:
    precious = tmp_path / "lake"
    precious.mkdir()
    (precious / "data.parquet").write_bytes(b"PAR1")
    with pytest.raises(ConfigError, match="is not a demo lake"):
        run_demo(DemoOptions(lake=precious, days=1, updates_per_day=10))
    assert (precious / "data.parquet").read_bytes() == b"PAR1"


def test_the_cli_refuses_a_lake_that_is_not_a_demo_lake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "lake"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    assert run_guarded(main_group, ["demo", "--lake", str(precious), "--days", "1"]) == 1
    assert capsys.readouterr().err == (
        f"Error: {precious} exists and is not a demo lake (it has no {MARKER} file); "
        "choose another --lake or remove it yourself\n"
    )


def test_the_bot_answers_commands_and_files_its_events_under_the_simulated_days(
    small_demo: DemoResult,
) -> None:
    commands = small_demo.play.replies
    assert commands > 0
    raw = LocalStore(small_demo.lake / "raw")
    keys = [layout.parse_raw_key(k) for k in raw.list(f"{layout.BOT_SOURCE}/")]
    bot_days = {k.day for k in keys if k is not None}
    # a redelivery is answered again without a second event, unless it came after midnight
    # and was stored (and answered) anew in the next day's partition
    again = small_demo.play.redelivery_replies  # tests/bot/test_responder.py proves one happens
    assert commands - again <= len(keys) <= commands
    assert bot_days == {small_demo.first_day, small_demo.last_day}


def test_the_secrets_of_the_run_reach_neither_the_lake_nor_the_summary(
    small_demo: DemoResult,
) -> None:
    assert small_demo.settings is not None
    secrets = [s.encode() for s in small_demo.settings.secrets()]
    assert len(secrets) == 2
    summary = "\n".join(summary_lines(small_demo)).encode()
    files = [p for p in small_demo.lake.rglob("*") if p.is_file()]
    assert any(p.name == "webhook.log" for p in files)
    key_file = small_demo.lake / ".pseudonym-key"  # the lake's key, kept where commands find it
    assert key_file.stat().st_mode & 0o777 == 0o600
    for secret in secrets:
        assert secret not in summary
        assert not [p for p in files if p != key_file and secret in p.read_bytes()]


def test_the_readmes_commands_after_the_demo_change_no_file_of_its_lake(
    small_demo: DemoResult, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN the demo's lake, every file as the demo left it
    lake = small_demo.lake

    def files() -> dict[str, bytes]:
        return {str(p.relative_to(lake)): p.read_bytes() for p in lake.rglob("*") if p.is_file()}

    before = files()
    assert ".pseudonym-key" in before
    # WHEN the README's next commands run on it: the ETL of a day (the export's days too), a
    # query, ad-hoc SQL, and a dry-run erasure, in a fresh process environment (no key set)
    days = sorted(
        {*small_demo.raw_days, *(dt.date.fromisoformat(d) for d in small_demo.before.days)}
    )
    for day in days:
        assert run_guarded(main_group, ["etl", "--date", day.isoformat(), "--lake", str(lake)]) == 0
    assert run_guarded(main_group, ["query", "summary", "--lake", str(lake)]) == 0
    sql = "SELECT count(*) AS n FROM messages"
    assert run_guarded(main_group, ["sql", sql, "--lake", str(lake), "--format", "csv"]) == 0
    assert (
        run_guarded(main_group, ["forget", "--user-id", "1", "--dry-run", "--lake", str(lake)]) == 0
    )
    capsys.readouterr()
    # THEN no file changed, none appeared: the same key, byte-identical partitions
    assert files() == before


def test_posted_minus_duplicates_equals_the_enriched_rows(small_demo: DemoResult) -> None:
    traffic, etl = small_demo.traffic, small_demo.etl
    assert traffic.deliveries - traffic.redeliveries == traffic.distinct
    assert etl.update_rows + etl.unknown_kinds == traffic.distinct
    # the same-day redeliveries never reached the raw zone; those after midnight did and the
    # ETL dropped them
    assert etl.duplicates_dropped == traffic.across_midnight
    assert etl.updates_read == small_demo.raw_objects
    assert "check       " in "\n".join(summary_lines(small_demo))


def test_the_enriched_rows_read_back_by_duckdb_match_the_etl(small_demo: DemoResult) -> None:
    import duckdb

    for table, rows in small_demo.etl.rows.items():
        files = small_demo.lake / "enriched" / "telegram" / table / "**" / "*.parquet"
        query = f"SELECT count(*) FROM read_parquet('{files}', hive_partitioning = true)"
        assert duckdb.connect().execute(query).fetchall() == [(rows,)], table


def test_the_report_has_every_chart_filled_and_the_queries_answer(small_demo: DemoResult) -> None:
    report = small_demo.report
    assert report.path == small_demo.lake / "report.html"
    assert report.path.read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    assert report.charts >= 10
    assert report.empty == []
    previews = {q.name: q for q in small_demo.queries}
    commands = {row[0] for row in previews["top_commands"].rows}
    assert commands == {"/candidato", "/partido", "/prefeito", "/vereadores", "/bairro", "/ajuda"}
    days = [row[0] for row in previews["messages_per_day"].rows]
    before = [small_demo.first_day - dt.timedelta(days=n) for n in (3, 2, 1)]
    assert days == [*before, small_demo.first_day, small_demo.last_day]  # the whole period


class RecordingReporter:
    """Records every stage and each advance of it."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None, list[int]]] = []

    def stage(self, name: str, total: int | None) -> Callable[[int], None]:
        advances: list[int] = []
        self.stages.append((name, total, advances))
        return advances.append

    def end_stage(self) -> None:
        return None


def test_the_etl_progress_moves_after_every_batch_not_once_a_day(tmp_path: Path) -> None:
    reporter = RecordingReporter()
    options = DemoOptions(
        lake=tmp_path / "demo", days=1, updates_per_day=40, seed=3, concurrency=2, etl_batch_size=8
    )
    run_demo(options, reporter)
    ((_, total, advances),) = [s for s in reporter.stages if s[0].startswith("ETL")]
    raw = LocalStore(options.lake / "raw")
    objects = sum(1 for s in (layout.RAW_SOURCE, layout.BOT_SOURCE) for _ in raw.list(f"{s}/"))
    assert total == objects > 0  # every raw object, telegram and bot
    assert sum(advances) == total
    assert len(advances) >= total // 8  # one advance per batch of 8
    assert max(advances) <= 8


def test_the_groups_export_before_the_bot_joined_is_in_the_same_tables(
    small_demo: DemoResult,
) -> None:
    import duckdb

    before = small_demo.before
    assert before.kept > 100
    assert [dt.date.fromisoformat(d) for d in before.days] == [
        small_demo.first_day - dt.timedelta(days=n) for n in (3, 2, 1)
    ]
    files = small_demo.lake / "enriched" / "telegram" / "messages" / "**" / "*.parquet"
    table = f"read_parquet('{files}', hive_partitioning = true)"
    rows = duckdb.sql(f"SELECT source, count(*) FROM {table} GROUP BY 1 ORDER BY 1").fetchall()
    assert dict(rows)["export"] == small_demo.etl.exported_rows == before.kept
    # the same people: most of those who wrote before the bot wrote again in the webhook week
    [(overlap,)] = duckdb.sql(
        f"SELECT count(DISTINCT user_key) FROM {table} WHERE source = 'export' AND user_key IN "
        f"(SELECT user_key FROM {table} WHERE source = 'bot_api')"
    ).fetchall()
    assert overlap >= 10
    text = "\n".join(summary_lines(small_demo))
    assert f"export      {before.kept:>8,} messages of the group before the bot joined" in text


def test_the_demo_export_writes_text_as_tdesktop_does() -> None:
    from tglake.demo.before import export_text

    # entity offsets count UTF-16 units: the ballot box emoji before the hashtag is three
    text = "🗳️ Vote #eleicoes2024 hoje"
    hashtag = {"type": "hashtag", "offset": 9, "length": 13}
    assert export_text(text, [hashtag])["text"] == [
        "🗳️ Vote ",
        {"type": "hashtag", "text": "#eleicoes2024"},
        " hoje",
    ]
    assert export_text("sem entidades", []) == {
        "text": "sem entidades",
        "text_entities": [{"type": "plain", "text": "sem entidades"}],
    }


def test_the_demo_learns_from_its_first_day_and_measures_the_held_out_day(
    small_demo: DemoResult,
) -> None:
    loop = small_demo.loop
    if loop is None:
        raise AssertionError("the demo ran no loop over its first day")
    first, last = small_demo.first_day, small_demo.last_day
    assert (loop.batch.learned_from, loop.held_out) == (Period(first, first), Period(last, last))
    stored = read_aliases(LocalStore(small_demo.lake / "reference"))
    assert [a.key for a in stored] == sorted(a.key for a in loop.batch.aliases)
    assert {a.added_by for a in stored} <= {"tglake demo"}
    assert loop.before.questions == loop.after.questions > 0
    assert loop.after.answered >= loop.before.answered
    assert loop.live.questions == pytest.approx(loop.after.questions, abs=3)
    text = "\n".join(summary_lines(small_demo))
    assert f"held out    {last} … {last}: answered {loop.before.answered:,} of" in text
