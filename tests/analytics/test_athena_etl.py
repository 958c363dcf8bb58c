"""The Athena path of the ETL (past one Lambda): SQL that Athena's dialect accepts, and that
writes the messages table's exact columns."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlglot
from sqlglot import exp

from tglake import schema
from tglake.analytics import athena_etl
from tglake.errors import ConfigError
from tglake.etl.clean import CONTENT_TYPES

TRINO_FUNCTIONS_SQLGLOT_DOES_NOT_KNOW = {"hmac_sha256"}  # Trino binary functions, documented


def rendered(name: str) -> str:
    return athena_etl.render(
        name,
        database="tglake",
        raw_location="s3://raw-bucket/",
        day=dt.date(2024, 10, 6),
        pseudonym_key="test-key",
    )


@pytest.mark.parametrize("name", athena_etl.STATEMENTS)
def test_every_statement_parses_as_athena_and_trino_sql(name: str) -> None:
    text = rendered(name)
    assert "{{" not in text
    for read in ("athena", "trino"):
        tree = sqlglot.parse_one(text, read=read, error_level=sqlglot.ErrorLevel.RAISE)
        unknown = {f.name.lower() for f in tree.find_all(exp.Anonymous)}
        assert unknown <= TRINO_FUNCTIONS_SQLGLOT_DOES_NOT_KNOW


def test_the_insert_writes_the_messages_columns_in_table_order() -> None:
    tree = sqlglot.parse_one(rendered("messages_insert"), read="athena")
    insert = tree.find(exp.Insert)
    assert insert is not None
    select = insert.expression
    assert isinstance(select, exp.Select)
    assert select.named_selects == [*schema.MESSAGES.names, "context_date"]


def test_the_insert_reads_the_day_and_the_day_before_for_redeliveries() -> None:
    text = rendered("messages_insert")
    assert "IN ('2024-10-06', '2024-10-05')" in text
    assert "DATE '2024-10-06' AS context_date" in text


def test_content_type_follows_the_python_precedence() -> None:
    case = athena_etl.content_type_case()
    positions = [case.index(f"THEN '{field}'") for field in CONTENT_TYPES]
    assert positions == sorted(positions)
    assert case.endswith("ELSE 'other' END")


def test_the_raw_table_projects_the_raw_zone_layout() -> None:
    text = rendered("raw_updates_table")
    assert "LOCATION 's3://raw-bucket/telegram/'" in text
    assert "'s3://raw-bucket/telegram/context_date=${context_date}/'" in text


def test_a_value_that_could_break_out_of_its_quotes_is_refused() -> None:
    with pytest.raises(ConfigError, match="pseudonym_key holds characters"):
        athena_etl.render(
            "messages_insert",
            database="tglake",
            raw_location="s3://raw/",
            day=dt.date(2024, 10, 6),
            pseudonym_key="x'); DROP TABLE messages; --",
        )


def test_a_missing_value_and_an_unknown_statement_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="statement messages_insert needs day"):
        athena_etl.render("messages_insert", database="tglake", raw_location="s3://raw/")
    with pytest.raises(ConfigError, match="no Athena ETL statement 'nope'"):
        athena_etl.render("nope", database="tglake", raw_location="s3://raw/")
