"""Reading a raw partition: its listing in update_id order, its objects in batches.

Kept apart from :mod:`tglake.etl.run` so the ETL's worker processes import only what they need.
A listing holds object *names* without their common prefix (a million-object day costs tens of
MB, not hundreds), and full keys exist one batch at a time.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

try:
    import orjson
except ImportError:  # the ETL Lambda ships without it (native code): parse_update decides all
    orjson = None  # type: ignore[assignment]

from tglake import layout
from tglake.errors import InvalidUpdateError
from tglake.storage import ObjectStore
from tglake.telegram import INT64_MAX, INT64_MIN, parse_update

S3_READ_WORKERS = 64
INT64 = range(-(2**63), 2**63)


def batches_of(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Listing:
    """A raw partition's object names (without the common prefix, to save memory), in the
    order the ETL reads them: by the update_id in the name, then by name; names that ingest did
    not make come last. The order is a cheap guess that needs no read; content decides."""

    def __init__(self, store: ObjectStore, prefix: str) -> None:
        self.prefix = prefix
        # a name ingest made under a raw prefix is "<digits>.json": read its id without the
        # full-key regex (the same answer, a tenth of the time over a million names)
        self._plain_ids = layout.parse_raw_key(prefix + "0.json") is not None
        names = store.list_names(prefix)
        names.sort()
        names.sort(key=self._order)
        self.names = names

    def _id(self, name: str) -> int | None:
        stem = name[:-5]
        if self._plain_ids and name.endswith(".json") and stem.isascii() and stem.isdigit():
            return int(stem)
        parsed = layout.parse_raw_key(self.prefix + name)
        return parsed.update_id if parsed is not None else None

    def _order(self, name: str) -> int:
        found = self._id(name)
        return found if found is not None else 2**70

    def name_ids(self) -> array[int]:
        """Like :func:`name_ids` over :meth:`full_keys`."""
        ids = (i for i in map(self._id, self.names) if i is not None)
        return array("q", sorted(i for i in ids if i in INT64))

    def __len__(self) -> int:
        return len(self.names)

    def full_keys(self) -> Iterator[str]:
        return (self.prefix + name for name in self.names)

    def batches(self, size: int) -> Iterator[list[str]]:
        """Full keys, one batch at a time (never the whole day's keys at once)."""
        return ([self.prefix + n for n in chunk] for chunk in batches_of(self.names, size))


class Reader:
    """Reads raw objects, with parallel threads when the store is remote (each runs the store's
    ``get_many`` on a share of the batch); a vanished key reads as None."""

    def __init__(self, store: ObjectStore, workers: int | None) -> None:
        if workers is None:
            workers = 1 if store.local_root is not None else S3_READ_WORKERS
        self.store = store
        self.workers = workers
        self.pool = ThreadPoolExecutor(workers) if workers > 1 else None

    def read(self, keys: Sequence[str]) -> list[bytes | None]:
        if self.pool is None:
            return self.store.get_many(keys)
        # small shares, so a slow request holds up only a few keys behind it
        share = max(1, len(keys) // (4 * self.workers))
        bodies: list[bytes | None] = []
        for part in self.pool.map(self.store.get_many, batches_of(keys, share)):
            bodies.extend(part)
        return bodies

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


_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
"""``bytes.translate`` table: every ASCII digit becomes ``0``, every other byte a space."""
_LONG_DIGIT_RUN = b"0" * 19
"""19 digits in a row: the shortest integer literal that may lie outside 64 bits."""


def _fast_parse(body: bytes) -> dict[str, Any] | None:
    """orjson's reading of ``body`` when it is certainly the update :func:`parse_update` (the
    standard library's ``json``) gives; None when only ``parse_update`` can tell.

    orjson is a strict subset of ``json``: whatever it refuses (NaN, Infinity, lone surrogates,
    a byte-order mark, UTF-16, nesting past 1024) goes to ``parse_update``, which keeps or
    rejects it as before. Where both accept a body they give equal values, with one exception:
    an integer literal outside 64 bits becomes a float in orjson and stays an int in ``json``,
    so a body with 19 digits in a row anywhere (a cheap, conservative test) goes there too."""
    if orjson is None:
        return None
    try:
        update = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(update) is not dict:
        return None
    update_id = update.get("update_id")
    if type(update_id) is not int or not INT64_MIN <= update_id <= INT64_MAX:
        return None
    if _LONG_DIGIT_RUN in body.translate(_DIGITS_ONLY):
        return None
    return update


def parse_raw(body: bytes | None) -> dict[str, Any] | str:
    """The update, or the reason it is rejected (parsed by orjson where that is certainly the
    same as :func:`tglake.telegram.parse_update`, which decides every other body)."""
    if body is None:
        return "object vanished while the day was read"
    update = _fast_parse(body)
    if update is not None:
        return update
    try:
        update = parse_update(body)
    except InvalidUpdateError as exc:
        return str(exc)
    return update


def name_ids(keys: Iterator[str]) -> array[int]:
    """The update ids named by the keys, sorted, 8 bytes each (a million-key day: 8 MB)."""
    ids = (p.update_id for p in map(layout.parse_raw_key, keys) if p is not None)
    return array("q", sorted(i for i in ids if i in INT64))


def contains(sorted_ids: array[int], value: int) -> bool:
    at = bisect.bisect_left(sorted_ids, value)
    return at < len(sorted_ids) and sorted_ids[at] == value
