"""The bot's two enriched tables, registered in the ETL by :data:`SPECS`.

* ``bot_replies`` — one row per bot event (``bot/context_date=…/<update_id>.json``):
  :func:`bot_reply_row`. The event's ``user_id`` becomes ``user_key`` (a version 1 event has
  none: in a private chat its ``chat_id`` is the user's id); a private chat's ``chat_id`` is
  never kept (it is the person's id).
* ``candidate_mentions`` — one row per (message, candidate) link, from each finished
  ``messages`` row (so it carries that row's ``user_key``). Edits are read too, so a name added
  by an edit is found; the ETL keeps only the
  first row of each (message, chat, sender, candidate) of a day (:data:`MENTION_UNIQUE`), so a
  message names a candidate once however often it is edited. An edit on a later day that still
  names the candidate adds one row on that later day (the ETL of a day does not read the days
  before): ``docs/sql.md`` says how to count such messages once.

Rows are plain dicts in schema order; the ETL writes them in raw-key order, so the same input
always gives the same Parquet bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tglake import layout, personal, schema
from tglake.candidates.catalog import CandidateData, bundled
from tglake.candidates.mentions import find_mentions
from tglake.etl import flatten

BOT_REPLIES = schema.BOT_REPLIES
CANDIDATE_MENTIONS = schema.CANDIDATE_MENTIONS

MENTION_KINDS = (
    "message",
    "channel_post",
    "business_message",
    "edited_message",
    "edited_channel_post",
    "edited_business_message",
)
MENTION_UNIQUE = ("message_id", "chat_id", "user_key", "candidate_number")
"""A message names a candidate once per day: the first row of each of these keys is kept."""


def _ts(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(value, int) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _private(chat_id: int | None, chat_type: Any) -> bool:
    """A private chat: said by the event, or (version 1 events) told by a positive id, which
    Telegram gives only to users (groups and channels have negative ids)."""
    if isinstance(chat_type, str):
        return chat_type == "private"
    return chat_id is not None and chat_id > 0


def asker_id(event: Mapping[str, Any]) -> int | None:
    """The Telegram user id of who asked: the event's ``user_id``, else a private chat's id."""
    user_id = _int(event.get("user_id"))
    if user_id is not None:
        return user_id
    chat_id = _int(event.get("chat_id"))
    return chat_id if _private(chat_id, event.get("chat_type")) else None


def bot_reply_row(event: Mapping[str, Any], *, user_key: str | None = None) -> dict[str, Any]:
    """A ``bot_replies`` row from a bot event (missing fields become nulls, never errors)."""
    ids = [str(i) for i in event.get("matched_ids") or []]
    latency = event.get("latency_ms")
    chat_id = _int(event.get("chat_id"))
    query = event.get("query")
    return {
        "update_id": int(event["update_id"]),
        "update_kind": event.get("update_kind"),
        "chat_id": None if _private(chat_id, event.get("chat_type")) else chat_id,
        "user_key": user_key,
        "command": event.get("command"),
        "query": personal.redact_text(query, []) if isinstance(query, str) else None,
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


def _mentions_of_message(row: Mapping[str, Any], data: CandidateData) -> list[dict[str, Any]]:
    """``candidate_mentions`` rows for one ``messages`` row (new messages and edits alike)."""
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


def extract_bot_replies(event: Mapping[str, Any], ctx: flatten.Context) -> list[dict[str, Any]]:
    """ETL extractor: a bot event → its row, with the asker's ``user_key``."""
    asker = asker_id(event)
    return [bot_reply_row(event, user_key=ctx.user_key(asker) if asker is not None else None)]


def extract_mentions(row: Mapping[str, Any], ctx: flatten.Context) -> list[dict[str, Any]]:
    """ETL extractor over each finished ``messages`` row, against the bundled candidates."""
    return _mentions_of_message(row, bundled())  # cached: once per (worker) process


SPECS: tuple[flatten.TableSpec, ...] = (
    flatten.TableSpec("bot_replies", BOT_REPLIES, extract_bot_replies, source=layout.BOT_SOURCE),
    flatten.TableSpec(
        "candidate_mentions",
        CANDIDATE_MENTIONS,
        extract_mentions,
        parent="messages",
        unique=MENTION_UNIQUE,
    ),
)
"""The bot's tables in the ETL registry (see :mod:`tglake.etl.flatten` on adding a table)."""
