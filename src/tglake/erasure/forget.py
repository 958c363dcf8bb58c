"""``tglake forget``: one person out of the lake, on a folder or on S3.

1. **Plan** (two reads of the raw zone): the first learns the person's usernames, names and
   phone numbers from every object holding their id; the second sorts each object: their own
   updates and the bot's events for them are deleted, other people's objects that quote them are
   rewritten (:mod:`tglake.erasure.redact`), everything else is left byte for byte. Imported
   exports (slices, files, manifests) follow the same rules (:mod:`tglake.erasure.exports`).
2. **Audit, then apply**: ``_erasures/<when>-<user_key prefix>.json`` is written with status
   ``started`` (when, how many objects, which days, the ``user_key``; never the Telegram id),
   then the raw objects change, then every day touched is rebuilt by the ETL (a day left with no
   raw update loses its enriched partitions), then the record says ``done``. A run that died
   half way is finished by the next one: it redoes the days of any ``started`` record.
3. **Enriched days without raw data** (the raw zone expired them): their rows with the person's
   ``user_key`` are filtered out of each table's file directly.
4. **Old versions**: on a store that keeps them (a versioned S3 bucket, as the SAM template's
   raw bucket), the noncurrent versions of every object deleted or rewritten, and of the
   rebuilt enriched partitions, are deleted too (``S3Store.purge_history``).
5. **Other per-person data**: every eraser of :func:`tglake.erasure.erasers.builtin_erasers`.

A rewritten raw object is no longer the body Telegram sent byte for byte (the raw zone's promise
for every other object): the law's right to erasure outranks the archive's exactness, and the
rewrite keeps the other person's own content. A second run finds nothing and changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from tglake import jsonbytes, layout, pseudonym
from tglake.config import Settings
from tglake.erasure import exports, redact, zones
from tglake.erasure.erasers import Conversations, EraseContext, Eraser, builtin_erasers
from tglake.errors import ObjectNotFoundError
from tglake.etl import rawread
from tglake.etl.run import run_day
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

ERASURES = "_erasures/"
"""Prefix of the audit records, in the raw zone (outside what the ETL reads)."""
SOURCES = (layout.RAW_SOURCE, layout.BOT_SOURCE, layout.POLL_REJECTED_SOURCE)
BATCH = 500


@dataclasses.dataclass
class ErasureReport:
    """What an erasure did (or, with ``dry_run``, would do)."""

    user_key: str
    dry_run: bool
    deleted: list[str] = dataclasses.field(default_factory=list)
    redacted: list[str] = dataclasses.field(default_factory=list)
    days: list[dt.date] = dataclasses.field(default_factory=list)
    """Days whose enriched partitions were rebuilt from the raw zone."""
    enriched_only_days: list[dt.date] = dataclasses.field(default_factory=list)
    """Days with no raw data left whose enriched rows of the person were filtered out."""
    erasers: dict[str, int] = dataclasses.field(default_factory=dict)
    audit_key: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.deleted or self.redacted or self.days or self.enriched_only_days) or any(
            self.erasers.values()
        )

    def record(self, now: dt.datetime, status: str) -> dict[str, Any]:
        """The audit record: counts, days and ``user_key`` only."""
        return {
            "version": 1,
            "status": status,
            "erased_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "user_key": self.user_key,
            "raw_objects_deleted": len(self.deleted),
            "raw_objects_redacted": len(self.redacted),
            "days_rebuilt": [d.isoformat() for d in self.days],
            "enriched_only_days": [d.isoformat() for d in self.enriched_only_days],
            "erasers": dict(sorted(self.erasers.items())),
        }


def _keys(raw: ObjectStore) -> list[str]:
    return [k for source in SOURCES for k in raw.list(f"{source}/")]


def _objects(raw: ObjectStore, reader: rawread.Reader) -> Iterator[tuple[str, Any]]:
    """(key, parsed JSON or None) for every object the erasure looks at."""
    keys = _keys(raw)
    for batch in rawread.batches_of(keys, BATCH):
        for key, body in zip(batch, reader.read(batch), strict=True):
            try:
                yield key, json.loads(body) if body is not None else None
            except (ValueError, RecursionError):
                yield key, None


def _usernames(value: Any, name: str, found: set[int]) -> None:
    if isinstance(value, list):
        for item in value:
            _usernames(item, name, found)
    elif isinstance(value, dict):
        username = value.get("username")
        if isinstance(username, str) and username.lower() == name:
            user_id = value.get("id")
            if isinstance(user_id, int) and not isinstance(user_id, bool):
                found.add(user_id)
        for child in value.values():
            _usernames(child, name, found)


def resolve_username(raw: ObjectStore, username: str) -> set[int]:
    """The user ids the raw zone knows under ``@username`` (case-insensitive)."""
    name = username.strip().lstrip("@").lower()
    found: set[int] = set()
    reader = rawread.Reader(raw, None)
    try:
        for key, value in _objects(raw, reader):
            if key.startswith(f"{layout.RAW_SOURCE}/"):
                _usernames(value, name, found)
    finally:
        reader.close()
    return found


@dataclasses.dataclass
class _Plan:
    deleted: list[str] = dataclasses.field(default_factory=list)
    rewrites: dict[str, bytes] = dataclasses.field(default_factory=dict)


def _plan(raw: ObjectStore, person: redact.Person) -> _Plan:
    reader = rawread.Reader(raw, None)
    plan = _Plan()
    own: set[tuple[dt.date, Any]] = set()
    try:
        for _, value in _objects(raw, reader):
            person.learn(value)
        exports.learn_all(raw, person)
        for key, value in _objects(raw, reader):
            parsed = layout.parse_raw_key(key)
            if not isinstance(value, dict):
                continue
            if key.startswith(f"{layout.BOT_SOURCE}/"):
                update_id = value.get("update_id")
                mine = parsed is not None and (parsed.day, update_id) in own
                if mine or redact.event_is_theirs(value, person):
                    plan.deleted.append(key)
                elif (event := redact.redact_event(value, person)) is not None:
                    plan.rewrites[key] = jsonbytes.dumps(event, sort_keys=True)
                continue
            if redact.is_own(value, person):
                plan.deleted.append(key)
                if parsed is not None:
                    own.add((parsed.day, value.get("update_id")))
            elif (update := redact.redact(value, person)) is not None:
                if key.startswith(f"{layout.POLL_REJECTED_SOURCE}/"):
                    plan.deleted.append(key)  # a malformed entry: not worth keeping a part of
                else:
                    plan.rewrites[key] = jsonbytes.dumps(update)
    finally:
        reader.close()
    exported = exports.plan(raw, person)
    plan.deleted += exported.deleted
    plan.rewrites |= exported.rewrites
    return plan


def _days(keys: list[str]) -> list[dt.date]:
    days = {p.day for p in map(layout.parse_raw_key, keys) if p is not None}
    days |= {p[0] for p in map(layout.parse_export_slice_key, keys) if p is not None}
    return sorted(days)


def _has_raw(raw: ObjectStore, day: dt.date) -> bool:
    """A day the ETL can rebuild: Bot API updates or an export's slice."""
    prefixes = (layout.RAW_SOURCE, layout.EXPORT_SOURCE)
    return any(any(raw.list(layout.partition_prefix(s, day))) for s in prefixes)


def _pending(raw: ObjectStore, user_key: str) -> dict[str, dict[str, Any]]:
    """Audit records of this person left ``started`` by a run that died: key → record."""
    pending = {}
    for key in raw.list(ERASURES):
        try:
            record = json.loads(raw.get(key))
        except (ObjectNotFoundError, ValueError):
            continue
        if record.get("user_key") == user_key and record.get("status") == "started":
            pending[key] = record
    return pending


def forget(
    *,
    settings: Settings,
    raw: ObjectStore,
    enriched: ObjectStore,
    user_id: int,
    open_store: Callable[[str], ObjectStore],
    dry_run: bool = False,
    erasers: dict[str, Eraser] | None = None,
    conversations: Conversations | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> ErasureReport:
    """Erase the person with Telegram id ``user_id`` (see the module doc). Days are rebuilt
    with ``settings`` and what the lake records (a lake that keeps names keeps them);
    ``conversations`` is the bot's context table, when it has one."""
    secret = pseudonym.load_key(settings) if dry_run else pseudonym.load_or_create_key(settings)
    if secret is None:  # a dry run on a local lake without a key yet: nothing holds a user_key
        pseudonym.refuse_a_new_key(settings)
    user_key = pseudonym.Pseudonymizer(secret)(user_id) if secret is not None else ""
    report = ErasureReport(user_key=user_key, dry_run=dry_run)
    person = redact.Person(ids=frozenset({user_id}))
    plan = _plan(raw, person)
    report.deleted, report.redacted = sorted(plan.deleted), sorted(plan.rewrites)
    pending = _pending(raw, user_key)
    days = set(_days([*plan.deleted, *plan.rewrites]))
    for record in pending.values():
        days.update(dt.date.fromisoformat(d) for d in record.get("days_rebuilt", []))
    report.days = sorted(days)
    started = now()
    stamp = started.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    audit_key = f"{ERASURES}{stamp}-{user_key[:16]}.json"
    if not dry_run and (plan.deleted or plan.rewrites or pending):
        raw.put(audit_key, jsonbytes.dumps(report.record(started, "started"), indent=1))
        report.audit_key = audit_key
        for key in plan.deleted:
            raw.delete(key)
        for key, body in plan.rewrites.items():
            raw.put(key, body)
        for day in report.days:
            if _has_raw(raw, day):
                run_day(day, settings=settings, raw=raw, enriched=enriched)
            else:
                zones.drop_enriched_day(enriched, day)
        zones.purge(raw, [*plan.deleted, *plan.rewrites])
    if user_key:
        report.enriched_only_days = zones.filter_enriched(
            raw, enriched, user_key, set(report.days), dry_run=dry_run
        )
    if not dry_run:
        zones.purge(enriched, zones.partitions([*report.days, *report.enriched_only_days]))
        # an expired raw day of a versioned bucket may still hold them in old versions
        zones.purge(
            raw, [layout.partition_prefix(s, d) for d in report.enriched_only_days for s in SOURCES]
        )
    context = EraseContext(settings, user_key, dry_run, open_store, conversations)
    for name, eraser in (builtin_erasers() if erasers is None else erasers).items():
        report.erasers[name] = eraser(context) if user_key else 0
    if report.changed and not dry_run:
        raw.put(audit_key, jsonbytes.dumps(report.record(started, "done"), indent=1))
        report.audit_key = audit_key
        for key, record in pending.items():  # their days were finished by this run
            finished = {**record, "status": "finished", "finished_by": audit_key}
            raw.put(key, jsonbytes.dumps(finished, indent=1))
    log.info(
        "forget user_key=%s deleted=%d redacted=%d days=%d enriched_only_days=%d dry_run=%s",
        user_key[:16], len(report.deleted), len(report.redacted), len(report.days),
        len(report.enriched_only_days), dry_run,
    )  # fmt: skip
    return report
