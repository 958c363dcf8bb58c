"""Approved aliases: the ways people write a candidate, party or bairro that the bot missed.

They are data, not code: one JSON document at ``<lake>/reference/bot/aliases.json`` (beside the
candidate overlay, through the same storage port, so a folder and S3 work alike), written by
``tglake bot alias add`` and ``tglake bot suggest --apply``. Every alias says who added it and
when. The bot matches an alias on :func:`alias_key`, the same folding its names go through
(case, accents and punctuation ignored), so ``Conjunto Santo Ângelo!`` and ``conjunto santo
angelo`` are one alias.

A running bot (``serve``, ``poll``, the Lambda) holds an :class:`AliasBook`: it reads the
document at start and at most every ``interval`` seconds after (one small GET; a changed
document takes effect without a restart). Writes are read-modify-write of that one object: two
operators adding aliases at the same second may lose one (it is an operator's tool, not a
per-message path).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal

from tglake.candidates.catalog import CandidateData
from tglake.candidates.text import fold
from tglake.errors import ConfigError, ObjectNotFoundError, StorageError
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

ALIASES_KEY = "bot/aliases.json"
"""Key of the alias document in the reference zone (see :mod:`tglake.candidates.overlay`)."""
VERSION = 1
RELOAD_SECONDS = 30.0
"""How often a running bot looks at the document again (one GET of a few KiB)."""
MAX_TEXT = 100

AliasKind = Literal["candidate", "party", "bairro"]
KINDS: tuple[AliasKind, ...] = ("candidate", "party", "bairro")


def alias_key(text: str) -> str:
    """The normalised form an alias is matched on: :func:`~tglake.candidates.text.fold`."""
    return fold(text)


@dataclasses.dataclass(frozen=True)
class Alias:
    """``text`` (as first written) means ``target``: a ballot number, a party number, or a
    bairro's display name."""

    text: str
    kind: AliasKind
    target: str
    added_by: str
    added_at: str
    """UTC, ISO 8601 (seconds)."""
    source: str = "manual"
    """``manual`` (``tglake bot alias add``) or ``suggest`` (``tglake bot suggest --apply``)."""
    people: int | None = None
    """For a suggestion: how many people it would have helped when it was approved."""

    @property
    def key(self) -> str:
        return alias_key(self.text)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _alias_from(entry: Any) -> Alias | None:
    if not isinstance(entry, dict):
        return None
    try:
        alias = Alias(
            text=str(entry["text"]),
            kind=entry["kind"],
            target=str(entry["target"]),
            added_by=str(entry.get("added_by") or "?"),
            added_at=str(entry.get("added_at") or ""),
            source=str(entry.get("source") or "manual"),
            people=entry.get("people") if isinstance(entry.get("people"), int) else None,
        )
    except KeyError:
        return None
    return alias if alias.kind in KINDS and alias.key else None


def parse(body: bytes) -> list[Alias]:
    """The aliases of a stored document (entries that do not read are skipped and logged)."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise ConfigError(f"{ALIASES_KEY} is not valid JSON: {exc}") from exc
    entries = document.get("aliases") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{ALIASES_KEY} has no 'aliases' list")
    aliases = [a for a in map(_alias_from, entries) if a is not None]
    if len(aliases) != len(entries):
        log.warning("aliases skipped=%d (malformed entries)", len(entries) - len(aliases))
    return aliases


def dumps(aliases: Iterable[Alias]) -> bytes:
    ordered = sorted(aliases, key=lambda a: (a.added_at, a.key))
    document = {"version": VERSION, "aliases": [a.to_json() for a in ordered]}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def read_aliases(store: ObjectStore) -> list[Alias]:
    """Every stored alias (none when the document does not exist yet)."""
    try:
        return parse(store.get(ALIASES_KEY))
    except ObjectNotFoundError:
        return []


def resolve_target(data: CandidateData, kind: AliasKind, target: str) -> str:
    """The canonical target, checked against the candidate data (ConfigError when unknown)."""
    if kind == "candidate":
        if not target.strip().isdigit() or int(target) not in data.by_number:
            raise ConfigError(f"no candidate with ballot number {target!r}")
        return str(int(target))
    if kind == "party":
        if not target.strip().isdigit() or int(target) not in data.party_by_number:
            known = ", ".join(f"{p.number} {p.sigla}" for p in data.parties)
            raise ConfigError(f"no party numbered {target!r}; parties: {known}")
        return str(int(target))
    name = data.bairros.get(fold(target))
    if name is None:
        raise ConfigError(f"no bairro named {target!r} in the vote data")
    return name


def now_iso(clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> str:
    return clock().astimezone(dt.UTC).isoformat(timespec="seconds")


def add_aliases(store: ObjectStore, new: Iterable[Alias]) -> list[Alias]:
    """Store ``new`` aliases (one with a stored key replaces it); returns those written."""
    current = {a.key: a for a in read_aliases(store)}
    written = []
    for alias in new:
        if not alias.key:
            raise ConfigError("an alias needs at least one letter or digit")
        if len(alias.text) > MAX_TEXT:
            raise ConfigError(f"an alias is at most {MAX_TEXT} characters")
        current[alias.key] = alias
        written.append(alias)
    if written:
        store.put(ALIASES_KEY, dumps(current.values()))
    return written


def remove_alias(store: ObjectStore, text: str) -> Alias:
    """Remove the alias matching ``text`` (ConfigError when there is none)."""
    current = {a.key: a for a in read_aliases(store)}
    gone = current.pop(alias_key(text), None)
    if gone is None:
        raise ConfigError(f"no alias {text!r}; `tglake bot alias list` shows them")
    store.put(ALIASES_KEY, dumps(current.values()))
    return gone


@dataclasses.dataclass(frozen=True)
class AliasTable:
    """Aliases by :func:`alias_key`, ready for the bot."""

    by_key: dict[str, Alias]
    digest: str = ""

    def get(self, text: str) -> Alias | None:
        return self.by_key.get(alias_key(text)) if self.by_key else None

    @classmethod
    def of(cls, aliases: Iterable[Alias], digest: str = "") -> AliasTable:
        return cls({a.key: a for a in aliases}, digest)


EMPTY = AliasTable({})


class AliasBook:
    """The aliases a running bot uses: read at start, looked at again at most every
    ``interval`` seconds, replaced when the stored bytes changed. A failed read keeps the last
    good table (and is logged), so a storage hiccup never takes the bot's answers down."""

    def __init__(
        self,
        store: ObjectStore | None,
        *,
        interval: float = RELOAD_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._interval = interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._table = EMPTY
        self._checked: float | None = None
        self.loads = 0
        """How many times a changed document was loaded (for logs and tests)."""

    def table(self) -> AliasTable:
        if self._store is None:
            return EMPTY
        now = self._monotonic()
        if self._checked is not None and now - self._checked < self._interval:
            return self._table
        with self._lock:
            if self._checked is None or now - self._checked >= self._interval:
                self._checked = now
                self._reload(self._store)
        return self._table

    def _reload(self, store: ObjectStore) -> None:
        try:
            body = store.get(ALIASES_KEY)
        except ObjectNotFoundError:
            body = b""
        except StorageError as exc:
            log.warning("aliases not reloaded reason=%s", exc)
            return
        digest = hashlib.sha256(body).hexdigest()[:16]
        if digest == self._table.digest:
            return
        try:
            aliases = parse(body) if body else []
        except ConfigError as exc:
            log.warning("aliases not reloaded reason=%s", exc)
            return
        self._table = AliasTable.of(aliases, digest)
        self.loads += 1
        log.info("aliases loaded count=%d digest=%s", len(aliases), digest)
