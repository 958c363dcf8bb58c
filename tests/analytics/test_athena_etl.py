"""The Athena path of the ETL (past one Lambda): SQL that Athena's dialect accepts, that writes
each enriched table's exact columns, and that states the Python ETL's facts from the Python code.
Whether its rows are the Python ETL's is checked on DuckDB: ``test_athena_etl_duckdb.py``."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
import sqlglot
from sqlglot import exp

from tglake import layout, schema
from tglake.analytics import athena_etl
from tglake.errors import ConfigError
from tglake.etl import clean
from tglake.etl.tables import SPECS

TRINO_FUNCTIONS_SQLGLOT_DOES_NOT_KNOW = {"hmac_sha256"}  # Trino binary functions, documented


def rendered(name: str, *, keep_names: bool = False) -> str:
    return athena_etl.render(
        name,
        database="tglake",
        raw_location="s3://raw-bucket/",
        day=dt.date(2024, 10, 6),
        pseudonym_key="test-key",
        keep_names=keep_names,
    )


def select_of(table: str, *, keep_names: bool = False) -> exp.Select:
    tree = sqlglot.parse_one(rendered(f"{table}_insert", keep_names=keep_names), read="athena")
    insert = tree.assert_is(exp.Insert)  # the statement is the INSERT, not one inside another
    assert isinstance(insert.expression, exp.Select)
    return insert.expression


@pytest.mark.parametrize("name", athena_etl.STATEMENTS)
def test_every_statement_parses_as_athena_and_trino_sql(name: str) -> None:
    text = rendered(name)
    assert "{{" not in text
    for read in ("athena", "trino"):
        tree = sqlglot.parse_one(text, read=read, error_level=sqlglot.ErrorLevel.RAISE)
        unknown = {f.name.lower() for f in tree.find_all(exp.Anonymous)}
        assert unknown <= TRINO_FUNCTIONS_SQLGLOT_DOES_NOT_KNOW


def test_the_athena_path_writes_every_table_but_candidate_mentions() -> None:
    # candidate_mentions needs the name matcher of candidates/mentions.py (docs/scale.md)
    assert set(athena_etl.INSERTS) == set(schema.SCHEMAS) - {"candidate_mentions"}


@pytest.mark.parametrize("table", athena_etl.INSERTS)
def test_each_insert_writes_its_tables_columns_in_table_order(table: str) -> None:
    insert = sqlglot.parse_one(rendered(f"{table}_insert"), read="athena").find(exp.Insert)
    assert insert is not None
    assert insert.this.name == table
    assert select_of(table).named_selects == [*schema.SCHEMAS[table].names, "context_date"]


@pytest.mark.parametrize("table", athena_etl.INSERTS)
def test_each_insert_reads_the_day_and_the_day_before_for_redeliveries(table: str) -> None:
    text = rendered(f"{table}_insert")
    assert "IN ('2024-10-06', '2024-10-05')" in text
    assert "sighting = 1 AND context_date = '2024-10-06'" in text
    assert "DATE '2024-10-06' AS context_date" in text


@pytest.mark.parametrize("table", athena_etl.INSERTS)
def test_each_insert_reads_the_raw_source_its_python_table_reads(table: str) -> None:
    # GIVEN the raw source the Python ETL's spec of the table reads (bot/ for bot_replies)
    source = next(spec.source for spec in SPECS if spec.name == table)
    raw_table = next(t for t, s in athena_etl.RAW_TABLES.items() if s == source)
    # THEN the INSERT reads the Athena table over that source, and no other
    tree = sqlglot.parse_one(rendered(f"{table}_insert"), read="athena")
    read = {t.name for t in tree.find_all(exp.Table) if t.db == "tglake" and t.name != table}
    assert read == {raw_table}


@pytest.mark.parametrize("table", [t for t in athena_etl.INSERTS if athena_etl.KINDS[t]])
def test_each_insert_takes_the_update_kinds_its_python_spec_takes(table: str) -> None:
    spec = next(spec for spec in SPECS if spec.name == table)
    assert frozenset(athena_etl.KINDS[table]) == spec.kinds
    text = rendered(f"{table}_insert")
    assert all(f"THEN '{kind}'" in text for kind in spec.kinds)


def test_content_type_follows_the_python_precedence() -> None:
    case = athena_etl.content_type_case()
    positions = [case.index(f"THEN '{field}'") for field in clean.CONTENT_TYPES]
    assert positions == sorted(positions)
    assert case.endswith("ELSE 'other' END")


def test_text_is_trimmed_as_python_strips_it_not_as_trino_trims() -> None:
    # GIVEN what the SQL's cleaning removes at the ends of a text
    expression = athena_etl.clean_text("x")
    # THEN it is every character str.strip() removes that cleaning has not removed before
    # (NBSP and U+3000 included, which Trino's trim keeps), and nothing else
    stripped = {chr(c) for c in range(sys.maxunicode + 1) if (f"a{chr(c)}").strip() == "a"}
    expected = {c for c in stripped if not clean.CONTROL_CHARS.match(c)}
    assert {"\u00a0", "\u3000", "\n"} <= expected
    start = expression.index("'^[") + 3
    assert set(expression[start : expression.index("]+|", start)]) == expected
    assert "trim(" not in expression


def test_names_are_null_unless_the_run_keeps_them() -> None:
    names = ("user_first_name", "user_last_name", "user_username", "contact_phone_number")
    plain = {s.alias: s for s in select_of("messages").selects}
    kept = {s.alias: s for s in select_of("messages", keep_names=True).selects}
    for name in names:
        assert plain[name].this.sql() == "CAST(NULL AS VARCHAR)"
        assert kept[name].find(exp.JSONExtractScalar) is not None


@pytest.mark.parametrize("table", athena_etl.RAW_TABLES)
def test_the_raw_tables_project_the_raw_zone_layout(table: str) -> None:
    source = athena_etl.RAW_TABLES[table]
    text = rendered(f"{table}_table")
    assert f"CREATE EXTERNAL TABLE IF NOT EXISTS tglake.{table} (" in text
    assert f"LOCATION 's3://raw-bucket/{source}/'" in text
    assert f"'s3://raw-bucket/{source}/context_date=${{context_date}}/'" in text
    assert source in (layout.RAW_SOURCE, layout.BOT_SOURCE)


@pytest.mark.parametrize("table", athena_etl.INSERTS)
def test_a_value_that_could_break_out_of_its_quotes_is_refused(table: str) -> None:
    with pytest.raises(ConfigError, match="pseudonym_key holds characters"):
        athena_etl.render(
            f"{table}_insert",
            database="tglake",
            raw_location="s3://raw/",
            day=dt.date(2024, 10, 6),
            pseudonym_key="x'); DROP TABLE messages; --",
        )


def test_a_missing_value_and_an_unknown_statement_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="statement messages_insert needs day"):
        athena_etl.render("messages_insert", database="tglake", raw_location="s3://raw/")
    with pytest.raises(ConfigError, match="statement callbacks_insert needs pseudonym_key"):
        athena_etl.render(
            "callbacks_insert", database="tglake", raw_location="s3://raw/", day=dt.date.today()
        )
    with pytest.raises(ConfigError, match="no Athena ETL statement 'nope'"):
        athena_etl.render("nope", database="tglake", raw_location="s3://raw/")
