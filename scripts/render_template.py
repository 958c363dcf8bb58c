"""Render the generated parts of infra/template.yaml from the code that owns them.

The Glue tables come from :func:`tglake.analytics.athena_ddl.table_defs` (itself generated from
``tglake/schema.py``), the same source as ``tglake athena ddl``, so the deployed tables and the
printed DDL cannot drift. The Athena named queries are the query library
(``tglake/analytics/queries/*.sql``) rendered for Athena over a rolling window (the last
``NAMED_QUERY_DAYS`` days up to today), in the bot's time zone. Everything between
``# BEGIN GENERATED: <part>`` and ``# END GENERATED: <part>`` is replaced; the rest of the
template is written by hand.

    python scripts/render_template.py          # rewrite infra/template.yaml
    python scripts/render_template.py --check  # exit 1 if it is out of date (used by the tests)
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from tglake.analytics.athena_ddl import table_defs

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "template.yaml"
BUCKET = "${EnrichedBucket}"
PARQUET = "org.apache.hadoop.hive.ql.io.parquet"
NAMED_QUERY_DAYS = 30
NAMED_QUERY_TIMEZONE = "America/Sao_Paulo"
ROLLING = {
    "start": f"(current_date - INTERVAL '{NAMED_QUERY_DAYS}' DAY)",
    "end": "current_date",
}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _sub(text: str) -> str:
    """``!Sub`` text: our bucket stays a reference, every other ``${…}`` is literal."""
    return "!Sub " + _q(re.sub(r"\$\{(?!EnrichedBucket\})", "${!", text))


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def glue_tables() -> list[str]:
    lines: list[str] = []
    for table in table_defs(f"s3://{BUCKET}"):
        lines += [
            f"  GlueTable{_camel(table.name)}:",
            "    Type: AWS::Glue::Table",
            "    Properties:",
            '      CatalogId: !Ref "AWS::AccountId"',
            "      DatabaseName: !Ref GlueDatabase",
            "      TableInput:",
            f"        Name: {table.name}",
            "        TableType: EXTERNAL_TABLE",
            "        Parameters:",
            '          EXTERNAL: "TRUE"',
        ]
        for key, value in table.properties.items():
            rendered = _sub(value) if "${" in value else _q(value)
            lines.append(f"          {_q(key)}: {rendered}")
        lines += [
            "        PartitionKeys:",
            "          - {Name: context_date, Type: date}",
            "        StorageDescriptor:",
            f"          Location: {_sub(table.location)}",
            f"          InputFormat: {PARQUET}.MapredParquetInputFormat",
            f"          OutputFormat: {PARQUET}.MapredParquetOutputFormat",
            "          SerdeInfo:",
            f"            SerializationLibrary: {PARQUET}.serde.ParquetHiveSerDe",
            "          Columns:",
        ]
        lines += [
            f"            - {{Name: {name}, Type: {_q(kind)}}}" for name, kind in table.columns
        ]
    return lines


def named_query_sql() -> dict[str, tuple[str, str]]:
    """``name → (description, Athena SQL)`` for every query of the library (none until the
    analytics package ships its queries)."""
    if importlib.util.find_spec("tglake.analytics.sql") is None:
        return {}
    from tglake.analytics import sql

    rendered = {}
    for query in sql.list_queries():
        text = query.text
        for name, expression in ROLLING.items():
            text = re.sub(rf"\${name}\b", expression, text)
        today = dt.date(2000, 1, 1)  # unused: the period parameters were replaced above
        sql_text = sql.render(text, sql.Period(today, today), NAMED_QUERY_TIMEZONE, sql.ATHENA)
        rendered[query.name] = (query.description, sql_text.strip())
    from tglake.analytics.athena_ddl import create_view_sql

    for view in sql.VIEWS:
        description = f"Run once: creates the view {view}. {sql.view_description(view)}"
        rendered[f"create_view_{view}"] = (description, create_view_sql(view))
    return rendered


def named_queries() -> list[str]:
    lines: list[str] = []
    for name, (description, text) in named_query_sql().items():
        lines += [
            f"  NamedQuery{_camel(name)}:",
            "    Type: AWS::Athena::NamedQuery",
            "    Properties:",
            f"      Name: {_q('tglake ' + name)}",
            f"      Description: {_q(description[:1024])}",
            "      Database: !Ref GlueDatabase",
            "      WorkGroup: !Ref AthenaWorkGroup",
            f"      QueryString: {_q(text)}",
        ]
    return lines


PARTS: dict[str, Callable[[], list[str]]] = {
    "glue tables": glue_tables,
    "named queries": named_queries,
}


def render(text: str) -> str:
    """``text`` with every generated part replaced by its current rendering."""
    for part, make in PARTS.items():
        begin = f"  # BEGIN GENERATED: {part} (scripts/render_template.py)\n"
        end = f"  # END GENERATED: {part}\n"
        head, found, rest = text.partition(begin)
        _, found_end, tail = rest.partition(end)
        if not (found and found_end):
            raise SystemExit(f"{TEMPLATE}: markers for {part!r} not found")
        text = head + begin + "".join(f"{line}\n" for line in make()) + end + tail
    return text


def main(argv: list[str]) -> int:
    current = TEMPLATE.read_text(encoding="utf-8")
    rendered = render(current)
    if "--check" in argv:
        if rendered != current:
            print(f"{TEMPLATE} is out of date: run `make template`", file=sys.stderr)
            return 1
        return 0
    TEMPLATE.write_text(rendered, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
