"""One batch of raw objects → Arrow tables: the CPU-heavy part of the ETL, run in-process or in
worker processes (one per core) for a local day.

:func:`flatten_batch` is pure: bodies in, a :class:`BatchResult` out. Every update of the batch
is flattened, duplicates included; the ETL loop then decides, in key order and in one process,
which updates are new, and keeps their rows (``ROW_OF`` says which update each row came from).
So the output does not depend on how many processes did the work.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from tglake import layout, telegram
from tglake.etl import clean, flatten, rawread
from tglake.storage import LocalStore

log = logging.getLogger(__name__)

ROW_OF = "_row_of"
"""Extra column: index, in its batch, of the raw object a row came from (dropped on write)."""


@dataclasses.dataclass
class BatchResult:
    pairs: list[tuple[int, str] | None]
    """Per object: (update_id, payload hash), or None for a reject."""
    labels: list[str]
    """Per object: its update kind (a field name for kinds tglake does not know)."""
    rejects: list[tuple[int, str]]
    """(index in the batch, reason)."""
    tables: dict[str, pa.Table]
    """Rows of each table, with the ``ROW_OF`` column."""


def kind_label(update: dict[str, Any]) -> str:
    kind = telegram.update_kind(update)
    if kind != telegram.UNKNOWN_KIND:
        return kind
    return next((k for k in update if k != "update_id"), "empty")


def flatten_update(
    update: dict[str, Any],
    kind: str,
    specs: Sequence[flatten.TableSpec],
    ctx: flatten.Context,
) -> dict[str, list[flatten.Row]]:
    """Rows of every table for one update; derived tables get their parent's rows."""
    out: dict[str, list[flatten.Row]] = {}
    for spec in specs:
        if spec.kinds and kind not in spec.kinds:
            rows: list[flatten.Row] = []  # the spec has nothing to take from this kind
        elif spec.parent is None:
            rows = spec.extract(update, ctx)
        else:
            rows = [r for parent in out.get(spec.parent, []) for r in spec.extract(parent, ctx)]
        out[spec.name] = rows
    return out


def with_row_of(schema: pa.Schema) -> pa.Schema:
    return schema.append(pa.field(ROW_OF, pa.int32(), nullable=False))


def flatten_batch(
    bodies: Sequence[bytes | None], specs: Sequence[flatten.TableSpec], ctx: flatten.Context
) -> BatchResult:
    pairs: list[tuple[int, str] | None] = []
    labels: list[str] = []
    rejects: list[tuple[int, str]] = []
    rows: dict[str, list[flatten.Row]] = {spec.name: [] for spec in specs}
    for index, body in enumerate(bodies):
        update = rawread.parse_raw(body)
        if isinstance(update, str) or body is None:
            pairs.append(None)
            labels.append("")
            rejects.append((index, str(update)))
            continue
        label = kind_label(update)
        try:
            table_rows = flatten_update(update, label, specs, ctx)
        except Exception as exc:  # a bug in one extractor must not cost the whole day
            log.exception("flatten failed for update_id=%s", update.get("update_id"))
            pairs.append(None)
            labels.append("")
            rejects.append((index, f"flatten failed: {type(exc).__name__}"))
            continue
        payload_hash = layout.content_hash(body)
        pairs.append((update["update_id"], payload_hash))
        labels.append(label)
        for name, new_rows in table_rows.items():
            for row in new_rows:
                row["payload_hash"] = payload_hash
                row[ROW_OF] = index
            rows[name].extend(new_rows)
    tables = {spec.name: _to_table(rows[spec.name], spec.schema) for spec in specs}
    return BatchResult(pairs, labels, rejects, tables)


def _to_table(rows: list[flatten.Row], schema: pa.Schema) -> pa.Table:
    try:
        return pa.Table.from_pylist(rows, schema=with_row_of(schema))
    except UnicodeEncodeError:
        # a lone surrogate ("\ud800" is valid JSON) in a field that is not cleaned text: rare,
        # so the fast path stays free of the scrub
        scrubbed = [{k: clean.scrub_surrogates(v) for k, v in row.items()} for row in rows]
        return pa.Table.from_pylist(scrubbed, schema=with_row_of(schema))


# ------------------------------------------------------------------ worker processes
_worker: dict[str, Any] = {}


def init_worker(
    root: Path, specs: Sequence[flatten.TableSpec], ctx: flatten.Context, parent: int
) -> None:
    """Process-pool initializer: what every batch of this day needs, sent once (the raw zone
    as the folder ``root``, opened again here); and a watch that ends the worker when the ETL
    process ``parent`` is gone (``kill -9`` leaves no orphans, even one killed before this
    worker finished starting)."""
    _worker.update(store=LocalStore(root), specs=specs, ctx=ctx)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def work(keys: list[str]) -> BatchResult:
    """Read one batch of a local raw partition and flatten it (in a worker process)."""
    bodies = _worker["store"].get_many(keys)
    return flatten_batch(bodies, _worker["specs"], _worker["ctx"])
