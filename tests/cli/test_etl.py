"""``tglake etl`` and the schedule flags of ``tglake serve``, run as a user would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import fixture_bytes
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.ingest import store_update
from tglake.storage import LocalStore

DAY = dt.date(2024, 10, 6)


@pytest.fixture
def lake_with_a_day(lake: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(lake.parent)
    raw = LocalStore(lake / "raw")
    for update_id, name in [(100000001, "message_text"), (100000007, "callback_query")]:
        store_update(raw, DAY, update_id, fixture_bytes(name))
    return lake


def etl(lake: Path, *args: str) -> int:
    return run_guarded(main_group, ["etl", "--lake", str(lake), *args])


def test_etl_of_one_day_prints_the_summary(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert etl(lake_with_a_day, "--date", "2024-10-06") == 0
    out = capsys.readouterr().out
    for header in ("updates", "messages", "callbacks", "duplicates", "rejects", "time"):
        assert header in out
    lines = out.splitlines()
    header = next(line for line in lines if "updates" in line and "┃" in line)
    row = next(line for line in lines if "2024-10-06" in line)
    cells = dict(
        zip(
            [c.strip() for c in header.split("┃")[1:-1]],
            [c.strip() for c in row.split("│")[1:-1]],
            strict=True,
        )
    )
    del cells["time"]  # times vary
    assert cells == {
        "day": "2024-10-06", "updates": "2", "messages": "1", "callbacks": "1",
        "reactions": "0", "member_updates": "0", "bot_replies": "0", "candidate_mentions": "1",
        "duplicates": "0", "conflicts": "0", "rejects": "0", "unflattened": "0",
    }  # fmt: skip
    assert (lake_with_a_day / "enriched/telegram/messages/context_date=2024-10-06").is_dir()


def test_a_backfill_says_which_days_were_empty(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert etl(lake_with_a_day, "--from", "2024-10-05", "--to", "2024-10-07") == 0
    out = capsys.readouterr().out
    assert "2024-10-05: no raw updates, nothing written" in out
    assert "2024-10-07: no raw updates, nothing written" in out
    assert "2024-10-06: no raw updates" not in out


def test_no_date_means_yesterday_in_the_configured_zone(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TGLAKE_TIMEZONE", "Asia/Tokyo")
    yesterday = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date() - dt.timedelta(days=1)
    assert etl(lake_with_a_day) == 0
    assert f"{yesterday}: no raw updates, nothing written" in capsys.readouterr().out


def test_rejects_are_reported_and_strict_makes_them_an_error(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    LocalStore(lake_with_a_day / "raw").put("telegram/context_date=2024-10-06/9.json", b"oops")
    assert etl(lake_with_a_day, "--date", "2024-10-06") == 0
    assert (
        "2024-10-06: rejected telegram/context_date=2024-10-06/9.json: "
        "body is not JSON: JSONDecodeError" in capsys.readouterr().out
    )
    assert etl(lake_with_a_day, "--date", "2024-10-06", "--strict") == 1
    assert capsys.readouterr().err.endswith("Error: 1 raw object(s) rejected (--strict)\n")
    # the day was still written
    assert (lake_with_a_day / "enriched/telegram/messages/context_date=2024-10-06").is_dir()


def test_unflattened_kinds_are_counted_not_errors(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_update(LocalStore(lake_with_a_day / "raw"), DAY, 100000010, fixture_bytes("poll"))
    assert etl(lake_with_a_day, "--date", "2024-10-06", "--strict") == 0
    assert "2024-10-06: 1 update(s) of kind poll not flattened (kept raw)" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2024-10-06", "--from", "2024-10-01"], "give either --date or --from/--to"),
        (["--from", "2024-10-01"], "--from and --to go together"),
        (["--from", "2024-10-06", "--to", "2024-10-01"], "--to 2024-10-01 is before --from"),
        (["--date", "06/10/2024"], "'06/10/2024' does not match the format '%Y-%m-%d'"),
    ],
)
def test_bad_dates_are_refused(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert etl(lake_with_a_day, *args) != 0
    assert message in capsys.readouterr().err


def test_an_s3_lake_without_a_pseudonym_key_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], s3_bucket: tuple[str, object]
) -> None:
    bucket, client = s3_bucket
    client.put_object(  # type: ignore[attr-defined]
        Bucket=bucket,
        Key="raw/telegram/context_date=2024-10-06/100000001.json",
        Body=fixture_bytes("message_text"),
    )
    assert run_guarded(main_group, ["etl", "--lake", f"s3://{bucket}", "--date", "2024-10-06"]) == 1
    err = capsys.readouterr().err
    assert "\nError: TGLAKE_PSEUDONYM_KEY is not set: an S3 lake needs it" in f"\n{err}"


def test_serve_refuses_a_bad_etl_time(capsys: pytest.CaptureFixture[str], lake: Path) -> None:
    assert run_guarded(main_group, ["serve", "--lake", str(lake), "--etl-at", "3h"]) == 2
    assert "Invalid value for --etl-at: expected HH:MM, got '3h'" in capsys.readouterr().err


def test_help_lists_the_new_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_guarded(main_group, ["etl", "--help"]) == 0
    text = capsys.readouterr().out
    for flag in ("--date", "--from", "--to", "--pending", "--window", "--strict", "--keep-names"):
        assert flag in text
    assert run_guarded(main_group, ["serve", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--etl-at" in text
    assert "--no-schedule" in text


def test_pending_catches_up_the_days_whose_raw_changed(
    lake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN raw updates two days ago, and one long before the window
    monkeypatch.chdir(lake.parent)
    raw = LocalStore(lake / "raw")
    today = dt.datetime.now(ZoneInfo("America/Sao_Paulo")).date()
    recent, old = today - dt.timedelta(days=2), today - dt.timedelta(days=30)
    store_update(raw, recent, 100000001, fixture_bytes("message_text"))
    store_update(raw, old, 100000002, fixture_bytes("message_text"))
    # WHEN the catch-up runs: the recent day is built, the old one is outside the window
    assert etl(lake, "--pending") == 0
    out = capsys.readouterr().out
    assert recent.isoformat() in out
    assert old.isoformat() not in out
    assert (lake / f"enriched/telegram/messages/context_date={recent}").is_dir()
    # THEN a second run has nothing to do, until the day's raw data changes again
    assert etl(lake, "--pending") == 0
    assert capsys.readouterr().out == "nothing pending in the last 7 day(s)\n"
    store_update(raw, recent, 100000003, fixture_bytes("message_text"))
    assert etl(lake, "--pending", "--window", "40") == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if recent.isoformat() in line)
    assert row.split("│")[2].strip() == "2"  # both updates of the changed day
    assert old.isoformat() in out


def test_pending_refuses_explicit_days(
    lake_with_a_day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert etl(lake_with_a_day, "--pending", "--date", "2024-10-06") == 2
    assert "--pending chooses the days itself: no --date, --from or --to" in capsys.readouterr().err
