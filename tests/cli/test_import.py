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
