"""The table registry: which enriched tables exist, and how an update becomes their rows.

Each :class:`TableSpec` pairs an Arrow schema (from :mod:`tglake.schema`) with a pure extractor.
The ETL (:mod:`tglake.etl.run`, :mod:`tglake.etl.workers`) knows nothing about any table: it reads
each raw source once, hands every update to every spec of that source (only those listing the
update's kind, when a spec lists kinds), deduplicates, and writes what comes back.

How to add a table (nothing in the ETL loop changes):

1. Add its schema to :mod:`tglake.schema` (``update_id`` and ``payload_hash`` first, like the
   others; ``payload_hash`` is filled in by the loop).
2. Write an extractor, ``(update: dict, ctx: Context) -> list[dict]``: pure, total (it never
   raises on a strange update: it returns fewer rows or nulls), one dict per row, keys = columns.
3. Register it in :data:`tglake.etl.tables.SPECS`:

   * from another raw source, e.g. the bot's own events under ``bot/context_date=…/``:
     ``TableSpec("bot_replies", schema.BOT_REPLIES, bot_replies, source=layout.BOT_SOURCE)``;
   * derived from another table's rows, e.g. names of candidates found in message text:
     ``TableSpec("candidate_mentions", schema.CANDIDATE_MENTIONS, mentions, parent="messages")``;
     its extractor then receives each finished *row* of the parent table instead of the update.

The column order of a row dict does not matter; missing keys are nulls.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa

from tglake import layout, personal, schema, telegram
from tglake.etl import clean

Row = dict[str, Any]
BOT_API = "bot_api"
"""``source`` of rows from updates (webhook or getUpdates: the raw zone stores both alike)."""
CALLBACK_KINDS: tuple[str, ...] = ("callback_query",)
REACTION_KINDS: tuple[str, ...] = ("message_reaction", "message_reaction_count")
MEMBER_KINDS: tuple[str, ...] = ("chat_member", "my_chat_member")
"""Update kinds of the callbacks, reactions and member_updates tables, in the order an
extractor looks for them (``telegram.MESSAGE_KINDS`` for messages)."""
COUNTED_KINDS: frozenset[str] = frozenset(
    {
        "business_connection",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
        "managed_bot",
    }
)
"""Kinds of the Bot API no table flattens, on purpose: they stay in the raw zone and the summary
counts them by name (``unflattened``). Every kind of :data:`tglake.telegram.ALL_KINDS` is either
here or flattened by a table (``tests/test_botapi_kinds.py``), so a kind added to the generated
table is a decision to make, not a silent gap."""


@dataclasses.dataclass(frozen=True)
class Context:
    """What an extractor may use besides the update: the pseudonym function and the name rule."""

    user_key: Callable[[int], str]
    keep_names: bool = False


Extractor = Callable[[Mapping[str, Any], Context], list[Row]]


@dataclasses.dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema
    extract: Extractor
    source: str = layout.RAW_SOURCE
    """Raw source (``telegram`` or ``bot``) whose updates feed this table."""
    parent: str | None = None
    """When set, ``extract`` receives each row of that table instead of the update."""
    kinds: frozenset[str] = frozenset()
    """Update kinds this table flattens: when set, ``extract`` is called only for those (a fast
    dispatch); kinds that no table lists are counted in the summary as not flattened."""
    unique: tuple[str, ...] = ()
    """When set, only the first row (in update_id order) of each value of these columns is kept
    within a day; rows whose first column is null are all kept."""


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return value
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _user_key(user: Mapping[str, Any], ctx: Context) -> str | None:
    user_id = _int(user.get("id"))
    return ctx.user_key(user_id) if user_id is not None else None


def _chat_id(chat: Mapping[str, Any], ctx: Context) -> int | None:
    """A private chat's id is its user's id: never kept (``--keep-names`` keeps names, not
    ids); ``user_key`` stands for the person."""
    if chat.get("type") == "private":
        return None
    return _int(chat.get("id"))


def _name(user: Mapping[str, Any], field: str, ctx: Context) -> str | None:
    return clean.clean_text(user.get(field)) if ctx.keep_names else None


def messages(update: Mapping[str, Any], ctx: Context) -> list[Row]:
    """One row for an update carrying a Message (edits are rows of their own)."""
    found = telegram.payload_of(update, telegram.MESSAGE_KINDS)
    if found is None:
        return []
    kind, message = found
    chat = _dict(message.get("chat"))
    # a guest message is one message of a chat the bot is not in: the person who called the bot
    # is counted, the chat is not (no id, no title, no thread)
    guest = kind == telegram.GUEST_KIND
    user = _dict(message.get("from"))
    raw_text = message.get("text")
    # mentions of people, phone numbers and e-mails in the text become placeholders (@pessoa…)
    text = clean.clean_text(personal.redact_text(*personal.message_text(update)))
    contact = _dict(message.get("contact"))
    return [
        {
            "update_id": update["update_id"],
            "update_type": kind,
            "message_id": _int(message.get("message_id")),
            "chat_id": None if guest else _chat_id(chat, ctx),
            "chat_type": _str(chat.get("type")),
            "chat_title": None if guest else clean.clean_text(chat.get("title")),
            "message_thread_id": None if guest else _int(message.get("message_thread_id")),
            "user_key": _user_key(user, ctx),
            "user_is_bot": _bool(user.get("is_bot")),
            "user_language_code": _str(user.get("language_code")),
            "sender_chat_id": _int(_dict(message.get("sender_chat")).get("id")),
            "message_ts": clean.epoch_ms(message.get("date")),
            "edit_ts": clean.epoch_ms(message.get("edit_date")),
            "content_type": clean.content_type(message),
            "text": text,
            "text_length": len(text) if text is not None else None,
            "command": clean.bot_command(text) if isinstance(raw_text, str) else None,
            "reply_to_message_id": _int(_dict(message.get("reply_to_message")).get("message_id")),
            "is_forward": clean.is_forward(message),
            "source": BOT_API,
            "user_first_name": _name(user, "first_name", ctx),
            "user_last_name": _name(user, "last_name", ctx),
            "user_username": _name(user, "username", ctx),
            "contact_phone_number": _name(contact, "phone_number", ctx),
        }
    ]


def callbacks(update: Mapping[str, Any], ctx: Context) -> list[Row]:
    """One row per callback query (an inline button pressed)."""
    found = telegram.payload_of(update, CALLBACK_KINDS)
    if found is None:
        return []
    query = found[1]
    user = _dict(query.get("from"))
    message = _dict(query.get("message"))
    chat = _dict(message.get("chat"))
    return [
        {
            "update_id": update["update_id"],
            "callback_query_id": _str(query.get("id")),
            "user_key": _user_key(user, ctx),
            "user_is_bot": _bool(user.get("is_bot")),
            "user_language_code": _str(user.get("language_code")),
            "chat_id": _chat_id(chat, ctx),
            "chat_type": _str(chat.get("type")),
            "message_id": _int(message.get("message_id")),
            "inline_message_id": _str(query.get("inline_message_id")),
            "data": clean.clean_text(query.get("data")),
            "game_short_name": _str(query.get("game_short_name")),
        }
    ]


def _reaction(value: Any) -> str | None:
    """A ReactionType as one string: the emoji, ``custom:<id>`` or ``paid``."""
    reaction = _dict(value)
    kind = reaction.get("type")
    if kind == "emoji":
        return _str(reaction.get("emoji"))
    if kind == "custom_emoji":
        custom = _str(reaction.get("custom_emoji_id"))
        return f"custom:{custom}" if custom else None
    return _str(kind)


def _reactions(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [r for r in map(_reaction, values) if r is not None]


def reactions(update: Mapping[str, Any], ctx: Context) -> list[Row]:
    """One row per reaction change, or per reaction count of an anonymous-reactions chat."""
    found = telegram.payload_of(update, REACTION_KINDS)
    if found is None:
        return []
    kind, event = found
    chat = _dict(event.get("chat"))
    row: Row = {
        "update_id": update["update_id"],
        "update_type": kind,
        "chat_id": _chat_id(chat, ctx),
        "chat_type": _str(chat.get("type")),
        "message_id": _int(event.get("message_id")),
        "user_key": _user_key(_dict(event.get("user")), ctx),
        "actor_chat_id": _int(_dict(event.get("actor_chat")).get("id")),
        "reaction_ts": clean.epoch_ms(event.get("date")),
        "source": BOT_API,
    }
    if kind == "message_reaction":
        row["old_reactions"] = _reactions(event.get("old_reaction"))
        row["new_reactions"] = _reactions(event.get("new_reaction"))
        return [row]
    counts = event.get("reactions")
    rows = []
    for count in counts if isinstance(counts, list) else []:
        count = _dict(count)
        total = _int(count.get("total_count"))
        reaction = _reaction(count.get("type"))
        rows.append(
            {
                **row,
                "new_reactions": [reaction] if reaction else [],
                "total_count": total if total is not None and -(2**31) <= total < 2**31 else None,
            }
        )
    return rows


def member_updates(update: Mapping[str, Any], ctx: Context) -> list[Row]:
    """One row per change of a member's status (``chat_member``, ``my_chat_member``)."""
    found = telegram.payload_of(update, MEMBER_KINDS)
    if found is None:
        return []
    kind, event = found
    chat = _dict(event.get("chat"))
    old = _dict(event.get("old_chat_member"))
    new = _dict(event.get("new_chat_member"))
    member = _dict(new.get("user")) or _dict(old.get("user"))
    return [
        {
            "update_id": update["update_id"],
            "update_type": kind,
            "chat_id": _chat_id(chat, ctx),
            "chat_type": _str(chat.get("type")),
            "actor_user_key": _user_key(_dict(event.get("from")), ctx),
            "member_user_key": _user_key(member, ctx),
            "member_is_bot": _bool(member.get("is_bot")),
            "old_status": _str(old.get("status")),
            "new_status": _str(new.get("status")),
            "change_ts": clean.epoch_ms(event.get("date")),
            "via_invite_link": isinstance(event.get("invite_link"), dict),
        }
    ]


TELEGRAM_SPECS: tuple[TableSpec, ...] = (
    TableSpec("messages", schema.MESSAGES, messages, kinds=frozenset(telegram.MESSAGE_KINDS)),
    TableSpec("callbacks", schema.CALLBACKS, callbacks, kinds=frozenset(CALLBACK_KINDS)),
    TableSpec("reactions", schema.REACTIONS, reactions, kinds=frozenset(REACTION_KINDS)),
    TableSpec(
        "member_updates", schema.MEMBER_UPDATES, member_updates, kinds=frozenset(MEMBER_KINDS)
    ),
)
"""Every enriched table the ETL writes, in the order it writes them."""


def flattened_kinds(tables: tuple[TableSpec, ...] = TELEGRAM_SPECS) -> frozenset[str]:
    return frozenset().union(*(t.kinds for t in tables))
