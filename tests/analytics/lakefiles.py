"""Write enriched Parquet files in the lake's layout, from rows given as dicts (test helper).

Columns a row leaves out are null; the required ones get harmless defaults. The files are what
the ETL writes: ``telegram/<table>/context_date=YYYY-MM-DD/part-0.parquet``, zstd, schema.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tglake import layout, schema

UTC = dt.UTC
_ids = itertools.count(1)


def ts(text: str) -> dt.datetime:
    """An aware UTC datetime from ``YYYY-MM-DD HH:MM[:SS]`` (written in UTC)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def _complete(table: str, row: dict[str, Any]) -> dict[str, Any]:
    full = {name: row.get(name) for name in schema.SCHEMAS[table].names}
    full["update_id"] = row.get("update_id", next(_ids))
    full["payload_hash"] = row.get("payload_hash", f"{full['update_id']:012x}")
    if "update_type" in full:
        full["update_type"] = row.get("update_type", "message")
    unknown = set(row) - set(full)
    if unknown:
        raise KeyError(f"{table} has no columns {sorted(unknown)}")
    return full


def table_bytes(table: str, rows: Iterable[dict[str, Any]]) -> bytes:
    arrow = pa.Table.from_pylist([_complete(table, r) for r in rows], schema=schema.SCHEMAS[table])
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def partition_key(table: str, day: dt.date, name: str = "part-0.parquet") -> str:
    return layout.enriched_partition(table, day) + name


def write_partition(
    enriched: Path, table: str, day: dt.date | str, rows: Iterable[dict[str, Any]]
) -> Path:
    """One partition file under the enriched root; returns its path."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    path = enriched / partition_key(table, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(table_bytes(table, rows))
    return path


def write_messages(
    enriched: Path, rows: Iterable[dict[str, Any]], tz: str = "America/Sao_Paulo"
) -> None:
    """Messages, each put in the partition of its ``message_ts`` day in ``tz`` (as the ETL does)."""
    write_by_local_day(enriched, "messages", rows, "message_ts", tz)


def write_by_local_day(
    enriched: Path,
    table: str,
    rows: Iterable[dict[str, Any]],
    ts_column: str,
    tz: str = "America/Sao_Paulo",
) -> None:
    """Rows of ``table``, each in the partition of its ``ts_column`` day in ``tz``."""
    from zoneinfo import ZoneInfo

    by_day: dict[dt.date, list[dict[str, Any]]] = {}
    for row in rows:
        day = layout.context_date(row[ts_column], ZoneInfo(tz))
        by_day.setdefault(day, []).append(row)
    for day, day_rows in sorted(by_day.items()):
        write_partition(enriched, table, day, day_rows)
