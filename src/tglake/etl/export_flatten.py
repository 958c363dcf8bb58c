"""One day of exported messages → rows of ``messages``, ``reactions`` and their derived tables.

The ETL of a day (:func:`tglake.etl.run.run_day`) calls :func:`write_day` after the day's Bot
API updates. It reads the day's export slices (``export/context_date=D/<sha256>.jsonl``, only
those whose import finished: their manifest exists) and writes one row per exported message,
with ``source = 'export'``, except when the message is already in the lake:

* **The Bot API copy wins.** A message the webhook (or getUpdates) received on day D-1, D or D+1
  (a message sent just before midnight is received after it) is not written again from the
  export. Telegram's own bytes carry what the export lacks (``update_id``, ``is_bot``,
  ``language_code``, the exact original text), and the bot that saw a message also receives its
  edits as ``edited_message`` rows of their own, so the export's "text at its last edit" would
  count that edit twice.
* **Between two exports, the later edit wins** (then the greater file hash, so the result does
  not depend on the order of import).

"The same message" is :func:`tglake.tdexport.message_key`: chat and message id in supergroups
and channels; chat, sender and second in basic groups and private chats, whose message ids are
numbered per account (the exporter's ids are not the bot's).

Whatever the order of arrival (export first or webhook first), the day's result is the same once
the day is rebuilt: ``tglake import export`` rebuilds the days it touched, and
:func:`day_inputs` adds the export slices and the neighbouring Bot API days to the keys that
decide whether a day is pending (:func:`tglake.etl.run.pending_days`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa

from tglake import layout, tdexport, telegram
from tglake.errors import ObjectNotFoundError
from tglake.etl import clean, flatten, publish, rawread
from tglake.storage import ObjectStore

EXPORT = "export"
"""``source`` of rows read from an export."""
ORIGINAL_KINDS = ("message", "channel_post", "business_message")
"""Update kinds that carry a message as first sent (edits are rows of their own)."""
READ_BATCH = 2_000


@dataclasses.dataclass
class ExportDay:
    """What the export part of a day's run did."""

    rows: int = 0
    """Exported messages written to ``messages``."""
    reaction_rows: int = 0
    """Rows written to ``reactions`` (one per reaction count of an exported message)."""
    dropped_bot_api: int = 0
    """Exported messages left out because the Bot API delivered them too."""
    dropped_exports: int = 0
    """Copies left out because another export holds the same message."""
    rejects: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def committed_slices(raw: ObjectStore, day: dt.date) -> list[str]:
    """The day's export slices whose import finished (its manifest is written last)."""
    slices = []
    for key in raw.list(layout.partition_prefix(layout.EXPORT_SOURCE, day)):
        parsed = layout.parse_export_slice_key(key)
        if parsed is None:
            continue
        manifest = layout.export_manifest_key(parsed[1])
        if manifest in set(raw.list(manifest)):
            slices.append(key)
    return slices


def days_to_rebuild(raw: ObjectStore) -> list[dt.date]:
    """Days whose tables do not hold an imported export yet (its rebuild markers), of any age."""
    days = {p[0] for k in raw.list(layout.EXPORT_REBUILD_PREFIX)
            if (p := layout.parse_export_rebuild_key(k)) is not None}  # fmt: skip
    return sorted(days)


def clear_rebuilt(raw: ObjectStore, day: dt.date) -> None:
    """The day's tables were rebuilt with every committed export: drop its markers."""
    prefix = f"{layout.EXPORT_REBUILD_PREFIX}{layout.PARTITION}={day.isoformat()}/"
    for key in raw.list(prefix):
        with contextlib.suppress(ObjectNotFoundError):
            raw.delete(key)


def _neighbour_days(day: dt.date) -> tuple[dt.date, ...]:
    return (day - dt.timedelta(days=1), day, day + dt.timedelta(days=1))


def day_inputs(raw: ObjectStore, day: dt.date) -> list[str]:
    """Raw keys, beyond the day's own Bot API partitions, that decide its rows: its export
    slices and, when it has any, the Bot API partitions of the day before and after."""
    slices = committed_slices(raw, day)
    if not slices:
        return []
    around = [d for d in _neighbour_days(day) if d != day]
    return slices + [
        k for d in around for k in raw.list(layout.partition_prefix(layout.RAW_SOURCE, d))
    ]


def bot_api_keys(
    raw: ObjectStore, reader: rawread.Reader, day: dt.date
) -> set[tdexport.MessageKey]:
    """:func:`~tglake.tdexport.message_key` of every message the Bot API delivered on the day
    before, the day itself and the day after."""
    keys: set[tdexport.MessageKey] = set()
    for around in _neighbour_days(day):
        listing = rawread.Listing(raw, layout.partition_prefix(layout.RAW_SOURCE, around))
        for _batch, bodies in reader.stream(listing.batches(READ_BATCH)):
            for body in bodies:
                update = rawread.parse_raw(body)
                found = None if isinstance(update, str) else telegram.payload_of(
                    update, ORIGINAL_KINDS
                )  # fmt: skip
                key = tdexport.update_message_key(found[1]) if found else None
                if key is not None:
                    keys.add(key)
    return keys


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _ms(seconds: int | None) -> int | None:
    return seconds * 1000 if seconds is not None else None


def unusable(
    chat: Mapping[str, Any], message: Mapping[str, Any], tz: ZoneInfo | None = None
) -> str | None:
    """Why an exported message cannot be a row (None when it can): the reason a reject gives."""
    if tdexport.bot_api_chat(chat.get("type"), chat.get("id")) is None:
        return f"exported message of a chat of unknown type {chat.get('type')!r} or id"
    if tdexport.epoch_seconds(message, tz=tz) is None:
        return "exported message without a usable date (date_unixtime or date)"
    return None


def zone(name: Any) -> ZoneInfo | None:
    """The export's zone a slice line names (``"tz"``), for a message without date_unixtime."""
    if not isinstance(name, str):
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        return None


def message_row(
    chat: Mapping[str, Any],
    message: Mapping[str, Any],
    ctx: flatten.Context,
    tz: ZoneInfo | None = None,
) -> flatten.Row | None:
    """The ``messages`` row of one exported message (None when its chat or date is unusable:
    :func:`unusable` says why). ``tz``: the export's zone, for a message of an export older
    than ``date_unixtime``; ids of every era are read as the Bot API's (:mod:`tglake.tdexport`)."""
    legacy = tdexport.legacy_ids(message)
    mapped = tdexport.bot_api_chat(chat.get("type"), chat.get("id"), legacy=legacy)
    seconds = tdexport.epoch_seconds(message, tz=tz)
    if mapped is None or seconds is None:
        return None
    chat_type, chat_id = mapped
    private = chat_type == "private"
    service = message.get("type") == "service"
    sender_field = "actor" if service else "from"
    sender = tdexport.peer_id(message.get(f"{sender_field}_id"))
    user_id = sender[1] if sender is not None and sender[0] == "user" else None
    raw_text = tdexport.plain_text(message.get("text"))
    text = clean.clean_text(raw_text)
    kind = tdexport.content_type(message)
    contact = _dict(message.get("contact_information"))
    keep = ctx.keep_names
    return {
        "update_id": None,
        "update_type": "channel_post" if chat_type == "channel" else "message",
        "message_id": tdexport.message_id(message.get("id")),
        "chat_id": None if private and not keep else chat_id,
        "chat_type": chat_type,
        "chat_title": None if private else clean.clean_text(chat.get("name")),
        "message_thread_id": None,
        "user_key": ctx.user_key(user_id) if user_id is not None else None,
        "user_is_bot": True if chat.get("type") == "bot_chat" and user_id == chat_id else None,
        "user_language_code": None,
        "sender_chat_id": sender[1] if sender is not None and sender[0] == "chat" else None,
        "message_ts": _ms(seconds),
        "edit_ts": _ms(tdexport.epoch_seconds(message, "edited", tz)),
        "content_type": kind,
        "text": text,
        "text_length": len(text) if text is not None else None,
        "command": clean.bot_command(text) if kind == "text" else None,
        "reply_to_message_id": tdexport.message_id(message.get("reply_to_message_id")),
        # saved_from: a message saved to Saved Messages from another chat (a forward)
        "is_forward": "forwarded_from" in message or "saved_from" in message,
        "source": EXPORT,
        "user_first_name": clean.clean_text(message.get(sender_field)) if keep else None,
        "user_last_name": None,
        "user_username": None,
        "contact_phone_number": clean.clean_text(contact.get("phone_number")) if keep else None,
    }


def reaction_rows(row: flatten.Row, message: Mapping[str, Any]) -> list[flatten.Row]:
    """One ``reactions`` row per reaction count the export holds for the message."""
    rows = []
    reactions = message.get("reactions")
    for reaction in reactions if isinstance(reactions, list) else []:
        reaction = _dict(reaction)
        name = tdexport.reaction_name(reaction)
        count = flatten._int(reaction.get("count"))
        if name is None:
            continue
        rows.append(
            {
                "update_id": None,
                "update_type": "message_reaction_count",
                "chat_id": row["chat_id"],
                "chat_type": row["chat_type"],
                "message_id": row["message_id"],
                "user_key": None,
                "actor_chat_id": None,
                "reaction_ts": None,
                "old_reactions": [],
                "new_reactions": [name],
                "total_count": count if count is not None and count < 2**31 else None,
                "source": EXPORT,
            }
        )
    return rows


_Winner = tuple[int, str, bytes, str]
"""(edit seconds, export hash, slice line, ``<slice key>#<line>``) of the copy that is kept."""


def _winners(
    raw: ObjectStore,
    slices: list[str],
    seen: set[tdexport.MessageKey],
    report: ExportDay,
    default_tz: ZoneInfo | None,
) -> dict[tdexport.MessageKey | tuple[str, int], _Winner]:
    winners: dict[tdexport.MessageKey | tuple[str, int], _Winner] = {}
    for key in slices:
        digest = key.rsplit("/", 1)[1].removesuffix(".jsonl")
        try:
            body = raw.get(key)
        except ObjectNotFoundError:
            report.rejects.append((key, "export slice vanished while the day was read"))
            continue
        for number, line in enumerate(body.splitlines(), start=1):
            try:
                item = json.loads(line.decode("utf-8", "surrogatepass"))
                chat, message = _dict(item.get("chat")), _dict(item.get("message"))
            except (ValueError, AttributeError):
                report.rejects.append((f"{key}#{number}", "not a JSON object"))
                continue
            tz = zone(item.get("tz")) or default_tz
            where = f"{key}#{number}"
            mkey = tdexport.export_message_key(chat, message, tz)
            if mkey is None:
                winners[(key, number)] = (0, digest, line, where)  # no identity: nothing to match
                continue
            if mkey in seen:
                report.dropped_bot_api += 1
                continue
            candidate = (tdexport.epoch_seconds(message, "edited", tz) or 0, digest, line, where)
            prior = winners.get(mkey)
            if prior is not None:
                report.dropped_exports += 1
                if prior[:2] >= candidate[:2]:
                    continue
            winners[mkey] = candidate
    return winners


def write_day(
    raw: ObjectStore,
    reader: rawread.Reader,
    day: dt.date,
    ctx: flatten.Context,
    files: Mapping[str, publish.TableFile],
    specs: Sequence[flatten.TableSpec],
    default_tz: ZoneInfo | None = None,
) -> ExportDay:
    """Add the day's exported messages to the open table files (see the module doc).
    ``default_tz``: the zone of a local date in a slice line that names none (imports made
    before lines named it placed such messages in the lake's zone: ``TGLAKE_TIMEZONE``)."""
    report = ExportDay()
    slices = committed_slices(raw, day)
    if not slices or "messages" not in files:
        return report
    winners = _winners(raw, slices, bot_api_keys(raw, reader, day), report, default_tz)
    rows: dict[str, list[flatten.Row]] = {name: [] for name in files}
    for mkey in sorted(winners, key=str):  # any fixed order: the same files on every run
        line, where = winners[mkey][2], winners[mkey][3]
        item = json.loads(line.decode("utf-8", "surrogatepass"))
        message, chat = _dict(item.get("message")), _dict(item.get("chat"))
        tz = zone(item.get("tz")) or default_tz
        row = message_row(chat, message, ctx, tz)
        if row is None:
            report.rejects.append((where, unusable(chat, message, tz) or "exported message"))
            continue
        row["payload_hash"] = layout.content_hash(line)
        rows["messages"].append(row)
        if "reactions" in rows:
            for reaction in reaction_rows(row, message):
                reaction["payload_hash"] = row["payload_hash"]
                rows["reactions"].append(reaction)
        for spec in specs:
            if spec.parent == "messages" and spec.name in rows:
                rows[spec.name].extend(spec.extract(row, ctx))
    report.rows = len(rows["messages"])
    report.reaction_rows = len(rows.get("reactions", []))
    for spec in specs:
        if spec.name in files and rows.get(spec.name):
            table = pa.Table.from_pylist(
                [{k: clean.scrub_surrogates(v) for k, v in r.items()} for r in rows[spec.name]],
                schema=spec.schema,
            )
            files[spec.name].write_table(table)
    return report
