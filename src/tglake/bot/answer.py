"""What the bot answers, as data (:class:`Answer`), and as Bot API methods (:func:`to_methods`).

A long reply becomes several ``sendMessage`` calls, split at line breaks (the cards keep each
line's tags on that line, so a split never leaves a tag open); a button press becomes an
``answerCallbackQuery`` (the button stops spinning) followed by the card.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tglake.bot.context import Context

PART_LIMIT = 4000
"""Characters per message part, under Telegram's 4,096 (room for entities' growth)."""

Buttons = list[list[tuple[str, str]]]


@dataclasses.dataclass(frozen=True)
class Answer:
    """The reply and what the bot understood, for the bot event."""

    chat_id: int
    text: str
    command: str
    query: str | None = None
    matched_kind: str = "none"
    matched_ids: tuple[str, ...] = ()
    answered: bool = True
    buttons: Buttons | None = None
    reply_to_message_id: int | None = None
    callback_query_id: str | None = None
    method: str = "sendMessage"
    toast: str | None = None
    """With a card sent after a button press: the ``answerCallbackQuery`` text (may be empty)."""
    context: Context | None = dataclasses.field(default=None, compare=False)
    """What the conversation should remember for a follow-up (None: nothing new)."""

    @property
    def result_count(self) -> int:
        return len(self.matched_ids)


def split_text(text: str, limit: int = PART_LIMIT) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line breaks (a single over-long line is
    cut at its last space before the limit, never inside a tag: the cards close every tag on
    the line that opens it, and a cut line keeps no tag open when tags are short)."""
    if len(text) <= limit:  # nearly every answer: one part
        return [text]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                parts.append("\n".join(current))
                current, size = [], 0
            parts.append(line[:cut])
            line = line[cut:].lstrip()
        if current and size + len(line) + 1 > limit:
            parts.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        parts.append("\n".join(current))
    return [p for p in parts if p.strip()] or [text[:limit]]


def to_methods(answer: Answer) -> list[dict[str, Any]]:
    """Every Bot API call of one answer, in the order they must reach the user."""
    if answer.method == "answerCallbackQuery":
        return [to_method(answer)]
    methods: list[dict[str, Any]] = []
    if answer.callback_query_id is not None:
        methods.append(
            {
                "method": "answerCallbackQuery",
                "callback_query_id": answer.callback_query_id,
                "text": answer.toast or "",
            }
        )
    parts = split_text(answer.text)
    if len(parts) == 1 and answer.callback_query_id is None:
        return [to_method(answer)]
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        one = dataclasses.replace(
            answer,
            text=part,
            buttons=answer.buttons if last else None,
            reply_to_message_id=answer.reply_to_message_id if i == 0 else None,
            callback_query_id=None,
        )
        methods.append(to_method(one))
    return methods


def to_method(answer: Answer) -> dict[str, Any]:
    """One Bot API method dict (the first message of a long answer: see :func:`to_methods`)."""
    if answer.method == "answerCallbackQuery":
        return {
            "method": "answerCallbackQuery",
            "callback_query_id": answer.callback_query_id,
            "text": answer.text,
            "show_alert": False,
        }
    method: dict[str, Any] = {
        "method": "sendMessage",
        "chat_id": answer.chat_id,
        "text": answer.text,
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    if answer.reply_to_message_id is not None:
        method["reply_parameters"] = {
            "message_id": answer.reply_to_message_id,
            "allow_sending_without_reply": True,
        }
    if answer.buttons:
        method["reply_markup"] = {
            "inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row]
                for row in answer.buttons
            ]
        }
    return method
