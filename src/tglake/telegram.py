"""What a Telegram Update is: its kinds, and where the chat and the message sit in it.

Kinds follow the Bot API ``Update`` object, as :mod:`tglake.botapi_kinds` lists them. An
update carries exactly one optional field besides ``update_id``; an unknown field is a kind this
code has never seen, which is stored and counted, never an error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, cast

from tglake import botapi_kinds
from tglake.botapi import Message
from tglake.errors import InvalidUpdateError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

MESSAGE_KINDS: tuple[str, ...] = tuple(
    name for name, carried in botapi_kinds.UPDATE_KINDS if carried == "Message"
)
"""Update fields whose value is a Message (``message`` … ``guest_message``), from the table."""

ALL_KINDS: tuple[str, ...] = tuple(name for name, _ in botapi_kinds.UPDATE_KINDS)
"""Every kind the Bot API documents (:mod:`tglake.botapi_kinds`, generated from its schema):
the ``allowed_updates`` we ask Telegram for. The list must be explicit, because an empty one
means Telegram's default, which leaves out ``chat_member`` and the reactions; so a kind newer
than the table is not delivered until the table is regenerated."""

GUEST_KIND = "guest_message"
"""A message of a chat the bot is not a member of, where someone called it (Bot API 10.0)."""

UNKNOWN_KIND = "unknown"


def update_kind(update: Mapping[str, Any]) -> str:
    """The field that carries the update's payload, or ``"unknown"``."""
    for key in update:
        if key != "update_id" and isinstance(update.get(key), dict):
            return key if key in ALL_KINDS else UNKNOWN_KIND
    return UNKNOWN_KIND


def payload_of(
    update: Mapping[str, Any], kinds: tuple[str, ...]
) -> tuple[str, dict[str, Any]] | None:
    """The first of ``kinds`` the update carries as an object, with its payload."""
    for kind in kinds:
        value = update.get(kind)
        if isinstance(value, dict):
            return kind, value
    return None


def message_of(update: Mapping[str, Any]) -> Message | None:
    """The Message an update carries (for callback queries, the message the button was on)."""
    found = payload_of(update, MESSAGE_KINDS)
    if found is not None:
        return cast(Message, found[1])  # a JSON object: its fields are checked where read
    callback = update.get("callback_query")
    if isinstance(callback, dict) and isinstance(callback.get("message"), dict):
        message: Message = callback["message"]
        return message
    return None


def chat_id_of(update: Mapping[str, Any]) -> int | None:
    """The id of the chat an update belongs to, when it belongs to one."""
    message = message_of(update)
    candidates: list[Any] = []
    if message is not None:
        candidates.append(message.get("chat"))
    for kind in (
        "message_reaction",
        "message_reaction_count",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    ):
        value = update.get(kind)
        if isinstance(value, dict):
            candidates.append(value.get("chat"))
    poll_answer = update.get("poll_answer")
    if isinstance(poll_answer, dict):
        candidates.append(poll_answer.get("voter_chat"))
    for chat in candidates:
        if isinstance(chat, dict):
            chat_id = chat.get("id")
            if isinstance(chat_id, int) and not isinstance(chat_id, bool):
                return chat_id
    return None


def parse_update(body: bytes) -> dict[str, Any]:
    """Validate a body as a Telegram Update: a JSON object with an integer ``update_id``."""
    try:
        update = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidUpdateError(f"body is not JSON: {exc.__class__.__name__}") from None
    except RecursionError:
        raise InvalidUpdateError("body is nested too deeply") from None
    except ValueError:  # valid JSON the parser still refuses: Python caps integer digits
        raise InvalidUpdateError(
            f"body holds an integer of more than {sys.get_int_max_str_digits()} digits, "
            "more than can be parsed"
        ) from None
    if not isinstance(update, dict):
        raise InvalidUpdateError(f"body is a JSON {type(update).__name__}, not an object")
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise InvalidUpdateError("body has no integer update_id")
    if not INT64_MIN <= update_id <= INT64_MAX:
        raise InvalidUpdateError("update_id is outside the signed 64-bit range")
    return update
