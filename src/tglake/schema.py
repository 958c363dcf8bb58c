"""Arrow schemas of the enriched tables: the one place that says what a column is.

The Parquet files hold these columns; ``context_date`` is the hive partition (in the path, not
in the file), added by DuckDB's ``hive_partitioning`` and by Athena's ``PARTITIONED BY``.
Timestamps are UTC instants in milliseconds. Name columns are null unless the operator asked for
names (``--keep-names``); analysts count people by ``user_key``. No column ever holds a user id:
``chat_id`` is null for a private chat (its id is the user's own id), with or without names, and
text columns have mentions of people, phone numbers and e-mails replaced (``@pessoa``…).
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("ms", tz="UTC")

SOURCES: tuple[str, ...] = ("bot_api", "export")
"""Values of the ``source`` column: ``bot_api`` for an update received by the webhook or by
getUpdates (the raw zone stores both the same way, so the two cannot be told apart afterwards),
``export`` for a message read from a Telegram Desktop export (``tglake import export``)."""

MESSAGES = pa.schema(
    [
        pa.field("update_id", pa.int64()),
        pa.field("update_type", pa.string(), nullable=False),
        pa.field("payload_hash", pa.string(), nullable=False),
        pa.field("message_id", pa.int64()),
        pa.field("chat_id", pa.int64()),
        pa.field("chat_type", pa.string()),
        pa.field("chat_title", pa.string()),
        pa.field("message_thread_id", pa.int64()),
        pa.field("user_key", pa.string()),
        pa.field("user_is_bot", pa.bool_()),
        pa.field("user_language_code", pa.string()),
        pa.field("sender_chat_id", pa.int64()),
        pa.field("message_ts", TS),
        pa.field("edit_ts", TS),
        pa.field("content_type", pa.string()),
        pa.field("text", pa.string()),
        pa.field("text_length", pa.int32()),
        pa.field("command", pa.string()),
        pa.field("reply_to_message_id", pa.int64()),
        pa.field("is_forward", pa.bool_()),
        pa.field("source", pa.string()),
        pa.field("user_first_name", pa.string()),
        pa.field("user_last_name", pa.string()),
        pa.field("user_username", pa.string()),
        pa.field("contact_phone_number", pa.string()),
    ]
)
"""One row per update that carries a message; edits are rows of their own (the latest version
of a message is its row with the greatest ``coalesce(edit_ts, message_ts)``, then ``update_id``).
The last four columns are null unless the ETL ran with ``--keep-names``. ``source`` says where
the row came from (see :data:`SOURCES`); an exported message has no ``update_id`` (it never was
an update) and is one row at its last edit (``edit_ts`` from the export's ``edited_unixtime``)."""

CALLBACKS = pa.schema(
    [
        pa.field("update_id", pa.int64(), nullable=False),
        pa.field("payload_hash", pa.string(), nullable=False),
        pa.field("callback_query_id", pa.string()),
        pa.field("user_key", pa.string()),
        pa.field("user_is_bot", pa.bool_()),
        pa.field("user_language_code", pa.string()),
        pa.field("chat_id", pa.int64()),
        pa.field("chat_type", pa.string()),
        pa.field("message_id", pa.int64()),
        pa.field("inline_message_id", pa.string()),
        pa.field("data", pa.string()),
        pa.field("game_short_name", pa.string()),
    ]
)
"""One row per callback query (an inline button pressed)."""

REACTIONS = pa.schema(
    [
        pa.field("update_id", pa.int64()),
        pa.field("payload_hash", pa.string(), nullable=False),
        pa.field("update_type", pa.string(), nullable=False),
        pa.field("chat_id", pa.int64()),
        pa.field("chat_type", pa.string()),
        pa.field("message_id", pa.int64()),
        pa.field("user_key", pa.string()),
        pa.field("actor_chat_id", pa.int64()),
        pa.field("reaction_ts", TS),
        pa.field("old_reactions", pa.list_(pa.string())),
        pa.field("new_reactions", pa.list_(pa.string())),
        pa.field("total_count", pa.int32()),
        pa.field("source", pa.string()),
    ]
)
"""One row per reaction change (``message_reaction``: who, old and new reactions), or one row per
reaction of an anonymous count (``message_reaction_count``: ``new_reactions`` holds that one
reaction and ``total_count`` its count). Reactions are emoji, ``custom:<id>`` or ``paid``. An
export's reaction counts are ``message_reaction_count`` rows with ``source = 'export'``, no
``update_id`` and no ``reaction_ts`` (a count at export time)."""

MEMBER_UPDATES = pa.schema(
    [
        pa.field("update_id", pa.int64(), nullable=False),
        pa.field("payload_hash", pa.string(), nullable=False),
        pa.field("update_type", pa.string(), nullable=False),
        pa.field("chat_id", pa.int64()),
        pa.field("chat_type", pa.string()),
        pa.field("actor_user_key", pa.string()),
        pa.field("member_user_key", pa.string()),
        pa.field("member_is_bot", pa.bool_()),
        pa.field("old_status", pa.string()),
        pa.field("new_status", pa.string()),
        pa.field("change_ts", TS),
        pa.field("via_invite_link", pa.bool_()),
    ]
)
"""One row per chat_member / my_chat_member update."""

NAME_COLUMNS: frozenset[str] = frozenset(
    {"user_first_name", "user_last_name", "user_username", "contact_phone_number"}
)
"""Columns that hold names or phone numbers: null unless the operator asked for them."""

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
"""One row per update the bot handled (from the raw ``bot/`` source): what it was asked,
what it matched, how fast. Join on ``update_id`` with ``messages`` for who asked."""

CANDIDATE_MENTIONS = pa.schema(
    [
        pa.field("update_id", pa.int64()),
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
"""One row per (new message, candidate it mentions), derived from ``messages`` rows (``update_id``
null for an exported message)."""

SCHEMAS: dict[str, pa.Schema] = {
    "messages": MESSAGES,
    "callbacks": CALLBACKS,
    "reactions": REACTIONS,
    "member_updates": MEMBER_UPDATES,
    "bot_replies": BOT_REPLIES,
    "candidate_mentions": CANDIDATE_MENTIONS,
}
"""Every enriched table, by name; the Athena DDL and the DuckDB views are generated from it."""
