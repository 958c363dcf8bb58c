"""Key naming of the raw and enriched zones: the one place that knows the layout.

Raw:      ``telegram/context_date=YYYY-MM-DD/<update_id>.json`` (``<update_id>-<hash12>.json``
          for a different payload that reused a stored update_id), ``bot/context_date=…/…``
Enriched: ``telegram/<table>/context_date=YYYY-MM-DD/<file>.parquet``

Poller: ``_state/getupdates-offset.json`` (the next getUpdates offset) and
``_rejected/getupdates/context_date=YYYY-MM-DD/<hash12>.json`` (a malformed entry of a
getUpdates batch, kept for inspection); both sit outside the ``telegram/`` prefix the ETL reads.

Keys are built only from integers, dates and fixed words, so no input can steer a path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

RAW_SOURCE = "telegram"
BOT_SOURCE = "bot"
ENRICHED_SOURCE = "telegram"
PARTITION = "context_date"
HASH_CHARS = 12
POLL_OFFSET_KEY = "_state/getupdates-offset.json"
"""Where ``tglake poll`` keeps the offset of the next getUpdates call, in the raw zone."""
POLL_REJECTED_SOURCE = "_rejected/getupdates"
"""Prefix of getUpdates entries that are not valid updates, kept for inspection."""
EXPORT_SOURCE = "export"
"""Telegram Desktop exports: ``export/files/<sha256>.json`` (the file, byte for byte),
``export/manifests/<sha256>.json`` (what it held; written last, so it marks a finished import) and
``export/context_date=YYYY-MM-DD/<sha256>.jsonl`` (its messages of that day, one per line)."""

_RAW_KEY = re.compile(
    r"^(?P<source>telegram|bot)/context_date=(?P<date>\d{4}-\d{2}-\d{2})/"
    r"(?P<update_id>-?\d+)(?:-(?P<hash>[0-9a-f]{12}))?\.json$"
)


def context_date(received_at: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The day, in ``tz``, on which an update was received (``received_at`` must be aware)."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    return received_at.astimezone(tz).date()


def content_hash(body: bytes) -> str:
    """Short content hash used to tell apart payloads that share an update_id."""
    return hashlib.sha256(body).hexdigest()[:HASH_CHARS]


def partition_prefix(source: str, day: dt.date) -> str:
    """``<source>/context_date=YYYY-MM-DD/``: the raw prefix of one day."""
    return f"{source}/{PARTITION}={day.isoformat()}/"


def raw_key(
    day: dt.date, update_id: int, body_hash: str | None = None, *, source: str = RAW_SOURCE
) -> str:
    """Raw key of an update; ``body_hash`` names the sibling of a conflicting payload."""
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise TypeError("update_id must be an int")
    suffix = f"-{body_hash}" if body_hash else ""
    if body_hash and not re.fullmatch(r"[0-9a-f]{12}", body_hash):
        raise ValueError("body_hash must be 12 lowercase hex characters")
    return f"{partition_prefix(source, day)}{update_id}{suffix}.json"


@dataclasses.dataclass(frozen=True)
class RawKey:
    source: str
    day: dt.date
    update_id: int
    body_hash: str | None


def parse_raw_key(key: str) -> RawKey | None:
    """Inverse of :func:`raw_key`; None for anything that is not a raw update key."""
    match = _RAW_KEY.match(key)
    if not match:
        return None
    return RawKey(
        source=match["source"],
        day=dt.date.fromisoformat(match["date"]),
        update_id=int(match["update_id"]),
        body_hash=match["hash"],
    )


def enriched_partition(table: str, day: dt.date) -> str:
    """``telegram/<table>/context_date=YYYY-MM-DD/``."""
    if not re.fullmatch(r"[a-z_]+", table):
        raise ValueError(f"bad table name {table!r}")
    return f"{ENRICHED_SOURCE}/{table}/{PARTITION}={day.isoformat()}/"


def enriched_table_prefix(table: str) -> str:
    return f"{ENRICHED_SOURCE}/{table}/"


def day_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last`` inclusive."""
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def poll_rejected_key(day: dt.date, body_hash: str) -> str:
    """Raw key of a malformed getUpdates entry: named by content, so a redelivery is a no-op."""
    if not re.fullmatch(r"[0-9a-f]{12}", body_hash):
        raise ValueError("body_hash must be 12 lowercase hex characters")
    return f"{partition_prefix(POLL_REJECTED_SOURCE, day)}{body_hash}.json"


def _sha256(digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError("digest must be 64 lowercase hex characters")
    return digest


def export_file_key(digest: str) -> str:
    """Raw key of an imported export file, named by its SHA-256."""
    return f"{EXPORT_SOURCE}/files/{_sha256(digest)}.json"


def export_manifest_key(digest: str) -> str:
    return f"{EXPORT_SOURCE}/manifests/{_sha256(digest)}.json"


def export_slice_key(day: dt.date, digest: str) -> str:
    """Raw key of one day's messages of an export (JSON lines)."""
    return f"{partition_prefix(EXPORT_SOURCE, day)}{_sha256(digest)}.jsonl"


def parse_export_slice_key(key: str) -> tuple[dt.date, str] | None:
    match = re.fullmatch(
        rf"{EXPORT_SOURCE}/{PARTITION}=(\d{{4}}-\d{{2}}-\d{{2}})/([0-9a-f]{{64}})\.jsonl", key
    )
    return (dt.date.fromisoformat(match[1]), match[2]) if match else None


EXPORT_REBUILD_PREFIX = f"{EXPORT_SOURCE}/rebuild/"
"""``export/rebuild/context_date=D/<sha256>``: a day whose tables do not yet hold that export.
Written before the import's manifest, removed by the ETL run that rebuilds the day, so a rebuild
cut short (``kill -9``) is finished by the next import of the file or ``tglake etl --pending``."""


def export_rebuild_key(day: dt.date, digest: str) -> str:
    return f"{EXPORT_REBUILD_PREFIX}{PARTITION}={day.isoformat()}/{_sha256(digest)}"


def parse_export_rebuild_key(key: str) -> tuple[dt.date, str] | None:
    match = re.fullmatch(
        rf"{EXPORT_REBUILD_PREFIX}{PARTITION}=(\d{{4}}-\d{{2}}-\d{{2}})/([0-9a-f]{{64}})", key
    )
    return (dt.date.fromisoformat(match[1]), match[2]) if match else None
