"""``tglake expire``: remove raw days older than a retention period.

The raw zone keeps updates as Telegram sent them, names, usernames and phone numbers included;
the enriched zone keeps none of them. Once a day is in the enriched zone, its raw objects are
needed only to rebuild it (a new table, a fixed bug), so a retention period bounds how long
personal data is kept. Expired days stay in the enriched zone: the ETL never deletes an enriched
day whose raw partition is empty. Audit records (``_erasures/``) and the poller's offset stay.

Imported exports expire by the days they cover: each day slice with its day; the original file
as soon as one of its days is past retention (it holds that day's names and ids; the slices of
its recent days stay, so the ETL loses nothing); the manifest with its last slice; a day's
rebuild marker with its day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from tglake import jsonbytes, layout
from tglake.erasure.forget import SOURCES
from tglake.errors import ObjectNotFoundError
from tglake.storage import ObjectStore

DAY_SOURCES = (*SOURCES, layout.EXPORT_SOURCE, layout.EXPORT_REBUILD_PREFIX.rstrip("/"))
"""Raw prefixes partitioned by day: updates, bot events, rejected entries, export slices and the
markers of export days not yet rebuilt (an expired day has nothing left to rebuild from)."""


@dataclasses.dataclass
class ExpireReport:
    before: dt.date
    days: list[dt.date]
    objects: int
    dry_run: bool


def expire_raw(raw: ObjectStore, before: dt.date, *, dry_run: bool = False) -> ExpireReport:
    """Delete every raw object (updates, bot events, rejected entries) of a day before
    ``before``; with ``dry_run``, only count them."""
    days: set[dt.date] = set()
    objects = 0
    marker = f"/{layout.PARTITION}="
    for source in DAY_SOURCES:
        for key in list(raw.list(f"{source}/")):
            rest = key[len(source) :]
            if not rest.startswith(marker):
                continue
            try:
                day = dt.date.fromisoformat(rest[len(marker) :].split("/", 1)[0])
            except ValueError:
                continue
            if day >= before:
                continue
            days.add(day)
            objects += 1
            if not dry_run:
                raw.delete(key)
    gone = _expire_exports(raw, before, dry_run=dry_run)
    objects += len(gone)
    if not dry_run:  # a versioned bucket: expired means gone, old versions too
        for day in sorted(days):
            for source in DAY_SOURCES:
                raw.purge_history(layout.partition_prefix(source, day))
        for key in gone:
            raw.purge_history(key)
    return ExpireReport(before, sorted(days), objects, dry_run)


def _expire_exports(raw: ObjectStore, before: dt.date, *, dry_run: bool) -> list[str]:
    """Originals with a day past retention, and manifests whose every day is: deleted (or, with
    ``dry_run``, listed). A manifest kept for recent slices records that its file expired."""
    gone = []
    for key in list(raw.list(f"{layout.EXPORT_SOURCE}/manifests/")):
        digest = key.rsplit("/", 1)[1].removesuffix(".json")
        try:
            manifest = json.loads(raw.get(key))
            days = [dt.date.fromisoformat(d) for d in manifest.get("days", {})]
            file_key = layout.export_file_key(digest)
        except (ObjectNotFoundError, ValueError, AttributeError):
            continue
        if not days or min(days) >= before:
            continue
        if file_key in set(raw.list(file_key)):
            gone.append(file_key)
            if not dry_run:
                raw.delete(file_key)
        if max(days) < before:
            gone.append(key)
            if not dry_run:
                raw.delete(key)
        elif manifest.get("original_stored") and not dry_run:
            manifest |= {"original_stored": False, "original_expired": True}
            raw.put(key, jsonbytes.dumps(manifest, indent=1))
    return gone
