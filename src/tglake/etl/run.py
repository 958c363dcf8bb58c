"""One day of raw updates in, one enriched partition per table out, swapped in whole.

``run_day`` lists the day's raw objects, orders them by update_id (from the key name: a cheap
order that needs no read; the content still decides what each update *is*), and walks them in
batches: read (in parallel on S3), validate, deduplicate, flatten through the table registry
(:mod:`tglake.etl.flatten`), stream to Parquet. Memory holds a few batches plus, per object of
the day, its name and its ``(update_id, payload hash)`` pair (a few hundred bytes). A big local
day is flattened by worker processes, one per core (:mod:`tglake.etl.workers`); deduplication
stays here, in key order, so the output is the same whoever did the work.

Deduplication: the same payload twice is one row, even when the redelivery crossed midnight
into the next day's partition (the day before is looked at for the update_ids present today).
A different payload under a known update_id is kept and counted as a conflict.

An empty raw day writes nothing (and never deletes an enriched day: raw data may have been
expired on purpose); the report says it was empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tglake import lakestate, layout, pseudonym
from tglake.config import Settings
from tglake.etl import clean, export_flatten, flatten, publish, rawread, workers
from tglake.etl.tables import SPECS
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

BATCH_SIZE = 5_000


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
    exported: export_flatten.ExportDay = dataclasses.field(default_factory=export_flatten.ExportDay)
    """Rows from Telegram Desktop exports, and copies left out (:mod:`.export_flatten`)."""


def _previous_day_payloads(
    raw: ObjectStore, reader: rawread.Reader, source: str, day: dt.date, ids_today: array[int]
) -> list[tuple[int, str]]:
    """``(update_id, hash)`` of yesterday's objects that may be redelivered today: those whose
    name has an update_id seen today (plus any object with a name not made by ingest)."""
    before = rawread.Listing(raw, layout.partition_prefix(source, day - dt.timedelta(days=1)))
    keys = []
    for key in before.full_keys():
        parsed = layout.parse_raw_key(key)
        if parsed is None or rawread.contains(ids_today, parsed.update_id):
            keys.append(key)
    pairs = []
    for batch in rawread.batches_of(keys, BATCH_SIZE):
        for body in reader.read(batch):
            update = rawread.parse_raw(body)
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


Results = Iterator[tuple[list[str], workers.BatchResult]]


def _in_process(
    listing: rawread.Listing,
    reader: rawread.Reader,
    specs: Sequence[flatten.TableSpec],
    ctx: flatten.Context,
    batch_size: int,
) -> Results:
    for batch, bodies in reader.stream(listing.batches(batch_size)):
        yield batch, workers.flatten_batch(bodies, specs, ctx)


def _in_workers(
    listing: rawread.Listing,
    root: Path,
    specs: Sequence[flatten.TableSpec],
    ctx: flatten.Context,
    batch_size: int,
    processes: int,
) -> Results:
    """Batches flattened by worker processes, in order, with at most two per worker in flight
    (so neither keys nor results pile up in memory)."""
    context = multiprocessing.get_context("spawn")  # safe beside threads, same on every OS
    with ProcessPoolExecutor(
        processes,
        mp_context=context,
        initializer=workers.init_worker,
        initargs=(root, specs, ctx, os.getpid()),
    ) as pool:  # a worker that dies raises BrokenProcessPool here: never a silent hang
        in_flight: deque[tuple[list[str], Future[workers.BatchResult]]] = deque()
        for batch in listing.batches(batch_size):
            in_flight.append((batch, pool.submit(workers.work, batch)))
            if len(in_flight) >= 2 * processes:
                done, result = in_flight.popleft()
                yield done, result.result()
        while in_flight:
            done, result = in_flight.popleft()
            yield done, result.result()


def _keep(
    batch: list[str],
    result: workers.BatchResult,
    seen: clean.Seen,
    flattened: frozenset[str],
    tally: _Tally,
) -> list[int]:
    """Deduplicate one batch, in key order; the indexes of the objects whose rows are kept."""
    kept = []
    for index, pair in enumerate(result.pairs):
        if pair is None:
            continue
        tally.updates_read += 1
        verdict = seen.add(*pair)
        if verdict == "duplicate":
            tally.duplicates += 1
            continue
        tally.conflicts += verdict == "conflict"
        label = result.labels[index]
        if flattened and label not in flattened:
            tally.unknown[label] += 1
        kept.append(index)
    tally.rejects.extend((batch[index], reason) for index, reason in result.rejects)
    return kept


def _process_source(
    listing: rawread.Listing,
    results: Results,
    specs: Sequence[flatten.TableSpec],
    files: dict[str, publish.TableFile],
    *,
    previous: list[tuple[int, str]],
    today: array[int],
    tally: _Tally,
    on_batch: Callable[[int], None] | None = None,
) -> None:
    seen = clean.Seen(previous, expected_ids=today)
    flattened = flatten.flattened_kinds(tuple(specs))
    firsts: dict[str, set[tuple[Any, ...]]] = {s.name: set() for s in specs if s.unique}
    unique = {s.name: s.unique for s in specs}
    # the summary counts Telegram updates; the bot's own events only add rows and rejects
    counts = tally if specs[0].source == layout.RAW_SOURCE else _Tally(rejects=tally.rejects)
    for batch, result in results:
        kept = _keep(batch, result, seen, flattened, counts)
        everything = len(kept) == len(result.pairs)
        keep_mask = pa.array(kept, pa.int32())
        for name, table in result.tables.items():
            if not everything:
                table = table.filter(pc.is_in(table[workers.ROW_OF], value_set=keep_mask))
            if name in firsts:
                table = _first_rows(table, unique[name], firsts[name])
            files[name].write_table(table.drop_columns([workers.ROW_OF]))
        if on_batch is not None:
            on_batch(len(batch))


def _first_rows(table: pa.Table, columns: tuple[str, ...], seen: set[tuple[Any, ...]]) -> pa.Table:
    """The rows of ``table`` whose key (``columns``) was not seen before; adds them to ``seen``."""
    mask = []
    for key in zip(*(table[c].to_pylist() for c in columns), strict=True):
        mask.append(key[0] is None or key not in seen)
        seen.add(key)
    return table if all(mask) else table.filter(pa.array(mask, pa.bool_()))


def _processes(raw: ObjectStore, listing: rawread.Listing, batch_size: int, tables: Any) -> int:
    """Worker processes for a source: one per core (up to 4) for a big local day of the
    built-in tables; otherwise the work stays in this process."""
    big = len(listing) >= 4 * batch_size
    if raw.local_root is not None and big and tables is SPECS and _spawn_works():
        return max(1, min(4, os.cpu_count() or 1))
    return 1


def _spawn_works() -> bool:
    """A spawned worker re-imports ``__main__`` from its file: impossible for ``python -`` or
    ``python -c``, where the work stays in this process."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or os.path.isfile(main_file)


def run_day(
    day: dt.date,
    *,
    settings: Settings,
    raw: ObjectStore,
    enriched: ObjectStore,
    tables: Sequence[flatten.TableSpec] = SPECS,
    read_workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    processes: int | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> DayReport:
    """Rebuild one day's enriched partitions from its raw partitions (see the module doc).

    ``read_workers``: parallel reads (default 64 on S3, 1 on a folder); ``processes``: worker
    processes that flatten a local day (default: one per core for a big day, else none);
    ``on_batch(done, total)``: called after each batch with the raw objects of the day done so
    far and in all (so a progress bar moves within a big day).

    Every option comes from ``settings``; the lake adds its own (:mod:`tglake.lakestate`): a lake
    built with names kept keeps them, and a key that is not the lake's is refused."""
    started = time.perf_counter()
    key = pseudonym.load_or_create_key(settings)
    settings = lakestate.for_run(settings, enriched, key)
    ctx = flatten.Context(user_key=pseudonym.Pseudonymizer(key), keep_names=settings.keep_names)
    sources = list(dict.fromkeys(spec.source for spec in tables))
    listings = {s: rawread.Listing(raw, layout.partition_prefix(s, day)) for s in sources}
    tally = _Tally()
    has_export = bool(export_flatten.committed_slices(raw, day))
    if not listings[layout.RAW_SOURCE] and not has_export:
        log.info("etl day=%s raw partition empty: nothing written", day)
        return DayReport(day, 0, {}, 0, 0, {}, [], time.perf_counter() - started, written=False)
    reader = rawread.Reader(raw, read_workers)
    total, done = sum(len(listing) for listing in listings.values()), 0

    def batch_done(size: int) -> None:
        nonlocal done
        done += size
        if on_batch is not None:
            on_batch(done, total)

    try:
        with tempfile.TemporaryDirectory(prefix="tglake-etl-") as folder:
            files = {s.name: publish.TableFile(Path(folder), s.name, s.schema) for s in tables}
            for source in sources:
                specs = [s for s in tables if s.source == source]
                listing = listings[source]
                today = listing.name_ids()
                previous = _previous_day_payloads(raw, reader, source, day, today)
                workers = processes or _processes(raw, listing, batch_size, tables)
                if workers > 1 and raw.local_root is not None:
                    results = _in_workers(listing, raw.local_root, specs, ctx, batch_size, workers)
                else:
                    results = _in_process(listing, reader, specs, ctx, batch_size)
                _process_source(
                    listing, results, specs, files, previous=previous, today=today, tally=tally,
                    on_batch=batch_done,
                )  # fmt: skip
                del today  # the next source lists its own
            exported = export_flatten.write_day(
                raw, reader, day, ctx, files, tables, default_tz=settings.tz
            )
            tally.rejects.extend(exported.rejects)
            for name, table_file in files.items():
                publish.swap_partition(enriched, name, day, table_file.close())
    finally:
        reader.close()
    publish.write_rejects(enriched, day, tally.rejects)
    rows = {name: f.rows for name, f in files.items()}
    all_keys = itertools.chain(
        (k for source in sources for k in listings[source].full_keys()),
        export_flatten.day_inputs(raw, day) if has_export else (),
    )
    enriched.put(publish.manifest_key(day), publish.manifest(all_keys, rows))
    if has_export:
        export_flatten.clear_rebuilt(raw, day)  # only now do the tables hold its exports
    report = DayReport(
        day=day,
        updates_read=tally.updates_read,
        rows=rows,
        duplicates_dropped=tally.duplicates,
        conflicts_kept=tally.conflicts,
        unknown_kinds=dict(sorted(tally.unknown.items())),
        rejects=sorted(tally.rejects),
        seconds=time.perf_counter() - started,
        exported=exported,
    )
    log.info(
        "etl %s: %d updates → %s; %d duplicates, %d conflicts, %d rejects in %.2f s",
        day, report.updates_read, ", ".join(f"{name} {n}" for name, n in rows.items()),
        report.duplicates_dropped, report.conflicts_kept, len(report.rejects), report.seconds,
    )  # fmt: skip
    return report


def run_days(
    days: list[dt.date],
    *,
    settings: Settings,
    raw: ObjectStore,
    enriched: ObjectStore,
    progress: Callable[[DayReport], None] | None = None,
    on_batch: Callable[[dt.date, int, int], None] | None = None,
) -> list[DayReport]:
    """Run :func:`run_day` for each day in order; ``progress`` is called after each one,
    ``on_batch(day, done, total)`` after each batch of raw objects within a day."""
    reports = []
    for day in days:
        report = run_day(
            day,
            settings=settings,
            raw=raw,
            enriched=enriched,
            on_batch=None if on_batch is None else _for_day(on_batch, day),
        )
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports


def _for_day(
    on_batch: Callable[[dt.date, int, int], None], day: dt.date
) -> Callable[[int, int], None]:
    return lambda done, total: on_batch(day, done, total)


def yesterday(now: dt.datetime, settings: Settings) -> dt.date:
    """The last finished day in ``TGLAKE_TIMEZONE`` (``now`` must be aware)."""
    return layout.context_date(now, settings.tz) - dt.timedelta(days=1)


PENDING_WINDOW = 7
"""How many finished days the catch-up looks back (the scheduler and ``tglake etl --pending``)."""


def pending_days(
    raw: ObjectStore, enriched: ObjectStore, today: dt.date, *, window: int = PENDING_WINDOW
) -> list[dt.date]:
    """Finished days (of the last ``window``) whose raw partition changed since their enriched
    partition was built: no manifest yet, or a manifest built from other raw keys; and, of any
    age, the days an export import has not finished rebuilding (its markers)."""
    owed = set(export_flatten.days_to_rebuild(raw))
    days = sorted(d for d in owed if d < today - dt.timedelta(days=window))
    for back in range(window, 0, -1):
        day = today - dt.timedelta(days=back)
        keys = [
            k
            for source in dict.fromkeys(s.source for s in SPECS)
            for k in raw.list(layout.partition_prefix(source, day))
        ]
        keys += export_flatten.day_inputs(raw, day)
        if not keys:
            continue
        built = publish.read_manifest(enriched, day)
        count, digest = publish.keys_digest(keys)
        made_from = None if built is None else (built.get("raw_objects"), built.get("raw_digest"))
        stale = made_from != (count, digest)
        if day in owed or stale:
            days.append(day)
    return days
