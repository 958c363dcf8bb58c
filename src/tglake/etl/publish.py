"""Writing one enriched day: streamed Parquet files, swapped in whole, plus its side files.

A table's day is ONE file with a fixed name, ``telegram/<table>/context_date=D/data.parquet``.
It is streamed to a local temporary file (bounded memory), then published in one step: an
atomic rename on a folder, one PUT (or one CompleteMultipartUpload) on S3. Either way a reader
sees the whole old file or the whole new one, never a mix; files of an older layout left in the
partition are deleted right after the swap. No run timestamp goes into a file, so the same raw
data gives byte-identical files.

Side files that table globs (``telegram/<table>/*/*.parquet``) never match:

* ``telegram/_rejects/context_date=D/rejects.jsonl``: one ``{"key", "reason"}`` per raw object
  that is not an update (absent when there is none);
* ``telegram/_manifests/context_date=D/manifest.json``: what the day was built from (count and
  digest of the raw keys), written last; the scheduler compares it with the raw zone to find
  days to catch up.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tglake import layout
from tglake.errors import ObjectNotFoundError
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

DATA_FILE = "data.parquet"
REJECTS_TABLE = "_rejects"
MANIFESTS_TABLE = "_manifests"
MANIFEST_VERSION = 1


def data_key(table: str, day: Any) -> str:
    return f"{layout.enriched_partition(table, day)}{DATA_FILE}"


def rejects_key(day: Any) -> str:
    return f"{layout.enriched_partition(REJECTS_TABLE, day)}rejects.jsonl"


def manifest_key(day: Any) -> str:
    return f"{layout.enriched_partition(MANIFESTS_TABLE, day)}manifest.json"


class TableFile:
    """One table's day, streamed batch by batch into a local Parquet file (zstd)."""

    def __init__(self, folder: Path, name: str, schema: pa.Schema) -> None:
        self.name = name
        self.schema = schema
        self.path = folder / f"{name}.parquet"
        self.rows = 0
        self._writer = pq.ParquetWriter(
            self.path, schema, compression="zstd", write_statistics=True
        )

    def write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            self.rows += len(rows)

    def write_table(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def close(self) -> Path:
        self._writer.close()
        return self.path


def swap_partition(store: ObjectStore, table: str, day: Any, path: Path) -> None:
    """Publish ``path`` as the table's day, then remove whatever else the partition held."""
    key = data_key(table, day)
    store.put_file(key, path)  # one atomic step, never the whole file in memory
    for stale in store.list(layout.enriched_partition(table, day)):
        if stale != key:
            log.info("removing stale enriched file %s", stale)
            store.delete(stale)


def write_rejects(store: ObjectStore, day: Any, rejects: list[tuple[str, str]]) -> None:
    """Replace the day's rejects file (or remove it when there is none)."""
    key = rejects_key(day)
    if not rejects:
        store.delete(key)
        return
    lines = (json.dumps({"key": k, "reason": r}, ensure_ascii=False) for k, r in sorted(rejects))
    store.put(key, ("\n".join(lines) + "\n").encode())


def keys_digest(keys: Iterable[str]) -> tuple[int, str]:
    """Count and digest of a raw partition's key set: they change when an object is added or
    removed. Order-independent (a sum of per-key hashes), so no sorted copy of a big day."""
    count = total = 0
    for key in keys:
        count += 1
        total += int.from_bytes(hashlib.sha256(key.encode()).digest()[:16], "big")
    return count, f"{total % 2**128:032x}"


def manifest(raw_keys: Iterable[str], rows: dict[str, int]) -> bytes:
    count, digest = keys_digest(raw_keys)
    body = {
        "version": MANIFEST_VERSION,
        "raw_objects": count,
        "raw_digest": digest,
        "rows": dict(sorted(rows.items())),
    }
    return (json.dumps(body, sort_keys=True, indent=1) + "\n").encode()


def read_manifest(store: ObjectStore, day: Any) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(store.get(manifest_key(day)))
    except (ObjectNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None
