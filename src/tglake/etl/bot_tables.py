"""Arrow schemas and pure row builders of the bot's two enriched tables.

For the ETL (which owns reading the raw zone, ``user_key`` and the partition swap):

* ``bot_replies`` — one row per bot event (``bot/context_date=…/<update_id>.json``):
  :func:`bot_reply_row`. The event's ``from_id`` (the sender, as in the raw update) becomes
  ``user_key`` through the ETL's pseudonym function; the id itself never reaches the row.
* ``candidate_mentions`` — one row per (message, candidate) link: :func:`mention_rows` over a
  raw update. Only new messages count (``message``, ``channel_post``, ``business_message``):
  an edit would count the same mention twice.

Rows are plain dicts in schema order; :func:`to_table` sorts them by the table's stable key
so the same input always gives the same Parquet bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from tglake import layout, schema, telegram
from tglake.candidates.catalog import CandidateData, bundled
from tglake.candidates.mentions import find_mentions
from tglake.etl import flatten

BOT_REPLIES = schema.BOT_REPLIES
CANDIDATE_MENTIONS = schema.CANDIDATE_MENTIONS

TABLES: dict[str, pa.Schema] = {
    "bot_replies": BOT_REPLIES,
    "candidate_mentions": CANDIDATE_MENTIONS,
}
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "bot_replies": ("update_id",),
    "candidate_mentions": ("update_id", "candidate_number"),
}
MENTION_KINDS = ("message", "channel_post", "business_message")


def _ts(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(value, int) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def bot_reply_row(event: Mapping[str, Any], *, user_key: str | None = None) -> dict[str, Any]:
    """A ``bot_replies`` row from a bot event (missing fields become nulls, never errors)."""
    ids = [str(i) for i in event.get("matched_ids") or []]
    latency = event.get("latency_ms")
    return {
        "update_id": int(event["update_id"]),
        "update_kind": event.get("update_kind"),
        "chat_id": _int(event.get("chat_id")),
        "user_key": user_key,
        "command": event.get("command"),
        "query": event.get("query"),
        "matched_kind": event.get("matched_kind"),
        "matched_ids": ids,
        "top_match": ids[0] if ids else None,
        "result_count": _int(event.get("result_count")),
        "answered": event.get("answered") if isinstance(event.get("answered"), bool) else None,
        "latency_ms": float(latency) if isinstance(latency, int | float) else None,
        "reply_method": event.get("reply_method"),
        "reply_chars": _int(event.get("reply_chars")),
        "reply_ts": _ts(event.get("reply_ts")),
        "event_version": _int(event.get("event_version")),
    }


def mention_rows(
    update: Mapping[str, Any], data: CandidateData, *, user_key: str | None = None
) -> list[dict[str, Any]]:
    """``candidate_mentions`` rows for one raw update (empty when it mentions nobody)."""
    found = telegram.payload_of(update, MENTION_KINDS)
    if found is None:
        return []
    kind, message = found
    chat: Mapping[str, Any] = message["chat"] if isinstance(message.get("chat"), dict) else {}
    row = {
        "update_id": int(update["update_id"]),
        "update_type": kind,
        "text": message.get("text") or message.get("caption"),
        "message_id": _int(message.get("message_id")),
        "chat_id": _int(chat.get("id")),
        "user_key": user_key,
        "message_ts": _ts(message.get("date")),
    }
    return _mentions_of_message(row, data)


def _mentions_of_message(row: Mapping[str, Any], data: CandidateData) -> list[dict[str, Any]]:
    """``candidate_mentions`` rows for one ``messages`` row (new messages only, not edits)."""
    text = row.get("text")
    if row.get("update_type") not in MENTION_KINDS or not isinstance(text, str):
        return []
    return [
        {
            "update_id": row["update_id"],
            "message_id": row.get("message_id"),
            "chat_id": row.get("chat_id"),
            "user_key": row.get("user_key"),
            "message_ts": row.get("message_ts"),
            "candidate_number": m.candidate_number,
            "office": m.office,
            "party": m.party,
            "match_kind": m.match_kind,
            "matched_text": m.matched_text,
        }
        for m in find_mentions(text, data)
    ]


@functools.cache
def _bundled() -> CandidateData:
    """Loaded once per process (the ETL's worker processes each load their own)."""
    return bundled()


def extract_bot_replies(event: Mapping[str, Any], ctx: flatten.Context) -> list[dict[str, Any]]:
    """ETL extractor: a bot event → its row, ``user_key`` from the event's ``from_id``."""
    sender = _int(event.get("from_id"))
    return [bot_reply_row(event, user_key=ctx.user_key(sender) if sender is not None else None)]


def extract_mentions(row: Mapping[str, Any], ctx: flatten.Context) -> list[dict[str, Any]]:
    """ETL extractor over each finished ``messages`` row, against the bundled candidates."""
    return _mentions_of_message(row, _bundled())


SPECS: tuple[flatten.TableSpec, ...] = (
    flatten.TableSpec("bot_replies", BOT_REPLIES, extract_bot_replies, source=layout.BOT_SOURCE),
    flatten.TableSpec(
        "candidate_mentions", CANDIDATE_MENTIONS, extract_mentions, parent="messages"
    ),
)
"""The bot's tables in the ETL registry (see :mod:`tglake.etl.flatten` on adding a table)."""


def to_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows → an Arrow table with the table's schema, sorted by its stable key."""
    keys = SORT_KEYS[name]
    ordered = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    return pa.Table.from_pylist(ordered, schema=TABLES[name])
