"""People writing to the bot through the real webhook Lambda handler, each update on a cold start
(a fresh handler, loop and memory, as when Telegram's next update lands on another instance)."""

from __future__ import annotations

import itertools
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.events import proxy_event
from tglake.adapters import lambda_handlers

SECRET = "lambda-contexts-secret-0123456789"
KEY = "lambda-contexts-pseudonym-key-0123456789"
BOT = "MogiEleicoesBot"
GROUP = -1009876543
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
_update_ids = itertools.count(700_000_000)


class LambdaChat:
    """The webhook Lambda of a lake in ``root`` (raw and reference zones in folders), with the
    environment the template gives it; ``table`` names the context table (None: memory)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path, table: str | None) -> None:
        self.root = root
        monkeypatch.setenv("TGLAKE_LAKE", str(root))
        monkeypatch.setenv("TGLAKE_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("TGLAKE_PSEUDONYM_KEY", KEY)
        monkeypatch.setenv("TGLAKE_BOT_USERNAME", BOT)
        if table is not None:
            monkeypatch.setenv("TGLAKE_CONTEXT_TABLE", table)

    def say(self, user_id: int, text: str, *, group: bool = False) -> tuple[int, dict[str, Any]]:
        """Post one message on a fresh cold start; (status, the 200 body's reply)."""
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": "Iracema"}
        if group:
            chat = {"id": GROUP, "type": "supergroup", "title": "Eleições Mogi"}
            text = f"@{BOT} {text}"
        update = {
            "update_id": next(_update_ids),
            "message": {
                "message_id": next(_update_ids) % 100_000,
                "from": {"id": user_id, "is_bot": False, "first_name": "Iracema"},
                "chat": chat,
                "date": 1728241200,
                "text": text,
            },
        }
        event = proxy_event("v2", json.dumps(update).encode(), HEADERS)
        lambda_handlers._cold.clear()
        try:
            answer = lambda_handlers.webhook_handler(event, None)
        finally:
            lambda_handlers._cold.clear()
            logging.getLogger().handlers.clear()
        body: dict[str, Any] = json.loads(answer["body"])
        return answer["statusCode"], body

    def stored_update_ids(self) -> set[int]:
        """The update ids the raw zone holds (Telegram's updates, not the bot's events)."""
        folder = self.root / "raw" / "telegram"
        return {int(json.loads(p.read_bytes())["update_id"]) for p in folder.rglob("*.json")}
