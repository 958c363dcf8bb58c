"""What a Telegram Desktop export ("Machine-readable JSON") is, as pure functions.

The shapes come from Telegram Desktop's own writer, ``Telegram/SourceFiles/export/output/
export_output_json.cpp`` (telegramdesktop/tdesktop, read at commit 929032d5, Sep 2025):

* a chat is ``{"name", "type", "id", "messages": [...]}`` (``SerializeDialogStart``); ``id`` is the
  *bare* peer id (``PeerToBareId``); ``type`` is one of :data:`CHAT_TYPES`; saved messages have no
  ``name``. A single-chat export is that object at the top level; a full account export holds
  the chats in ``chats.list[]`` and ``left_chats.list[]``;
* a message has ``id``, ``type`` (``message``, ``service`` or ``unsupported``), ``date`` (local
  time of the exporting machine, no zone), ``date_unixtime`` (a *string* of Unix seconds),
  optional ``edited``/``edited_unixtime``; ``from``/``from_id`` (``user123``, ``channel123``,
  ``chat123``) on messages, ``actor``/``actor_id`` and ``action`` on service messages;
* ``text`` is a string, or an array of strings and ``{"type", "text", ...}`` entity objects
  (``SerializeText``); ``text_entities`` is always the array of objects;
* media: ``photo`` or ``file`` (a path, or a placeholder such as "(File not included. Change data
  exporting settings to download.)"), ``media_type`` (sticker, video_message, voice_message,
  animation, video_file, audio_file), ``mime_type``, ``contact_information``,
  ``location_information``, ``poll``, ``game_title``, ``invoice_information``, ``todo_list``;
* ``forwarded_from`` (present, maybe null, on a forward), ``reply_to_message_id``;
* ``reactions``: ``[{"type": "emoji"|"custom_emoji"|"paid", "count", "emoji"|"document_id"}]``.

Identity: a user's Bot API id is the bare id of ``user<id>``; a basic group's chat id is ``-id``;
a supergroup's or channel's is ``-100<id>`` (``-(10**12 + id)``). A private chat (personal, bot,
saved) has no chat id in the enriched zone, as elsewhere.

Older eras, read from the writer's git history (``git log --follow -p`` of the two files above):

* **tdesktop ≤ 2.4 (to Oct 2020)**: ``from_id``/``actor_id`` is the bare user id as a JSON
  *number* (``pushBare(label+"_id", NumberToString(message.fromId))``, ``fromId`` an int32);
* **2.5 to 2.7.1 (Dec 2020 to Apr 2021)**: ``from_id`` is the encoded ``PeerId`` as a number
  (layer 120 made ``fromId`` a ``PeerId``, tdesktop cc28ba42);
* **up to 2.7.1**, a chat's ``id`` is the encoded ``PeerId`` too, not the bare id. The encoding
  is ``export/data/export_data_types.cpp``'s ``UserPeerId`` = ``(1 << 32) | id`` and
  ``ChatPeerId`` = ``(2 << 32) | id``, the latter for basic groups *and* channels
  (``ParsePeerId`` maps ``peerChannel`` to ``ChatPeerId``). From 2.7.2 (tdesktop 4625e761, Apr
  2021) the ids are ``user123``/``channel123``/``chat123`` strings and the chat's ``id`` is
  ``PeerToBareId``. So a channel of bare id 1292077344 is ``9882011936`` in a 2020 export: the
  Bot API's ``-1001292077344`` either way (:data:`LEGACY_USER_SHIFT`, :data:`LEGACY_CHAT_SHIFT`);
* **before 4.0 (June 2022)**: no ``date_unixtime``/``edited_unixtime`` (tdesktop 96bd9ae8): only
  the local ``date`` of the exporting machine, read in the export's time zone;
* **since 2019** (tdesktop 8f80c19a, "Merge old group with supergroup history in export"), a
  supergroup that was a basic group is exported with the old group's messages first, their ids
  (and reply ids) shifted by ``kMigratedMessagesIdShift`` = -1,000,000,000: negative ids, one chat.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

CHAT_TYPES: dict[str, str] = {
    "personal_chat": "private",
    "bot_chat": "private",
    "saved_messages": "private",
    "replies": "private",
    "verification_codes": "private",
    "private_group": "group",
    "private_supergroup": "supergroup",
    "public_supergroup": "supergroup",
    "private_channel": "channel",
    "public_channel": "channel",
}
"""Export chat type → Bot API chat type."""

CHANNEL_OFFSET = 10**12
"""A supergroup's or channel's Bot API id is ``-(CHANNEL_OFFSET + bare id)``: "-100" then the id."""
LEGACY_USER_SHIFT = 1 << 32
"""tdesktop ≤ 2.7.1's ``UserPeerId``: a user's encoded peer id is ``LEGACY_USER_SHIFT | id``."""
LEGACY_CHAT_SHIFT = 2 << 32
"""tdesktop ≤ 2.7.1's ``ChatPeerId``: a basic group's or channel's is ``LEGACY_CHAT_SHIFT | id``."""
MIGRATED_ID_SHIFT = -1_000_000_000
"""tdesktop's ``kMigratedMessagesIdShift``: a migrated group's message ids in its supergroup."""

MEDIA_TYPES: dict[str, str] = {
    "sticker": "sticker",
    "video_message": "video_note",
    "voice_message": "voice",
    "animation": "animation",
    "video_file": "video",
    "audio_file": "audio",
}
"""Export ``media_type`` of a ``file`` → Bot API content type (a file without one: document)."""

SERVICE_ACTIONS: dict[str, str] = {
    "create_group": "group_chat_created",
    "edit_group_title": "new_chat_title",
    "edit_group_photo": "new_chat_photo",
    "delete_group_photo": "delete_chat_photo",
    "invite_members": "new_chat_members",
    "join_group_by_link": "new_chat_members",
    "join_group_by_request": "new_chat_members",
    "remove_members": "left_chat_member",
    "create_channel": "channel_chat_created",
    "migrate_to_supergroup": "migrate_to_chat_id",
    "migrate_from_group": "migrate_from_chat_id",
    "pin_message": "pinned_message",
    "set_messages_ttl": "message_auto_delete_timer_changed",
    "topic_created": "forum_topic_created",
    "topic_edit": "forum_topic_edited",
    "group_call": "video_chat_started",
    "group_call_scheduled": "video_chat_scheduled",
    "invite_to_group_call": "video_chat_participants_invited",
}
"""Export service ``action`` → the Bot API content type of the same event; other actions keep
their export name prefixed ``service:`` (e.g. ``service:phone_call``)."""

MAX_SECONDS = 2**35
"""Unix times from year 1970 to 3058: anything else in an export is garbage, not a date."""

FILE_PLACEHOLDER = "(File "
"""Start of every placeholder tdesktop writes instead of a path ("(File not included. …)",
"(File exceeds maximum size. …)", "(File unavailable, please try again later)")."""


def bot_api_chat(chat_type: Any, bare_id: Any, *, legacy: bool = False) -> tuple[str, int] | None:
    """``(Bot API chat type, Bot API chat id)`` of an exported chat; None when unknown.

    A group's or channel's ``id`` at or past :data:`LEGACY_CHAT_SHIFT` is an encoded peer id of
    tdesktop ≤ 2.7.1 (bare channel ids are far below 2³³). A private chat's is decoded only when
    ``legacy`` (its messages carry numeric ``from_id``s): bare user ids now pass 2³²."""
    kind = CHAT_TYPES.get(chat_type) if isinstance(chat_type, str) else None
    number = _int(bare_id)
    if kind is None or number is None:
        return None
    if kind != "private" and number >= LEGACY_CHAT_SHIFT:
        number -= LEGACY_CHAT_SHIFT
    elif kind == "private" and legacy and LEGACY_USER_SHIFT <= number < LEGACY_CHAT_SHIFT:
        number -= LEGACY_USER_SHIFT
    if kind == "group":
        return kind, -number
    if kind in ("supergroup", "channel"):
        return kind, -(CHANNEL_OFFSET + number)
    return kind, number


def peer_id(value: Any) -> tuple[str, int] | None:
    """``user123`` → ``("user", 123)``; ``channel5`` → ``("chat", -1000000000005)``; ``chat7`` →
    ``("chat", -7)``: who sent it, as the Bot API would name them. A number is an older
    export's: a bare user id (≤ 2.4), ``LEGACY_USER_SHIFT | id`` for a user or
    ``LEGACY_CHAT_SHIFT | id`` for a channel (2.5 to 2.7.1; a basic group never sends as
    itself, so a chat-encoded sender is a channel)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 < value < LEGACY_USER_SHIFT:
            return "user", value
        if LEGACY_USER_SHIFT <= value < LEGACY_CHAT_SHIFT:
            return "user", value - LEGACY_USER_SHIFT
        if LEGACY_CHAT_SHIFT <= value < 2 * LEGACY_CHAT_SHIFT:
            return "chat", -(CHANNEL_OFFSET + value - LEGACY_CHAT_SHIFT)
        return None
    if not isinstance(value, str):
        return None
    for prefix in ("user", "channel", "chat"):
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            number = int(value[len(prefix) :])
            if number >= 2**62:
                return None
            if prefix == "user":
                return "user", number
            return "chat", -(CHANNEL_OFFSET + number) if prefix == "channel" else -number
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 2**62 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def legacy_ids(message: Mapping[str, Any]) -> bool:
    """True when the message is of tdesktop ≤ 2.7.1: its ``from_id``/``actor_id`` is a number."""
    sender = message.get("from_id", message.get("actor_id"))
    return isinstance(sender, int) and not isinstance(sender, bool)


def message_id(value: Any) -> int | None:
    """A message id as exported: positive, or negative for a migrated group's message."""
    if isinstance(value, int) and not isinstance(value, bool) and -(2**62) < value < 2**62:
        return value
    return None


def epoch_seconds(
    message: Mapping[str, Any], field: str = "date", tz: ZoneInfo | None = None
) -> int | None:
    """The Unix time of ``date`` (or ``edited``): from ``<field>_unixtime`` (a string or a number,
    always UTC); an export made before tdesktop 4.0 (June 2022) wrote only the local ``date``,
    read then in ``tz`` (the export's zone: ``tglake import export --timezone``, by default
    ``TGLAKE_TIMEZONE``; the import manifest records it)."""
    seconds = _int(message.get(f"{field}_unixtime"))
    if seconds is not None:
        return seconds if seconds < MAX_SECONDS else None
    local = message.get(field)
    if tz is None or not isinstance(local, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(local)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    seconds = int(parsed.timestamp())
    return seconds if 0 <= seconds < MAX_SECONDS else None


def plain_text(value: Any) -> str | None:
    """``text`` as one string: a string, or an array of strings and entity objects whose
    ``text`` parts are joined (a link, a mention, bold… keep their visible text)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    parts = []
    for part in value:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
    return "".join(parts)


def content_type(message: Mapping[str, Any]) -> str:
    """What the message is, in the Bot API's words (see :data:`MEDIA_TYPES`,
    :data:`SERVICE_ACTIONS`)."""
    if message.get("type") == "service":
        action = message.get("action")
        if not isinstance(action, str):
            return "other"
        return SERVICE_ACTIONS.get(action, f"service:{action}")
    if message.get("type") == "unsupported":
        return "other"
    if "photo" in message:
        return "photo"
    if "file" in message or "media_type" in message:
        media = message.get("media_type")
        return MEDIA_TYPES.get(media, "document") if isinstance(media, str) else "document"
    for field, kind in (
        ("contact_information", "contact"),
        ("place_name", "venue"),
        ("location_information", "location"),
        ("poll", "poll"),
        ("game_title", "game"),
        ("invoice_information", "invoice"),
        ("todo_list", "checklist"),
        ("giveaway_information", "giveaway"),
    ):
        if field in message:
            return kind
    return "text" if plain_text(message.get("text")) else "other"


def file_missing(message: Mapping[str, Any]) -> bool:
    """True when the export holds a placeholder instead of the photo or file."""
    for field in ("photo", "file"):
        value = message.get(field)
        if isinstance(value, str) and value.startswith(FILE_PLACEHOLDER):
            return True
    return False


def reaction_name(reaction: Mapping[str, Any]) -> str | None:
    """A reaction as the reactions table writes it: the emoji, ``custom:<id>`` or ``paid``."""
    kind = reaction.get("type")
    if kind == "emoji":
        emoji = reaction.get("emoji")
        return emoji if isinstance(emoji, str) and emoji else None
    if kind == "custom_emoji":
        document = reaction.get("document_id")
        return f"custom:{document}" if isinstance(document, str | int) and document else None
    return kind if isinstance(kind, str) and kind else None


MessageKey = tuple[int, ...]


def message_key(
    chat_type: str | None,
    chat_id: int | None,
    message_id: int | None,
    sender: int,
    date: int,
    text: str | None,
) -> MessageKey | None:
    """What makes two copies of a message the same message, export or Bot API.

    Supergroups and channels number their messages per chat: ``(chat_id, message_id)``. Private
    chats and basic groups number them per *account* (the exporter's ids differ from the bot's),
    so there a message is its sender and its second: ``(chat_id, sender, date)`` in a basic group;
    in a private chat, whose id too differs by side (the exporter's "bot_chat" is the bot's id,
    the bot's private chat is the user's id), ``(sender, date, crc32 of the text)``."""
    if chat_type in ("supergroup", "channel"):
        if chat_id is None or message_id is None:
            return None
        return (0, chat_id, message_id)
    if chat_type == "group" and chat_id is not None:
        return (1, chat_id, sender, date)
    if chat_type == "private":
        return (2, sender, date, zlib.crc32((text or "").encode("utf-8", "surrogatepass")))
    return None


def export_message_key(
    chat: Mapping[str, Any], message: Mapping[str, Any], tz: ZoneInfo | None = None
) -> MessageKey | None:
    """:func:`message_key` of an exported message of ``chat`` (``{"type", "id"}`` as exported);
    ``tz``: the export's zone, for a message without ``date_unixtime``."""
    mapped = bot_api_chat(chat.get("type"), chat.get("id"), legacy=legacy_ids(message))
    seconds = epoch_seconds(message, tz=tz)
    if mapped is None or seconds is None:
        return None
    sender = peer_id(message.get("from_id") or message.get("actor_id"))
    return message_key(
        mapped[0],
        mapped[1],
        message_id(message.get("id")),
        sender[1] if sender else 0,
        seconds,
        plain_text(message.get("text")),
    )


def update_message_key(message: Mapping[str, Any]) -> MessageKey | None:
    """:func:`message_key` of a Bot API Message."""
    chat = message.get("chat")
    if not isinstance(chat, dict):
        return None
    sender_chat = message.get("sender_chat")
    user = message.get("from")
    sender: Any = None
    if isinstance(sender_chat, dict):
        sender = sender_chat.get("id")
    elif isinstance(user, dict):
        sender = user.get("id")
    date, chat_id, message_id = message.get("date"), chat.get("id"), message.get("message_id")
    if not (isinstance(date, int) and isinstance(chat_id, int) and isinstance(message_id, int)):
        return None
    text = message.get("text", message.get("caption"))
    return message_key(
        chat.get("type"),
        chat_id,
        message_id,
        sender if isinstance(sender, int) else 0,
        date,
        text if isinstance(text, str) else None,
    )
