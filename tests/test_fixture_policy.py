"""Tests stand on what the pipeline can produce: no test writes an enriched table by hand.

A hand-written enriched table once proved the SQL library on data the ETL cannot make (private
chats with an id), so the library was wrong on real lakes. Lakes for tests are built by posting
raw updates through ingest and running the ETL (``tests/lakebuild.py``). This test reads every
test module's syntax tree and fails on a Parquet writer, or on an Arrow table built with an
enriched table's schema, outside the few places that test the ETL's own writing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent

WRITERS = frozenset(
    {"write_table", "ParquetWriter", "write_dataset", "write_to_dataset", "to_parquet"}
)
"""Calls that write Parquet."""
BUILDERS = frozenset({"from_pylist", "from_pydict", "from_arrays", "from_batches"})
"""Calls that build an Arrow table; refused when given ``schema=`` an enriched table's schema."""

ALLOWED: dict[str, str] = {
    "etl/test_export_flatten.py": "checks that any exported message's row fits the Arrow schema",
    "etl/test_flatten.py": "checks that the extractors' rows fit their schemas",
}
"""Test modules that may build or write enriched tables, and why."""


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _uses_enriched_schema(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "schema":
            text = ast.unparse(keyword.value)
            return "schema." in text or "SCHEMAS" in text or "table_schema" in text
    return False


def violations(source: str) -> list[str]:
    """``line: call`` for each hand-written enriched table in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in WRITERS or (name in BUILDERS and _uses_enriched_schema(node)):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
        elif name == "execute" or name == "sql":
            # DuckDB's COPY … TO '….parquet' writes Parquet too
            text = " ".join(
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ).upper()
            if "COPY" in text and "PARQUET" in text:
                found.append(f"{node.lineno}: COPY … TO parquet")
    return found


def test_no_test_writes_an_enriched_table_by_hand() -> None:
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if relative in ALLOWED or path == Path(__file__):
            continue
        found = violations(path.read_text(encoding="utf-8"))
        if found:
            offenders[relative] = found
    assert offenders == {}, (
        "build the lake with tests/lakebuild.py (raw updates → ingest → ETL) instead"
    )


def test_every_allowed_module_exists_and_still_needs_its_exception() -> None:
    for relative in ALLOWED:
        path = TESTS / relative
        assert path.is_file(), relative
        assert violations(path.read_text(encoding="utf-8")), f"{relative} no longer needs it"


@pytest.mark.parametrize(
    "source",
    [
        "pq.write_table(t, 'x.parquet')",
        "import pyarrow as pa\npa.Table.from_pylist(rows, schema=schema.MESSAGES)",
        "pa.Table.from_pylist(rows, schema=schema.SCHEMAS['messages'])",
        "con.execute(\"COPY (SELECT 1) TO 'm.parquet' (FORMAT PARQUET)\")",
        "frame.to_parquet('m.parquet')",
    ],
)
def test_the_scan_catches_the_ways_to_write_one(source: str) -> None:
    assert violations(source) != []


def test_the_scan_lets_other_arrow_tables_be(tmp_path: Path) -> None:
    assert violations("pa.Table.from_pylist([{'a': 1}])\nengine.sql('SELECT 1')") == []
