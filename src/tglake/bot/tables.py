"""Arrow schemas and pure row builders of the bot's two enriched tables.

For the ETL (which owns reading the raw zone, ``user_key`` and the partition swap):

* ``bot_replies`` — one row per bot event (``bot/context_date=…/<update_id>.json``):
  :func:`bot_reply_row`. The event holds no user id; the ETL passes the ``user_key`` it derives
  from the raw update with the same ``update_id`` (or None).
* ``candidate_mentions`` — one row per (message, candidate) link: :func:`mention_rows` over a
  raw update. Only new messages count (``message``, ``channel_post``, ``business_message``):
  an edit would count the same mention twice.

Rows are plain dicts in schema order; :func:`to_table` sorts them by the table's stable key
so the same input always gives the same Parquet bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from tglake.bot.candidates import CandidateData
from tglake.bot.mentions import find_mentions

TS = pa.timestamp("ms", tz="UTC")

BOT_REPLIES = pa.schema(
    [
        pa.field("update_id", pa.int64(), nullable=False),
        pa.field("update_kind", pa.string()),
        pa.field("chat_id", pa.int64()),
        pa.field("user_key", pa.string()),
        pa.field("command", pa.string()),
        pa.field("query", pa.string()),
        pa.field("matched_kind", pa.string()),
        pa.field("matched_ids", pa.list_(pa.string())),
        pa.field("top_match", pa.string()),
        pa.field("result_count", pa.int32()),
        pa.field("answered", pa.bool_()),
        pa.field("latency_ms", pa.float64()),
        pa.field("reply_method", pa.string()),
        pa.field("reply_chars", pa.int32()),
        pa.field("reply_ts", TS),
        pa.field("event_version", pa.int32()),
    ]
)
"""One row per update the bot handled: what it was asked, what it matched, how fast."""

CANDIDATE_MENTIONS = pa.schema(
    [
        pa.field("update_id", pa.int64(), nullable=False),
        pa.field("message_id", pa.int64()),
        pa.field("chat_id", pa.int64()),
        pa.field("user_key", pa.string()),
        pa.field("message_ts", TS),
        pa.field("candidate_number", pa.int32(), nullable=False),
        pa.field("office", pa.string()),
        pa.field("party", pa.string()),
        pa.field("match_kind", pa.string()),
        pa.field("matched_text", pa.string()),
    ]
)
"""One row per (message, candidate) the message mentions."""

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
    message = next((update[k] for k in MENTION_KINDS if isinstance(update.get(k), dict)), None)
    if message is None:
        return []
    text = message.get("text") or message.get("caption")
    if not isinstance(text, str):
        return []
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    return [
        {
            "update_id": int(update["update_id"]),
            "message_id": _int(message.get("message_id")),
            "chat_id": _int(chat.get("id")),
            "user_key": user_key,
            "message_ts": _ts(message.get("date")),
            "candidate_number": m.candidate_number,
            "office": m.office,
            "party": m.party,
            "match_kind": m.match_kind,
            "matched_text": m.matched_text,
        }
        for m in find_mentions(text, data)
    ]


def to_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows → an Arrow table with the table's schema, sorted by its stable key."""
    keys = SORT_KEYS[name]
    ordered = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    return pa.Table.from_pylist(ordered, schema=TABLES[name])
