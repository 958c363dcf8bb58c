"""What the bot answers, as data (:class:`Answer`), and as a Bot API method (:func:`to_method`)."""

from __future__ import annotations

import dataclasses
from typing import Any

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

    @property
    def result_count(self) -> int:
        return len(self.matched_ids)


def to_method(answer: Answer) -> dict[str, Any]:
    """The Bot API method dict that goes back in the webhook's 200 body."""
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
