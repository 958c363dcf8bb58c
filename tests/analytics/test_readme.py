"""The README's SQL section cannot drift from the query files or the commands."""

from __future__ import annotations

import re
from pathlib import Path

from tglake.analytics.sql import list_queries

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## SQL and the report")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_readme_lists_exactly_the_queries_that_exist() -> None:
    table = section().split("| query | question |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert sorted(listed) == [q.name for q in list_queries()]


def test_the_readme_shows_every_command_and_the_screenshot() -> None:
    text = section()
    for command in ("tglake query --list", "tglake query ", "tglake sql ", "tglake report"):
        assert command in text
    assert "](docs/report.png)" in text
    assert (README.parent / "docs" / "report.png").read_bytes().startswith(b"\x89PNG")
