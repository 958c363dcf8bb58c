"""One day of raw updates in, one enriched partition per table out, swapped in whole.

``run_day`` lists the day's raw objects, orders them by update_id (from the key name: a cheap
order that needs no read; the content still decides what each update *is*), and walks them in
batches: read (in parallel on S3), validate, deduplicate, flatten through the table registry
(:mod:`tglake.flatten`), stream to Parquet. Memory holds one batch plus the compact set of
``(update_id, payload hash)`` pairs met that day, whatever the size of the day.

Deduplication: the same payload twice is one row, even when the redelivery crossed midnight
into the next day's partition (the day before is looked at for the update_ids present today).
A different payload under a known update_id is kept and counted as a conflict.

An empty raw day writes nothing (and never deletes an enriched day: raw data may have been
expired on purpose); the report says it was empty.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import logging
import os
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tglake import flatten, layout, partition, pseudonym, telegram, transform
from tglake.config import Settings
from tglake.errors import InvalidUpdateError, ObjectNotFoundError
from tglake.ingest import parse_update
from tglake.storage import LocalStore, ObjectStore

log = logging.getLogger(__name__)

BATCH_SIZE = 5_000
S3_READ_WORKERS = 32


@dataclasses.dataclass(frozen=True)
class DayReport:
    """What one day's run did. ``rows`` is per table; ``rejects`` lists ``(raw key, reason)``."""

    day: dt.date
    updates_read: int
    rows: dict[str, int]
    duplicates_dropped: int
    conflicts_kept: int
    unknown_kinds: dict[str, int]
    rejects: list[tuple[str, str]]
    seconds: float
    written: bool = True
    """False when the raw day was empty and nothing was written."""


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Listing:
    """A raw partition's object names (without the common prefix, to save memory), in the
    order the ETL reads them: by the update_id in the name, then by name; names that ingest did
    not make come last. The order is a cheap guess that needs no read; content decides."""

    def __init__(self, store: ObjectStore, prefix: str) -> None:
        self.prefix = prefix
        names = _list_names(store, prefix)
        names.sort()
        names.sort(key=self._order)
        self.names = names

    def _order(self, name: str) -> int:
        parsed = layout.parse_raw_key(self.prefix + name)
        return parsed.update_id if parsed is not None else 2**70

    def __len__(self) -> int:
        return len(self.names)

    def full_keys(self) -> Iterator[str]:
        return (self.prefix + name for name in self.names)

    def batches(self, size: int) -> Iterator[list[str]]:
        """Full keys, one batch at a time (never the whole day's keys at once)."""
        return ([self.prefix + n for n in chunk] for chunk in _batches(self.names, size))


def _list_names(store: ObjectStore, prefix: str) -> list[str]:
    if isinstance(store, LocalStore):  # one folder: skip building and sorting full keys
        try:
            with os.scandir(store.root.joinpath(*prefix.rstrip("/").split("/"))) as entries:
                return [e.name for e in entries if e.is_file() and not e.name.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []
    return [key[len(prefix) :] for key in store.list(prefix)]


class _Reader:
    """Reads raw objects, in parallel when the store is remote; a vanished key reads as None."""

    def __init__(self, store: ObjectStore, workers: int | None) -> None:
        if workers is None:
            workers = 1 if isinstance(store, LocalStore) else S3_READ_WORKERS
        self.store = store
        self.pool = ThreadPoolExecutor(workers) if workers > 1 else None
        self.root = str(store.root) if isinstance(store, LocalStore) else None

    def _get(self, key: str) -> bytes | None:
        try:
            return self.store.get(key)
        except ObjectNotFoundError:
            return None

    def _get_local(self, key: str) -> bytes | None:
        # keys come from the store's own listing, so they are safe paths: skip the checks
        try:
            with open(os.path.join(str(self.root), key), "rb") as handle:
                data: bytes = handle.read()
                return data
        except FileNotFoundError:
            return None
        except OSError:
            return self.store.get(key)  # let the store translate the error

    def read(self, keys: Sequence[str]) -> list[bytes | None]:
        get = self._get_local if self.root is not None else self._get
        if self.pool is None:
            return [get(k) for k in keys]
        return list(self.pool.map(get, keys))

    def stream(
        self, batches: Iterator[list[str]]
    ) -> Iterator[tuple[list[str], list[bytes | None]]]:
        """Batches of (keys, bodies), the next batch read by a helper thread while the caller
        works on this one (file and socket reads release the GIL, so the two overlap)."""
        batch = next(batches, None)
        if batch is None:
            return
        with ThreadPoolExecutor(1, thread_name_prefix="tglake-read-ahead") as ahead:
            pending = ahead.submit(self.read, batch)
            while batch is not None:
                bodies = pending.result()
                following = next(batches, None)
                if following is not None:
                    pending = ahead.submit(self.read, following)
                yield batch, bodies
                batch = following

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


INT64 = range(-(2**63), 2**63)


def _parse(body: bytes | None) -> dict[str, Any] | str:
    """The update, or the reason it is rejected."""
    if body is None:
        return "object vanished while the day was read"
    try:
        update = parse_update(body)
    except InvalidUpdateError as exc:
        return str(exc)
    if update["update_id"] not in INT64:
        return "update_id is outside the 64-bit integer range"
    return update


def _name_ids(keys: Iterator[str]) -> array[int]:
    """The update ids named by the keys, sorted, 8 bytes each (a million-key day: 8 MB)."""
    ids = (p.update_id for p in map(layout.parse_raw_key, keys) if p is not None)
    return array("q", sorted(i for i in ids if i in INT64))


def _in(sorted_ids: array[int], value: int) -> bool:
    at = bisect.bisect_left(sorted_ids, value)
    return at < len(sorted_ids) and sorted_ids[at] == value


def _kind_label(update: dict[str, Any]) -> str:
    kind = telegram.update_kind(update)
    if kind != telegram.UNKNOWN_KIND:
        return kind
    return next((k for k in update if k != "update_id"), "empty")


def _previous_day_payloads(
    raw: ObjectStore, reader: _Reader, source: str, day: dt.date, ids_today: array[int]
) -> list[tuple[int, str]]:
    """``(update_id, hash)`` of yesterday's objects that may be redelivered today: those whose
    name has an update_id seen today (plus any object with a name not made by ingest)."""
    keys = []
    for key in Listing(
        raw, layout.partition_prefix(source, day - dt.timedelta(days=1))
    ).full_keys():
        parsed = layout.parse_raw_key(key)
        if parsed is None or _in(ids_today, parsed.update_id):
            keys.append(key)
    pairs = []
    for batch in _batches(keys, BATCH_SIZE):
        for body in reader.read(batch):
            update = _parse(body)
            if body is not None and isinstance(update, dict):
                pairs.append((update["update_id"], layout.content_hash(body)))
    return pairs


@dataclasses.dataclass
class _Tally:
    updates_read: int = 0
    duplicates: int = 0
    conflicts: int = 0
    unknown: Counter[str] = dataclasses.field(default_factory=Counter)
    rejects: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def _flatten_update(
    update: dict[str, Any],
    kind: str,
    payload_hash: str,
    specs: Sequence[flatten.TableSpec],
    ctx: Any,
) -> dict[str, list[flatten.Row]]:
    out: dict[str, list[flatten.Row]] = {}
    for spec in specs:
        if spec.kinds and kind not in spec.kinds:
            rows = []  # the spec says it has nothing to take from this kind
        elif spec.parent is None:
            rows = spec.extract(update, ctx)
        else:
            rows = [r for parent in out.get(spec.parent, []) for r in spec.extract(parent, ctx)]
        for row in rows:
            row["payload_hash"] = payload_hash
        out[spec.name] = rows
    return out


def _process_source(
    source: str,
    listing: Listing,
    specs: Sequence[flatten.TableSpec],
    files: dict[str, partition.TableFile],
    *,
    raw: ObjectStore,
    reader: _Reader,
    day: dt.date,
    ctx: flatten.Context,
    tally: _Tally,
    batch_size: int,
) -> None:
    today = _name_ids(listing.full_keys())
    seen = transform.Seen(_previous_day_payloads(raw, reader, source, day, today))
    del today
    flattened = flatten.flattened_kinds(tuple(specs))
    for batch, bodies in reader.stream(listing.batches(batch_size)):
        pending: dict[str, list[flatten.Row]] = {spec.name: [] for spec in specs}
        for key, body in zip(batch, bodies, strict=True):
            update = _parse(body)
            if isinstance(update, str) or body is None:
                tally.rejects.append((key, str(update)))
                continue
            tally.updates_read += 1
            payload_hash = layout.content_hash(body)
            verdict = seen.add(update["update_id"], payload_hash)
            if verdict == "duplicate":
                tally.duplicates += 1
                continue
            tally.conflicts += verdict == "conflict"
            label = _kind_label(update)
            if flattened and label not in flattened:
                tally.unknown[label] += 1
            try:
                rows = _flatten_update(update, label, payload_hash, specs, ctx)
            except Exception as exc:  # a bug in one extractor must not cost the whole day
                log.exception("flatten failed for %s", key)
                tally.rejects.append((key, f"flatten failed: {type(exc).__name__}"))
                continue
            for name, table_rows in rows.items():
                pending[name].extend(table_rows)
        for name, table_rows in pending.items():
            files[name].write(table_rows)


def run_day(
    day: dt.date,
    *,
    settings: Settings,
    raw: ObjectStore,
    enriched: ObjectStore,
    keep_names: bool = False,
    tables: Sequence[flatten.TableSpec] = flatten.TABLES,
    read_workers: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> DayReport:
    """Rebuild one day's enriched partitions from its raw partitions (see the module doc)."""
    started = time.perf_counter()
    ctx = flatten.Context(
        user_key=pseudonym.Pseudonymizer(pseudonym.load_or_create_key(settings)),
        keep_names=keep_names,
    )
    sources = list(dict.fromkeys(spec.source for spec in tables))
    listings = {s: Listing(raw, layout.partition_prefix(s, day)) for s in sources}
    tally = _Tally()
    if not listings[layout.RAW_SOURCE]:
        log.info("etl day=%s raw partition empty: nothing written", day)
        return DayReport(day, 0, {}, 0, 0, {}, [], time.perf_counter() - started, written=False)
    reader = _Reader(raw, read_workers)
    try:
        with tempfile.TemporaryDirectory(prefix="tglake-etl-") as folder:
            files = {s.name: partition.TableFile(Path(folder), s.name, s.schema) for s in tables}
            for source in sources:
                specs = [s for s in tables if s.source == source]
                _process_source(
                    source, listings[source], specs, files,
                    raw=raw, reader=reader, day=day, ctx=ctx, tally=tally, batch_size=batch_size,
                )  # fmt: skip
            for name, table_file in files.items():
                partition.swap_partition(enriched, name, day, table_file.close())
    finally:
        reader.close()
    partition.write_rejects(enriched, day, tally.rejects)
    rows = {name: f.rows for name, f in files.items()}
    all_keys = (k for source in sources for k in listings[source].full_keys())
    enriched.put(partition.manifest_key(day), partition.manifest(all_keys, rows))
    report = DayReport(
        day=day,
        updates_read=tally.updates_read,
        rows=rows,
        duplicates_dropped=tally.duplicates,
        conflicts_kept=tally.conflicts,
        unknown_kinds=dict(sorted(tally.unknown.items())),
        rejects=sorted(tally.rejects),
        seconds=time.perf_counter() - started,
    )
    log.info(
        "etl day=%s updates=%d rows=%s duplicates=%d conflicts=%d rejects=%d seconds=%.2f",
        day, report.updates_read, rows, report.duplicates_dropped, report.conflicts_kept,
        len(report.rejects), report.seconds,
    )  # fmt: skip
    return report


def run_days(
    days: list[dt.date],
    *,
    settings: Settings,
    raw: ObjectStore,
    enriched: ObjectStore,
    keep_names: bool = False,
    progress: Callable[[DayReport], None] | None = None,
) -> list[DayReport]:
    """Run :func:`run_day` for each day in order; ``progress`` is called after each one."""
    reports = []
    for day in days:
        report = run_day(day, settings=settings, raw=raw, enriched=enriched, keep_names=keep_names)
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports


def yesterday(now: dt.datetime, settings: Settings) -> dt.date:
    """The last finished day in ``TGLAKE_TIMEZONE`` (``now`` must be aware)."""
    return layout.context_date(now, settings.tz) - dt.timedelta(days=1)


def pending_days(
    raw: ObjectStore, enriched: ObjectStore, today: dt.date, *, window: int = 7
) -> list[dt.date]:
    """Finished days (of the last ``window``) whose raw partition changed since their enriched
    partition was built: no manifest yet, or a manifest built from other raw keys."""
    days = []
    for back in range(window, 0, -1):
        day = today - dt.timedelta(days=back)
        keys = [
            k
            for source in dict.fromkeys(s.source for s in flatten.TABLES)
            for k in raw.list(layout.partition_prefix(source, day))
        ]
        if not keys:
            continue
        built = partition.read_manifest(enriched, day)
        count, digest = partition.keys_digest(keys)
        if built is None or (built.get("raw_objects"), built.get("raw_digest")) != (count, digest):
            days.append(day)
    return days
