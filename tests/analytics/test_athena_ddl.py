"""The Athena DDL is generated from schema.py: every table, every column, the right types, and
partition projection so that no MSCK REPAIR is ever needed. Parsed by sqlglot, not regexes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from tglake import schema
from tglake.analytics.athena_ddl import athena_type, create_view_sql, ddl_statements
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import VIEWS
from tglake.errors import ConfigError

ENRICHED = "s3://tglake-enriched-123/lake"


def parsed_tables() -> dict[str, exp.Create]:
    tables = {}
    for statement in ddl_statements(ENRICHED, start=dt.date(2024, 9, 1))[1:]:
        create = sqlglot.parse_one(statement, read="athena")
        assert isinstance(create, exp.Create)
        if create.kind == "TABLE":
            tables[create.this.this.name] = create
    return tables


def test_one_statement_per_table_after_the_database() -> None:
    statements = ddl_statements(ENRICHED)
    assert statements[0] == "CREATE DATABASE IF NOT EXISTS `tglake`"
    assert sorted(parsed_tables()) == sorted(schema.SCHEMAS)


@pytest.mark.parametrize("table", sorted(schema.SCHEMAS))
def test_columns_match_schema_py_in_order_with_hive_types(table: str) -> None:
    create = parsed_tables()[table]
    columns = [(c.name, c.args["kind"].sql("hive").lower()) for c in create.this.expressions]
    expected = [
        (f.name, exp.DataType.build(athena_type(f.type), dialect="hive").sql("hive").lower())
        for f in schema.SCHEMAS[table]
    ]
    assert columns == expected


@pytest.mark.parametrize("table", sorted(schema.SCHEMAS))
def test_partitioned_by_context_date_with_projection_to_now(table: str) -> None:
    create = parsed_tables()[table]
    partitioned = create.find(exp.PartitionedByProperty)
    assert isinstance(partitioned, exp.PartitionedByProperty)
    assert [(c.name, c.args["kind"].sql("hive")) for c in partitioned.this.expressions] == [
        ("context_date", "DATE")
    ]
    assert create.find(exp.FileFormatProperty).name.upper() == "PARQUET"  # type: ignore[union-attr]
    location = f"{ENRICHED}/telegram/{table}/"
    assert create.find(exp.LocationProperty).this.name == location  # type: ignore[union-attr]
    properties = {
        p.name: p.text("value") for p in create.find_all(exp.Property) if type(p) is exp.Property
    }
    assert properties == {
        "projection.enabled": "true",
        "projection.context_date.type": "date",
        "projection.context_date.format": "yyyy-MM-dd",
        "projection.context_date.range": "2024-09-01,NOW",
        "projection.context_date.interval": "1",
        "projection.context_date.interval.unit": "DAYS",
        "storage.location.template": f"{location}context_date=${{context_date}}/",
        "classification": "parquet",
    }


@pytest.mark.parametrize(
    ("arrow", "athena"),
    [
        (pa.timestamp("ms", tz="UTC"), "timestamp"),
        (pa.list_(pa.string()), "array<string>"),
        (pa.int32(), "int"),
        (pa.int64(), "bigint"),
        (pa.bool_(), "boolean"),
        (pa.float64(), "double"),
        (pa.date32(), "date"),
        (pa.decimal128(12, 2), "decimal(12,2)"),
        (
            pa.struct([("a", pa.int16()), ("b", pa.list_(pa.int64()))]),
            "struct<a:smallint,b:array<bigint>>",
        ),
        (pa.map_(pa.string(), pa.int32()), "map<string,int>"),
    ],
)
def test_arrow_to_athena_types(arrow: pa.DataType, athena: str) -> None:
    assert athena_type(arrow) == athena


def test_every_schema_type_has_an_athena_type() -> None:
    for table in schema.SCHEMAS.values():
        for field in table:
            athena_type(field.type)


def test_an_unmapped_type_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no Athena type for Arrow type duration"):
        athena_type(pa.duration("s"))


def test_a_local_location_is_refused() -> None:
    with pytest.raises(ConfigError, match="must be s3://"):
        ddl_statements("./lake/enriched")


def test_the_views_follow_the_tables_and_parse_as_athena_sql() -> None:
    statements = ddl_statements(ENRICHED, database="elections")
    assert len(statements) == 1 + len(schema.SCHEMAS) + len(VIEWS)
    for name, statement in zip(VIEWS, statements[-len(VIEWS) :], strict=True):
        assert statement.startswith(f'CREATE OR REPLACE VIEW "elections"."{name}" AS\n')
        # every table it reads is the one of the same database
        assert '"elections".messages' in statement
        assert not re.search(rf"\bFROM ({'|'.join(schema.SCHEMAS)})\b", statement)
        for read in ("athena", "trino"):
            create = sqlglot.parse_one(statement, read=read, error_level=sqlglot.ErrorLevel.RAISE)
            assert isinstance(create, exp.Create)
            assert create.kind == "VIEW"
    assert create_view_sql("messages_latest").startswith(
        "CREATE OR REPLACE VIEW messages_latest AS"
    )


@pytest.mark.parametrize(("name", "rows"), [("messages_latest", 12), ("bot_turns", 13)])
def test_a_view_reads_the_same_in_athena_as_on_duckdb(
    known_lake_master: Path, name: str, rows: int
) -> None:
    # the Athena text, its database qualifier dropped, runs on DuckDB over the ETL's lake
    engine = DuckDBEngine(str(known_lake_master / "enriched"), timezone="America/Sao_Paulo")
    athena_select = create_view_sql(name, "tglake").split(" AS\n", 1)[1]
    on_duckdb = athena_select.replace('"tglake".', "")
    ordered = engine.sql(f"SELECT * FROM ({on_duckdb}) ORDER BY update_id")
    assert ordered == engine.sql(f"SELECT * FROM {name} ORDER BY update_id")
    assert len(ordered.rows) == rows
