"""What an erasure does to the enriched zone and to old versions, beside rebuilding days.

* a day left with no raw update loses its enriched files (:func:`drop_enriched_day`);
* a day whose raw data already expired has the person's rows filtered out of each table's file
  (:func:`filter_enriched`);
* on a store that keeps old versions (a versioned S3 bucket), those of what changed are deleted
  (:func:`purge`), so erased bytes do not survive as noncurrent versions.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tglake import layout, schema
from tglake.etl import publish
from tglake.storage import ObjectStore

KEY_COLUMNS: dict[str, list[str]] = {
    table: [f.name for f in table_schema if f.name.endswith("user_key")]
    for table, table_schema in schema.SCHEMAS.items()
}
"""The columns of each enriched table that hold a ``user_key``."""


def drop_enriched_day(enriched: ObjectStore, day: dt.date) -> None:
    """Remove every enriched file of a day whose raw partition is now empty."""
    for table in (*schema.SCHEMAS, publish.REJECTS_TABLE, publish.MANIFESTS_TABLE):
        for key in list(enriched.list(layout.enriched_partition(table, day))):
            enriched.delete(key)


def _day_of(key: str) -> dt.date | None:
    marker = f"{layout.PARTITION}="
    for part in key.split("/"):
        if part.startswith(marker):
            try:
                return dt.date.fromisoformat(part[len(marker) :])
            except ValueError:
                return None
    return None


def _without(table: pa.Table, columns: list[str], user_key: str) -> pa.Table:
    keep = None
    for column in columns:
        other = pc.fill_null(pc.not_equal(table[column], user_key), True)
        keep = other if keep is None else pc.and_(keep, other)
    return table if keep is None else table.filter(keep)


def filter_enriched(
    raw: ObjectStore, enriched: ObjectStore, user_key: str, skip: set[dt.date], *, dry_run: bool
) -> list[dt.date]:
    """Days with no raw partition whose enriched rows hold ``user_key``: filtered in place."""
    touched: set[dt.date] = set()
    for table, columns in KEY_COLUMNS.items():
        if not columns:
            continue
        for key in list(enriched.list(layout.enriched_table_prefix(table))):
            day = _day_of(key)
            if day is None or day in skip or not key.endswith(".parquet"):
                continue
            data = pq.read_table(pa.BufferReader(enriched.get(key)))
            kept = _without(data, columns, user_key)
            if kept.num_rows == data.num_rows:
                continue
            if any(
                any(raw.list(layout.partition_prefix(source, day)))
                for source in (layout.RAW_SOURCE, layout.EXPORT_SOURCE)
            ):
                continue  # a raw day the person never wrote in: its rows come from the ETL
            touched.add(day)
            if dry_run:
                continue
            with tempfile.TemporaryDirectory(prefix="tglake-forget-") as folder:
                out = publish.TableFile(Path(folder), table, data.schema)
                out.write_table(kept)
                publish.swap_partition(enriched, table, day, out.close())
    return sorted(touched)


def partitions(days: list[dt.date]) -> list[str]:
    tables = (*schema.SCHEMAS, publish.REJECTS_TABLE, publish.MANIFESTS_TABLE)
    return [layout.enriched_partition(table, day) for day in days for table in tables]


def purge(store: ObjectStore, prefixes: list[str]) -> None:
    """On a store that keeps old versions (a versioned S3 bucket), remove those of ``prefixes``:
    an erased person's bytes must not survive as a noncurrent version."""
    for prefix in prefixes:
        store.purge_history(prefix)
