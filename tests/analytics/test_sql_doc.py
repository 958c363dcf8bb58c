"""docs/sql.md cannot drift from the query files or the commands."""

from __future__ import annotations

import re
from pathlib import Path

from tglake.analytics.sql import list_queries

DOC = Path(__file__).resolve().parents[2] / "docs" / "sql.md"


def section() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_doc_lists_exactly_the_queries_that_exist() -> None:
    table = section().split("| query | question |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert sorted(listed) == [q.name for q in list_queries()]


def test_the_doc_shows_every_command_and_the_screenshot() -> None:
    text = section()
    for command in ("tglake query --list", "tglake query ", "tglake sql ", "tglake report"):
        assert command in text
    assert "](report.png)" in text
    assert (DOC.parent / "report.png").read_bytes().startswith(b"\x89PNG")
