"""The Bot API objects tglake reads, as TypedDicts: mypy checks the field names, nothing runs.

They describe what https://core.telegram.org/bots/api documents, only the fields some code reads
(``total=False``: every field may be absent). They are types, not validation: an update is
stored byte for byte and parsed by :func:`tglake.telegram.parse_update`, which checks only
``update_id``; whoever reads a field still checks its value (``isinstance``) before using it,
because a stranger can post any JSON to the webhook. What mypy checks: the key of
``message["chat"]``, and the type of what ``message.get("chat")`` returns (a ``Chat``, whose
fields are typed in turn); ``message.get("chatt")`` is not an error to mypy, only ``object``.
"""

from __future__ import annotations

from typing import TypedDict


class User(TypedDict, total=False):
    id: int
    is_bot: bool
    first_name: str
    last_name: str
    username: str
    language_code: str
    can_join_groups: bool
    can_read_all_group_messages: bool
    supports_inline_queries: bool


class Chat(TypedDict, total=False):
    id: int
    type: str
    title: str
    username: str


Message = TypedDict(
    "Message",
    {
        "message_id": int,
        "message_thread_id": int,
        "from": User,  # a Python keyword: hence the functional form
        "sender_chat": Chat,
        "chat": Chat,
        "date": int,
        "edit_date": int,
        "text": str,
        "caption": str,
        "reply_to_message": "Message",
        "forward_origin": dict[str, object],
        "contact": dict[str, object],
    },
    total=False,
)


CallbackQuery = TypedDict(
    "CallbackQuery",
    {
        "id": str,
        "from": User,
        "message": Message,
        "inline_message_id": str,
        "data": str,
        "game_short_name": str,
    },
    total=False,
)


class Update(TypedDict, total=False):
    update_id: int
    message: Message
    edited_message: Message
    channel_post: Message
    edited_channel_post: Message
    business_message: Message
    edited_business_message: Message
    callback_query: CallbackQuery


class BotCommand(TypedDict):
    """An entry of ``setMyCommands``: 1-32 of a-z, 0-9, _; a description of 1-256 characters."""

    command: str
    description: str


class WebhookInfo(TypedDict, total=False):
    url: str
    has_custom_certificate: bool
    pending_update_count: int
    ip_address: str
    last_error_date: int
    last_error_message: str
    max_connections: int
    allowed_updates: list[str]
