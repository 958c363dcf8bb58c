"""``tglake expire``: remove raw days older than a retention period.

The raw zone keeps updates as Telegram sent them, names, usernames and phone numbers included;
the enriched zone keeps none of them. Once a day is in the enriched zone, its raw objects are
needed only to rebuild it (a new table, a fixed bug), so a retention period bounds how long
personal data is kept. Expired days stay in the enriched zone: the ETL never deletes an enriched
day whose raw partition is empty. Audit records (``_erasures/``) and the poller's offset stay.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from tglake import layout
from tglake.erasure.forget import SOURCES
from tglake.storage import ObjectStore


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
    for source in SOURCES:
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
    purge = getattr(raw, "purge_history", None)
    if callable(purge) and not dry_run:  # a versioned bucket: expired means gone, old versions too
        for day in sorted(days):
            for source in SOURCES:
                purge(layout.partition_prefix(source, day))
    return ExpireReport(before, sorted(days), objects, dry_run)
