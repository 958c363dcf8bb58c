"""Athena/Glue tables over the enriched zone, generated from :mod:`tglake.schema` (one source).

Every table is Parquet, ``PARTITIONED BY (context_date date)`` with partition projection (type
date, ``yyyy-MM-dd``, from a start day to ``NOW``, one day apart, located by
``storage.location.template``), so new days are visible at once and ``MSCK REPAIR`` is never
needed. The same columns and properties feed ``tglake athena ddl`` and the Glue table resources
of ``infra/template.yaml`` (``scripts/render_template.py``), so the two cannot drift apart.
The views of :data:`tglake.analytics.sql.VIEWS` (``messages_latest``) follow the tables, from the
same SQL the DuckDB engine uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pyarrow as pa

from tglake import layout, schema
from tglake.analytics.sql import VIEWS, view_sql
from tglake.errors import ConfigError

DEFAULT_DATABASE = "tglake"
DEFAULT_START = dt.date(2024, 1, 1)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")

_SIMPLE: dict[pa.DataType, str] = {
    pa.bool_(): "boolean",
    pa.int8(): "tinyint",
    pa.int16(): "smallint",
    pa.int32(): "int",
    pa.int64(): "bigint",
    pa.float32(): "float",
    pa.float64(): "double",
    pa.string(): "string",
    pa.large_string(): "string",
    pa.binary(): "binary",
    pa.date32(): "date",
}


def athena_type(arrow: pa.DataType) -> str:
    """The Hive/Athena DDL type of an Arrow type: the one mapping (UTC ms timestamps are
    ``timestamp``, lists are ``array<…>``)."""
    if arrow in _SIMPLE:
        return _SIMPLE[arrow]
    if pa.types.is_timestamp(arrow):
        return "timestamp"
    if pa.types.is_decimal(arrow):
        return f"decimal({arrow.precision},{arrow.scale})"
    if pa.types.is_list(arrow) or pa.types.is_large_list(arrow):
        return f"array<{athena_type(arrow.value_type)}>"
    if pa.types.is_struct(arrow):
        fields = ",".join(f"{f.name}:{athena_type(f.type)}" for f in arrow)
        return f"struct<{fields}>"
    if pa.types.is_map(arrow):
        return f"map<{athena_type(arrow.key_type)},{athena_type(arrow.item_type)}>"
    raise ConfigError(f"no Athena type for Arrow type {arrow}")


@dataclasses.dataclass(frozen=True)
class TableDef:
    """One Glue table: what both the DDL and the CloudFormation resource are made of."""

    name: str
    columns: list[tuple[str, str]]
    location: str
    properties: dict[str, str]


def _check_name(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise ConfigError(f"{what} {name!r} must be lower-case letters, digits and _")
    return name


def table_location(enriched_uri: str, table: str) -> str:
    """``s3://bucket/prefix/telegram/<table>/``."""
    if not enriched_uri.startswith("s3://"):
        raise ConfigError(f"Athena reads S3: the location must be s3://…, not {enriched_uri!r}")
    return f"{enriched_uri.rstrip('/')}/{layout.enriched_table_prefix(table)}"


def projection_properties(location: str, start: dt.date = DEFAULT_START) -> dict[str, str]:
    """Table properties for partition projection on ``context_date``."""
    part = layout.PARTITION
    return {
        "projection.enabled": "true",
        f"projection.{part}.type": "date",
        f"projection.{part}.format": "yyyy-MM-dd",
        f"projection.{part}.range": f"{start.isoformat()},NOW",
        f"projection.{part}.interval": "1",
        f"projection.{part}.interval.unit": "DAYS",
        "storage.location.template": f"{location}{part}=${{{part}}}/",
        "classification": "parquet",
    }


def table_defs(enriched_uri: str, start: dt.date = DEFAULT_START) -> list[TableDef]:
    """Every table of :data:`tglake.schema.SCHEMAS`, in its order."""
    defs = []
    for name, arrow_schema in schema.SCHEMAS.items():
        location = table_location(enriched_uri, _check_name(name, "table"))
        columns = [(f.name, athena_type(f.type)) for f in arrow_schema]
        defs.append(TableDef(name, columns, location, projection_properties(location, start)))
    return defs


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def create_table_sql(database: str, table: TableDef) -> str:
    columns = ",\n".join(f"  `{name}` {kind}" for name, kind in table.columns)
    properties = ",\n".join(f"  {_quote(k)} = {_quote(v)}" for k, v in table.properties.items())
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS `{database}`.`{table.name}` (\n{columns}\n)\n"
        f"PARTITIONED BY (`{layout.PARTITION}` date)\n"
        "STORED AS PARQUET\n"
        f"LOCATION {_quote(table.location)}\n"
        f"TBLPROPERTIES (\n{properties}\n)"
    )


def create_view_sql(name: str, database: str | None = None) -> str:
    """``CREATE OR REPLACE VIEW`` for view ``name``; with ``database``, the view and the tables
    it reads are qualified by it (without, Athena's query context decides, as in a named query)."""
    text = view_sql(name)
    if database is None:
        return f"CREATE OR REPLACE VIEW {name} AS\n{text}"
    _check_name(database, "database")
    qualified = re.sub(
        r"\bFROM (" + "|".join(schema.SCHEMAS) + r")\b", rf'FROM "{database}".\1', text
    )
    return f'CREATE OR REPLACE VIEW "{database}"."{name}" AS\n{qualified}'


def ddl_statements(
    enriched_uri: str, *, database: str = DEFAULT_DATABASE, start: dt.date = DEFAULT_START
) -> list[str]:
    """``CREATE DATABASE``, one ``CREATE EXTERNAL TABLE`` per enriched table, then the views."""
    _check_name(database, "database")
    tables = table_defs(enriched_uri, start)
    return (
        [f"CREATE DATABASE IF NOT EXISTS `{database}`"]
        + [create_table_sql(database, t) for t in tables]
        + [create_view_sql(view, database) for view in VIEWS]
    )


def ddl_script(
    enriched_uri: str, *, database: str = DEFAULT_DATABASE, start: dt.date = DEFAULT_START
) -> str:
    """The statements as one script, ``;``-terminated (Athena's console runs one at a time)."""
    return "".join(
        f"{s};\n\n" for s in ddl_statements(enriched_uri, database=database, start=start)
    )
