"""Docs that cannot drift: the README is a short front door whose first lines give the two
commands a newcomer runs; every command is in it and has help; every setting the code reads is
in its configuration table; the docs' table columns and counts are the code's; links resolve."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import tglake
from tglake.adapters.aws_secrets import REF_SUFFIX, SECRET_VARS
from tglake.analytics.sql import list_queries
from tglake.cli import main_group
from tglake.schema import SCHEMAS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))


def all_commands(group: click.Group = main_group, prefix: str = "tglake") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        names.append(path)
        if isinstance(command, click.Group):
            names.extend(all_commands(command, path))
    return names


def test_the_readme_starts_with_make_demo_and_make_test() -> None:
    head = README.splitlines()[:15]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_the_readme_is_a_front_door_not_a_manual() -> None:
    assert len(README.splitlines()) <= 300


@pytest.mark.parametrize("page", ["receiving", "etl", "sql", "bot", "deploy", "reliability",
                                  "performance"])  # fmt: skip
def test_the_readme_links_the_manual_page_of_every_stage(page: str) -> None:
    assert f"](docs/{page}.md" in README
    assert (ROOT / "docs" / f"{page}.md").is_file()


@pytest.mark.parametrize("doc", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_every_relative_link_resolves(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", text):
        if not (doc.parent / target).exists():
            broken.append(target)
    assert broken == []


def settings_the_code_reads() -> set[str]:
    """Every ``TGLAKE_*`` / ``AWS_ENDPOINT_URL`` name in the source, plus the secrets' ``*_REF``."""
    source = "\n".join(p.read_text("utf-8") for p in Path(tglake.__file__).parent.rglob("*.py"))
    names = set(re.findall(r"\b(TGLAKE_[A-Z][A-Z_]*[A-Z]|AWS_ENDPOINT_URL)\b", source))
    return names | {var + REF_SUFFIX for var in SECRET_VARS}


def test_the_configuration_table_holds_every_setting_the_code_reads() -> None:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])}
    read = settings_the_code_reads()
    assert len(read) >= 14
    assert read == documented


def test_the_etl_doc_lists_every_table_with_the_schemas_columns_in_order() -> None:
    text = (ROOT / "docs" / "etl.md").read_text(encoding="utf-8")
    table = text.split("| table | one row per | columns |", 1)[1].split("\n\n", 1)[0]
    listed = {}
    for row in (line for line in table.splitlines() if line.startswith("| `")):
        name, _, columns = (cell.strip() for cell in row.strip("|").split(" | "))
        listed[name.strip("`")] = re.findall(r"`([a-z_]+)`", columns)
    assert listed == {name: schema.names for name, schema in SCHEMAS.items()}


def test_the_deploy_doc_counts_the_tables_and_queries_there_are() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert f"({len(SCHEMAS)} tables + the manifest)" in text
    assert f"one report = {len(list_queries())} queries" in text
    assert not re.search(r"\b(4|four) tables|\b14 queries", text)


@pytest.mark.parametrize("command", all_commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert command in README, f"{command!r} is not in README.md"


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(main_group, [*command.split()[1:], "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    description = result.output.split("\n\n", 2)[1].strip()
    assert len(description) > 10, f"{command} has no description"


def named_tests(doc: str) -> list[tuple[str, str]]:
    """``file.py::test_x`` references, and ``::test_y`` ones that follow in the same file."""
    import re

    found, current = [], ""
    for match in re.finditer(r"`(?:([\w/]+\.py))?::(test_\w+)`", doc):
        current = match[1] or current
        found.append((current, match[2]))
    return found


def test_every_test_named_in_the_reliability_doc_exists() -> None:
    doc = (ROOT / "docs/reliability.md").read_text(encoding="utf-8")
    references = named_tests(doc)
    assert len(references) > 30
    tests = Path(__file__).parent
    missing = [
        f"{file}::{name}"
        for file, name in references
        if f"def {name}(" not in (tests / file).read_text(encoding="utf-8")
    ]
    assert missing == []
