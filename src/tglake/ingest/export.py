"""``tglake import export``: a Telegram Desktop JSON export into the raw zone.

The file is read twice as a stream, never whole: once to hash it (SHA-256, its name in the lake),
once to parse it with ijson (yajl's C parser, one message object in memory at a time). Its
messages are spooled to local temporary files, one per day (in ``TGLAKE_TIMEZONE``, from
``date_unixtime``), and only after the whole file parsed cleanly does anything reach the lake:

1. ``export/context_date=D/<sha256>.jsonl``: the day's messages, one ``{"chat", "message"}``
   line each (the message object as exported; the chat's type, id and name);
2. ``export/files/<sha256>.json``: the file itself, byte for byte (only when every chat in it
   passed the allowlist: the allowlist's promise comes first);
3. ``export/rebuild/context_date=D/<sha256>``: one empty marker per day, "this day's tables do
   not hold this export yet"; the ETL run that rebuilds the day removes it, so a rebuild cut
   short (``kill -9``) is finished by importing the file again or by ``tglake etl --pending``;
4. ``export/manifests/<sha256>.json``: chats, message counts, first and last dates, days; it is
   written last, and the ETL reads only the slices of exports whose manifest exists, so an
   import cut short leaves nothing the ETL will use (and its slices are removed on a failure).

The file is walked with ijson's ``basic_parse`` and its nesting refused past :data:`MAX_DEPTH`
(one line, nothing stored), so memory stays linear in the file and no message is too deep to
serialise again.

The same file again finds its manifest and stores nothing. Key shapes are in
:mod:`tglake.layout`; the format in :mod:`tglake.tdexport`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import ijson

from tglake import layout, tdexport
from tglake.config import Settings
from tglake.errors import InvalidExportError, ObjectExistsError, ObjectNotFoundError, TglakeError
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
CHAT_PREFIXES = ("", "chats.list.item", "left_chats.list.item")
"""Where chats sit: the top level (single-chat export) or the lists of a full account export."""
SPOOL_BYTES = 8 * 2**20
"""Buffered slice lines before they are appended to their day's temporary file."""
SMALL_FILE = 32 * 2**20
"""Up to this size the original goes through ``put_if_absent``; above, a streamed upload."""
MAX_DEPTH = 64
"""Deepest nesting an export may have: tdesktop's deepest is 7 (``chats.list[].messages[]
.reactions[].recent[]``); past it the file is refused, before any object is built."""
PREFIX_DEPTH = 6
"""How deep a value's dotted prefix is kept (``left_chats.list.item.messages.item`` is 5)."""

Progress = Callable[[int], None]


@dataclasses.dataclass
class ChatSummary:
    """One chat of the export: what it held and what the import did with it."""

    export_type: str
    export_id: int | None
    chat_type: str | None
    chat_id: int | None
    """The Bot API chat id; None for a private chat, as in the enriched zone."""
    title: str | None
    messages: int = 0
    service_messages: int = 0
    first_date: str | None = None
    last_date: str | None = None
    skipped: str | None = None
    """Why the chat was left out (allowlist, unknown type), or None."""

    def count(self, message: dict[str, Any], seconds: int) -> None:
        if message.get("type") == "service":
            self.service_messages += 1
        else:
            self.messages += 1
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat().replace("+00:00", "Z")
        self.first_date = min(self.first_date or moment, moment)
        self.last_date = max(self.last_date or moment, moment)


@dataclasses.dataclass(frozen=True)
class ImportReport:
    digest: str
    source_name: str
    size: int
    kind: str
    """``single_chat`` or ``full_account``."""
    chats: list[ChatSummary]
    days: dict[str, int]
    """Messages kept per day (ISO date → count)."""
    undated: int
    local_dates: int
    """Messages placed by their local ``date`` (an export older than ``date_unixtime``)."""
    original_stored: bool
    already_imported: bool = False
    timezone: str | None = None
    """The zone local dates were read in (None when every message had ``date_unixtime``)."""
    to_rebuild: list[str] = dataclasses.field(default_factory=list)
    """Days (ISO) whose tables still lack this export: all of them right after the import, the
    ones a killed rebuild left when the same file is imported again."""

    @property
    def kept(self) -> int:
        return sum(self.days.values())

    def manifest(self) -> bytes:
        body = {
            "version": MANIFEST_VERSION,
            "sha256": self.digest,
            "source_name": self.source_name,
            "bytes": self.size,
            "kind": self.kind,
            "original_stored": self.original_stored,
            "chats": [dataclasses.asdict(c) for c in self.chats],
            "days": self.days,
            "messages_kept": self.kept,
            "undated_messages": self.undated,
            "local_dates": self.local_dates,
            "timezone": self.timezone,
        }
        return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode()


def find_export_file(path: Path) -> Path:
    """``result.json`` itself, or the folder that holds it; an HTML export is named as such."""
    if path.is_dir():
        candidate = path / "result.json"
        if candidate.is_file():
            return candidate
        if (path / "export_results.html").is_file() or (path / "messages.html").is_file():
            raise InvalidExportError(
                f"{path} holds an HTML export; export again with format 'Machine-readable JSON'"
            )
        raise InvalidExportError(f"{path} holds no result.json (not a Telegram Desktop export)")
    if not path.is_file():
        raise InvalidExportError(f"{path}: no such file or folder")
    return path


def file_digest(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(2**20):
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return digest.hexdigest()


class _Counting:
    """A binary reader that reports how many bytes were read (for the progress bar)."""

    def __init__(self, handle: IO[bytes], progress: Progress | None) -> None:
        self.handle = handle
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.progress is not None and data:
            self.progress(len(data))
        return data


def _first_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1]


def _events(path: Path, progress: Progress | None) -> Iterator[tuple[str, Any]]:
    first = _first_byte(path)
    if first == b"<":
        raise InvalidExportError(
            f"{path.name} is HTML; export again with format 'Machine-readable JSON'"
        )
    if first != b"{":
        raise InvalidExportError(f"{path.name} is not a JSON object: not a Telegram Desktop export")
    with path.open("rb") as handle:
        try:
            # basic_parse, not parse: parse builds each event's dotted prefix, which is as long
            # as the nesting is deep (a 200 kB file nested 100,000 levels took 23.9 GB)
            yield from ijson.basic_parse(_Counting(handle, progress), use_float=True)
        except ijson.JSONError as exc:
            reason = " ".join(str(exc).split("\n", 1)[0].split())  # yajl adds a caret diagram
            raise InvalidExportError(
                f"{path.name} is truncated or not valid JSON ({reason}); nothing was imported"
            ) from None


class _Spool:
    """Slice lines per day in local temporary files, with a bounded memory buffer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.buffer: dict[dt.date, list[bytes]] = {}
        self.buffered = 0
        self.counts: dict[dt.date, int] = {}

    def add(self, day: dt.date, line: bytes) -> None:
        self.buffer.setdefault(day, []).append(line)
        self.counts[day] = self.counts.get(day, 0) + 1
        self.buffered += len(line)
        if self.buffered >= SPOOL_BYTES:
            self.flush()

    def flush(self) -> None:
        for day, lines in self.buffer.items():
            with (self.folder / f"{day.isoformat()}.jsonl").open("ab") as handle:
                handle.writelines(lines)
        self.buffer.clear()
        self.buffered = 0

    def path(self, day: dt.date) -> Path:
        return self.folder / f"{day.isoformat()}.jsonl"


@dataclasses.dataclass
class _Parse:
    settings: Settings
    spool: _Spool
    chats: list[ChatSummary] = dataclasses.field(default_factory=list)
    timezone: ZoneInfo = dataclasses.field(default_factory=lambda: ZoneInfo("UTC"))
    """The exporting machine's zone: where a local ``date`` without ``date_unixtime`` is read."""
    kind: str = "single_chat"
    undated: int = 0
    local_dates: int = 0

    def open_chat(self, header: dict[str, Any]) -> ChatSummary:
        mapped = tdexport.bot_api_chat(header.get("type"), header.get("id"))
        export_type = str(header.get("type"))
        export_id = header.get("id") if isinstance(header.get("id"), int) else None
        if mapped is None:
            summary = ChatSummary(export_type, export_id, None, None, None, skipped="unknown type")
        else:
            chat_type, chat_id = mapped
            private = chat_type == "private"
            title = (
                header.get("name") if not private and isinstance(header.get("name"), str) else None
            )
            summary = ChatSummary(
                export_type, export_id, chat_type, None if private else chat_id, title
            )
            allowed = self.settings.allowed_chat_ids
            if allowed and chat_id not in allowed:
                summary.skipped = "allowlist"
        self.chats.append(summary)
        return summary

    def message(self, summary: ChatSummary, header: dict[str, Any], message: Any) -> None:
        if summary.skipped or not isinstance(message, dict):
            return
        item: dict[str, Any] = {"chat": {k: header.get(k) for k in ("type", "id", "name")}}
        seconds = tdexport.epoch_seconds(message)
        if seconds is None:
            seconds = tdexport.epoch_seconds(message, tz=self.timezone)
            if seconds is None:
                self.undated += 1  # e.g. {"id": 5, "type": "unsupported"}: nothing to place
                return
            self.local_dates += 1
            item["tz"] = self.timezone.key  # the ETL reads the local date in the same zone
        summary.count(message, seconds)
        day = layout.context_date(dt.datetime.fromtimestamp(seconds, dt.UTC), self.settings.tz)
        item["message"] = message
        line = json.dumps(item, ensure_ascii=False)
        self.spool.add(day, line.encode("utf-8", "surrogatepass") + b"\n")


def _prefixed(events: Iterator[tuple[str, Any]], name: str) -> Iterator[tuple[str, str, Any]]:
    """ijson.parse's ``(prefix, event, value)`` from basic_parse's events, with the prefix kept
    only down to :data:`PREFIX_DEPTH` (deeper values get ``"~"``: no chat field sits there) and
    the nesting refused past :data:`MAX_DEPTH`, so memory stays linear in the file."""
    stack: list[tuple[bool, str]] = []  # (is an array, prefix) of each open container
    key = ""
    for event, value in events:
        if event == "map_key":
            key = value
            yield (stack[-1][1] if stack else ""), event, value
            continue
        if event in ("end_map", "end_array"):
            prefix = stack.pop()[1]
            yield prefix, event, value
            continue
        if not stack:
            prefix = ""
        elif len(stack) > PREFIX_DEPTH:
            prefix = "~"
        else:
            parent = stack[-1][1]
            part = "item" if stack[-1][0] else key
            prefix = f"{parent}.{part}" if parent else part
        if event in ("start_map", "start_array"):
            if len(stack) >= MAX_DEPTH:
                raise InvalidExportError(
                    f"{name} is nested deeper than {MAX_DEPTH} levels (a Telegram Desktop export "
                    "is not); nothing was imported"
                )
            stack.append((event == "start_array", prefix))
        yield prefix, event, value


def _parse(path: Path, state: _Parse, progress: Progress | None) -> None:
    """Walk the parser's events: chat headers at the chat prefixes, each message object built
    whole (one at a time) and handed to ``state``."""
    headers: dict[str, dict[str, Any]] = {}
    current: dict[str, ChatSummary] = {}
    builder: ijson.ObjectBuilder | None = None
    depth = 0
    at = ""
    for prefix, event, value in _prefixed(_events(path, progress), path.name):
        if builder is not None:
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0:
                    state.message(current[at], headers[at], builder.value)
                    builder = None
            continue
        if event == "start_map" and (
            prefix == "messages.item" or prefix.endswith(".messages.item")
        ):
            at = prefix[: -len(".messages.item")] if prefix != "messages.item" else ""
            if at in current:
                builder, depth = ijson.ObjectBuilder(), 1
                builder.event(event, value)
            continue
        for chat_prefix in CHAT_PREFIXES:
            dotted = f"{chat_prefix}." if chat_prefix else ""
            if event == "start_map" and prefix == chat_prefix:
                headers[chat_prefix] = {}
                current.pop(chat_prefix, None)
            elif prefix in (f"{dotted}name", f"{dotted}type", f"{dotted}id") and event in (
                "string",
                "number",
                "null",
            ):
                headers.setdefault(chat_prefix, {})[prefix[len(dotted) :]] = value
            elif prefix == f"{dotted}messages" and event == "start_array":
                if chat_prefix:
                    state.kind = "full_account"
                current[chat_prefix] = state.open_chat(headers.get(chat_prefix, {}))
    if not state.chats:
        raise InvalidExportError(
            f"{path.name} holds no chat (a Telegram Desktop export has 'messages' or "
            "'chats.list'); nothing was imported"
        )


def _exists(store: ObjectStore, key: str) -> bool:
    return key in set(store.list(key))


def _put_new(store: ObjectStore, key: str, data: bytes) -> None:
    with contextlib.suppress(ObjectExistsError):  # left by an import of this file cut short
        store.put_if_absent(key, data)


def _store_original(raw: ObjectStore, key: str, path: Path, size: int) -> None:
    put_file = getattr(raw, "put_file", None)
    if size <= SMALL_FILE or not callable(put_file):
        _put_new(raw, key, path.read_bytes())
    elif not _exists(raw, key):
        put_file(key, path)  # streamed (multipart on S3); content-addressed, so a race is moot


def already_imported(raw: ObjectStore, digest: str) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(raw.get(layout.export_manifest_key(digest)))
    except ObjectNotFoundError:
        return None
    return data


def days_to_rebuild(raw: ObjectStore, digest: str | None = None) -> list[dt.date]:
    """Days whose tables do not yet hold an export (``digest``, or any): their rebuild markers."""
    days = set()
    for key in raw.list(layout.EXPORT_REBUILD_PREFIX):
        parsed = layout.parse_export_rebuild_key(key)
        if parsed is not None and (digest is None or parsed[1] == digest):
            days.add(parsed[0])
    return sorted(days)


def import_export(
    path: Path,
    *,
    settings: Settings,
    raw: ObjectStore,
    progress: Progress | None = None,
    timezone: ZoneInfo | None = None,
) -> ImportReport:
    """Store an export in the raw zone (see the module doc). ``progress`` gets byte counts:
    the file is read twice, so they add up to twice its size. ``timezone``: the exporting
    machine's zone, for messages without ``date_unixtime`` (default ``TGLAKE_TIMEZONE``)."""
    path = find_export_file(path)
    size = path.stat().st_size
    digest = file_digest(path, progress)
    found = already_imported(raw, digest)
    if found is not None:
        log.info("export sha256=%s already imported: nothing stored", digest)
        if progress is not None:
            progress(size)
        report = _report_from_manifest(found, digest, path.name, size)
        left = [d.isoformat() for d in days_to_rebuild(raw, digest)]
        return dataclasses.replace(report, to_rebuild=left)
    with tempfile.TemporaryDirectory(prefix="tglake-export-") as folder:
        state = _Parse(settings, _Spool(Path(folder)), timezone=timezone or settings.tz)
        _parse(path, state, progress)
        state.spool.flush()
        kept = [c for c in state.chats if not c.skipped]
        report = ImportReport(
            digest=digest,
            source_name=path.name,
            size=size,
            kind=state.kind,
            chats=state.chats,
            days={d.isoformat(): n for d, n in sorted(state.spool.counts.items())},
            undated=state.undated,
            local_dates=state.local_dates,
            original_stored=bool(kept) and len(kept) == len(state.chats),
            timezone=state.timezone.key if state.local_dates else None,
        )
        if not kept:
            log.info("export sha256=%s: every chat skipped, nothing stored", digest)
            return report
        written: list[str] = []
        try:
            for day in sorted(state.spool.counts):
                key = layout.export_slice_key(day, digest)
                _put_new(raw, key, state.spool.path(day).read_bytes())
                written.append(key)
            if report.original_stored:
                _store_original(raw, layout.export_file_key(digest), path, size)
            for day in sorted(state.spool.counts):  # before the manifest: the rebuild is owed
                key = layout.export_rebuild_key(day, digest)
                raw.put(key, b"")
                written.append(key)
            _put_new(raw, layout.export_manifest_key(digest), report.manifest())
        except TglakeError:
            for key in written:  # nothing half-imported: the slices go with the failure
                with contextlib.suppress(TglakeError):
                    raw.delete(key)
            raise
    log.info(
        "export sha256=%s imported chats=%d messages=%d days=%d",
        digest, len(kept), report.kept, len(report.days),
    )  # fmt: skip
    return dataclasses.replace(report, to_rebuild=list(report.days))


def _report_from_manifest(
    manifest: dict[str, Any], digest: str, name: str, size: int
) -> ImportReport:
    fields = {f.name for f in dataclasses.fields(ChatSummary)}
    chats = [ChatSummary(**{k: v for k, v in c.items() if k in fields}) for c in manifest["chats"]]
    return ImportReport(
        digest=digest,
        source_name=name,
        size=size,
        kind=str(manifest.get("kind")),
        chats=chats,
        days=dict(manifest.get("days", {})),
        undated=int(manifest.get("undated_messages", 0)),
        local_dates=int(manifest.get("local_dates", 0)),
        original_stored=bool(manifest.get("original_stored")),
        already_imported=True,
        timezone=manifest.get("timezone"),
    )
