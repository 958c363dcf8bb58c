"""``tglake import export``, run as a user would: the import, the rebuilt days, the errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import export_shapes as xs
from tglake.cli import main_group
from tglake.cli.context import run_guarded


def tglake(*args: str) -> int:
    return run_guarded(main_group, list(args))


def test_import_export_stores_the_file_and_rebuilds_its_days(
    tmp_path: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = xs.write(tmp_path / "ChatExport_2024-09-01", xs.single_chat()).parent
    assert tglake("import", "export", str(folder), "--lake", str(lake)) == 0
    out = capsys.readouterr().out
    assert "public_supergroup" in out
    assert "-1001987654321" in out
    assert "imported" in out
    assert "stored 16 message(s) over 2 day(s)" in out
    assert "rebuilt 2 day(s): 16 exported message(s) in the tables, 0 already received" in out
    assert sorted(p.name for p in (lake / "enriched/telegram/messages").iterdir()) == [
        "context_date=2024-08-16",
        "context_date=2024-08-17",
    ]
    assert tglake("import", "export", str(folder), "--lake", str(lake)) == 0
    assert "already imported (sha256 " in capsys.readouterr().out


def test_no_etl_only_stores(tmp_path: Path, lake: Path) -> None:
    path = xs.write(tmp_path / "e", xs.single_chat())
    assert tglake("import", "export", str(path), "--no-etl", "--lake", str(lake)) == 0
    assert (lake / "raw/export/manifests").is_dir()
    assert not (lake / "enriched").exists()


def test_an_html_export_is_a_one_line_error(
    tmp_path: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "messages.html"
    path.write_text("<!DOCTYPE html><html></html>", encoding="utf-8")
    assert tglake("import", "export", str(path), "--lake", str(lake)) == 1
    assert capsys.readouterr().err == (
        "Error: messages.html is HTML; export again with format 'Machine-readable JSON'\n"
    )
    assert not (lake / "raw").exists()


def test_an_import_whose_entries_the_etl_rejects_lists_each_and_fails_as_etl_strict_does(
    tmp_path: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN an export stored without its rebuild, and one of its stored lines damaged
    path = xs.write(tmp_path / "e", xs.single_chat())
    assert tglake("import", "export", str(path), "--no-etl", "--lake", str(lake)) == 0
    (slice_,) = (lake / "raw/export/context_date=2024-08-17").iterdir()
    with slice_.open("ab") as handle:
        handle.write(b"{not json\n")
    capsys.readouterr()
    # WHEN the same file is imported again: it finishes the rebuild it still owes
    assert tglake("import", "export", str(path), "--lake", str(lake)) == 1
    captured = capsys.readouterr()
    assert "finishing the rebuild of 2 day(s) cut short" in captured.out
    assert "rebuilt 2 day(s): 16 exported message(s) in the tables" in captured.out
    # THEN every rejected entry is listed with its reason, and the error is one line
    assert [line for line in captured.err.splitlines() if " INFO " not in line] == [
        f"rejected {slice_.relative_to(lake / 'raw').as_posix()}#2: not a JSON object",
        "Error: the ETL rejected 1 stored entries of the rebuilt days (listed above): "
        "they are in the raw zone but not in the tables",
    ]
    # AND etl --strict agrees about the same day
    assert tglake("etl", "--date", "2024-08-17", "--strict", "--lake", str(lake)) == 1
    assert "Error: 1 raw object(s) rejected (--strict)" in capsys.readouterr().err


def test_an_export_of_2020_imports_every_message_and_exits_0(
    tmp_path: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xs.write(tmp_path / "e", xs.full_account_2020())
    assert tglake("import", "export", str(path), "--lake", str(lake)) == 0
    out = capsys.readouterr().out
    assert (
        "5 message(s) had no date_unixtime (tdesktop before 4.0): dated by their local time in "
        "America/Sao_Paulo" in out
    )
    assert "rebuilt 1 day(s): 5 exported message(s) in the tables, 0 already received" in out


def test_a_bad_time_zone_is_a_one_line_error(
    tmp_path: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xs.write(tmp_path / "e", xs.channel_2020())
    assert (
        tglake("import", "export", str(path), "--timezone", "Mars/Olympus", "--lake", str(lake))
        == 1
    )
    assert capsys.readouterr().err == "Error: --timezone 'Mars/Olympus' is not an IANA time zone\n"


def test_an_object_nested_5000_levels_in_one_message_is_a_one_line_error(
    tmp_path: Path, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "[" * 5000 + "]" * 5000
    path = tmp_path / "result.json"
    path.write_text(
        '{"name": "g", "type": "private_group", "id": 5, "messages": [{"id": 1, "type": '
        f'"message", "date": "2024-08-16T10:00:00", "date_unixtime": "1723813200", "x": {deep}}}]}}'
    )
    assert tglake("import", "export", str(path), "--lake", str(lake)) == 1
    assert capsys.readouterr().err == (
        "Error: result.json is nested deeper than 64 levels (a Telegram Desktop export is not); "
        "nothing was imported\n"
    )
    assert not (lake / "raw").exists()
