"""Bot API object builders (User, Chat, Message parts, entities), shaped like the fixtures in
``tests/fixtures/updates`` and the Bot API docs (https://core.telegram.org/bots/api)."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import string
from typing import Any

BOT_USER: dict[str, Any] = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Mogi Eleições",
    "username": "MogiEleicoesBot",
}
MAIN_GROUP: dict[str, Any] = {
    "id": -1001234567890,
    "title": "Eleições Mogi 2024",
    "type": "supergroup",
}
BAIRRO_GROUP: dict[str, Any] = {
    "id": -1001987654321,
    "title": "Moradores de Braz Cubas",
    "type": "supergroup",
}
CHANNEL: dict[str, Any] = {"id": -1009876543210, "title": "Notícias de Mogi", "type": "channel"}

_HASHTAG = re.compile(r"#\w+")
_FILE_CHARS = string.ascii_letters + string.digits + "-_"


@dataclasses.dataclass(frozen=True)
class Person:
    """A simulated user and their habits."""

    user: dict[str, Any]
    bairro: str
    chronotype: str  # "morning", "day" or "night": when they tend to write
    talks_privately: bool

    @property
    def id(self) -> int:
        user_id: int = self.user["id"]
        return user_id

    def private_chat(self) -> dict[str, Any]:
        chat = {"id": self.id, "first_name": self.user["first_name"]}
        if "username" in self.user:
            chat["username"] = self.user["username"]
        chat["type"] = "private"
        return chat

    def short(self) -> dict[str, Any]:
        """The User as it appears inside reactions and member updates (no language_code)."""
        return {k: v for k, v in self.user.items() if k != "language_code"}


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units (Bot API MessageEntity)."""
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """bot_command and hashtag entities of a text, as Telegram computes them."""
    found = []
    if text.startswith("/"):
        command = text.split(" ", 1)[0]
        found.append({"offset": 0, "length": utf16_len(command), "type": "bot_command"})
    for match in _HASHTAG.finditer(text):
        found.append(
            {
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
                "type": "hashtag",
            }
        )
    return found


def with_text(message: dict[str, Any], text: str, *, field: str = "text") -> dict[str, Any]:
    """Put ``text`` (or a caption) and its entities on a message."""
    message[field] = text
    found = entities(text)
    if found:
        message["entities" if field == "text" else "caption_entities"] = found
    return message


def file_ids(rng: random.Random) -> dict[str, str]:
    return {
        "file_id": "AgACAgEAAxkBAA" + "".join(rng.choices(_FILE_CHARS, k=40)),
        "file_unique_id": "AQAD" + "".join(rng.choices(_FILE_CHARS, k=10)),
    }


def photo_sizes(rng: random.Random) -> list[dict[str, Any]]:
    width, height = rng.choice([(1280, 960), (960, 1280), (1280, 720), (720, 1280)])
    sizes = []
    for scale in (0.07, 0.25, 1.0):
        w, h = max(1, int(width * scale)), max(1, int(height * scale))
        sizes.append({**file_ids(rng), "file_size": int(w * h * 0.12), "width": w, "height": h})
    return sizes


def encode(update: dict[str, Any]) -> bytes:
    """The body as Telegram sends it: compact JSON, UTF-8 (non-ASCII not escaped)."""
    return json.dumps(update, ensure_ascii=False, separators=(",", ":")).encode()
