"""Build a lake the way production does: raw Bot API updates through ``ingest.receive``, the
bot's raw events beside them, then the real ETL of every day (test helper).

Analytics tests must stand on what the pipeline can produce, so none of them writes an enriched
table by hand (``tests/test_fixture_policy.py`` enforces it). Times are written in UTC; each
update is received at the moment it says (an edit at its ``edit_date``), so its raw partition is
that moment's day in ``America/Sao_Paulo``, as in production.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from tglake import etl, jsonbytes, layout
from tglake.config import Settings
from tglake.ingest import webhook as ingest
from tglake.storage import LocalStore

PSEUDONYM_KEY = "analytics-tests-pseudonym-key-0123"


def ts(text: str) -> dt.datetime:
    """An aware UTC datetime from ``YYYY-MM-DD HH:MM[:SS]`` (written in UTC)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def epoch(text: str) -> int:
    return int(ts(text).timestamp())


def person(user_id: int, name: str) -> dict[str, Any]:
    """A Bot API User."""
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "pt-br"}


def group(chat_id: int, title: str, kind: str = "supergroup") -> dict[str, Any]:
    """A Bot API Chat of a group, supergroup or channel."""
    return {"id": chat_id, "title": title, "type": kind}


def private(user: dict[str, Any]) -> dict[str, Any]:
    """The private Chat of ``user`` with the bot: its id is the person's id."""
    return {"id": user["id"], "first_name": user["first_name"], "type": "private"}


@dataclasses.dataclass
class Updates:
    """Raw updates in Bot API shapes, each with the moment it reached the webhook; and bot
    events (the ``bot/`` raw source) with theirs."""

    next_update_id: int = 1
    updates: list[tuple[dict[str, Any], dt.datetime]] = dataclasses.field(default_factory=list)
    events: list[tuple[dict[str, Any], dt.datetime]] = dataclasses.field(default_factory=list)
    _message_ids: dict[int, int] = dataclasses.field(default_factory=dict)

    def add(self, kind: str, payload: dict[str, Any], at: dt.datetime) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append(({"update_id": update_id, kind: payload}, at))
        return update_id

    def message(
        self,
        sender: dict[str, Any] | None,
        chat: dict[str, Any],
        at: str,
        text: str | None = None,
        *,
        caption: str | None = None,
        content: dict[str, Any] | None = None,
        kind: str | None = None,
    ) -> int:
        """A new message (a ``channel_post`` in a channel); returns its message_id."""
        message_id = self._message_ids.get(chat["id"], 0) + 1
        self._message_ids[chat["id"]] = message_id
        message: dict[str, Any] = {"message_id": message_id, "date": epoch(at), "chat": chat}
        if sender is not None:
            message["from"] = sender
        else:
            message["sender_chat"] = chat
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
        if caption is not None:
            message["caption"] = caption
        message.update(content or {})
        self.add(kind or _kind(chat, edited=False), message, ts(at))
        return message_id

    def edit(
        self,
        sender: dict[str, Any] | None,
        chat: dict[str, Any],
        message_id: int,
        sent: str,
        at: str,
        text: str,
    ) -> int:
        """An edit of message ``message_id`` (sent at ``sent``) to ``text``, made at ``at``."""
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": epoch(sent),
            "edit_date": epoch(at),
            "chat": chat,
            "text": text,
        }
        if sender is not None:
            message["from"] = sender
        return self.add(_kind(chat, edited=True), message, ts(at))

    def callback(
        self, sender: dict[str, Any], chat: dict[str, Any], message_id: int, at: str, data: str
    ) -> int:
        bot_message = {"message_id": message_id, "date": epoch(at), "chat": chat, "text": "…"}
        query = {
            "id": f"cb{self.next_update_id}",
            "from": sender,
            "message": bot_message,
            "chat_instance": "-1",
            "data": data,
        }
        return self.add("callback_query", query, ts(at))

    def reaction(
        self, sender: dict[str, Any], chat: dict[str, Any], message_id: int, at: str, emoji: str
    ) -> int:
        event = {
            "chat": chat,
            "message_id": message_id,
            "user": sender,
            "date": epoch(at),
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": emoji}],
        }
        return self.add("message_reaction", event, ts(at))

    def member(
        self,
        actor: dict[str, Any],
        chat: dict[str, Any],
        at: str,
        member: dict[str, Any],
        old: str,
        new: str,
        kind: str = "chat_member",
    ) -> int:
        event = {
            "chat": chat,
            "from": actor,
            "date": epoch(at),
            "old_chat_member": {"status": old, "user": member},
            "new_chat_member": {"status": new, "user": member},
        }
        return self.add(kind, event, ts(at))

    def resend(self, update_id: int, at: str, **changes: Any) -> None:
        """Update ``update_id`` delivered again at ``at``: byte for byte (Telegram's redelivery),
        or with ``changes`` to its payload (a different payload under a known update_id)."""
        update = next(u for u, _ in self.updates if u["update_id"] == update_id)
        if changes:
            kind = next(k for k in update if k != "update_id")
            update = {**update, kind: {**update[kind], **changes}}
        self.updates.append((update, ts(at)))

    def bot_event(self, event: dict[str, Any], at: str | None = None) -> None:
        """A bot event as the responder writes it (``reply_ts`` an ISO string in UTC), stored on
        the day of ``reply_ts`` or of ``at`` (UTC) when given."""
        moment = ts(at) if at else dt.datetime.fromisoformat(event["reply_ts"])
        self.events.append((event, moment))


def _kind(chat: dict[str, Any], *, edited: bool) -> str:
    base = "channel_post" if chat["type"] == "channel" else "message"
    return f"edited_{base}" if edited else base


def settings_for(lake: Path, timezone: str = "America/Sao_Paulo") -> Settings:
    return Settings.from_env(
        {
            "TGLAKE_LAKE": str(lake),
            "TGLAKE_PSEUDONYM_KEY": PSEUDONYM_KEY,
            "TGLAKE_TIMEZONE": timezone,
        }
    )


def build_lake(lake: Path, updates: Updates, timezone: str = "America/Sao_Paulo") -> Path:
    """Ingest ``updates`` into ``lake``'s raw zone, run the ETL on every day; returns ``lake``."""
    settings = settings_for(lake, timezone)
    raw = LocalStore(lake / "raw")
    enriched = LocalStore(lake / "enriched")
    days: set[dt.date] = set()
    ids: set[tuple[dt.date, int]] = set()
    payloads: set[tuple[dt.date, int, bytes]] = set()
    for update, at in updates.updates:
        body = json.dumps(update, ensure_ascii=False).encode()
        outcome = ingest.receive(body, {}, settings=settings, store=raw, now=at)
        day = layout.context_date(at, settings.tz)
        key = (day, update["update_id"])
        expected = (
            "duplicate" if (*key, body) in payloads else "conflict" if key in ids else "stored"
        )
        assert outcome.status == expected, outcome
        ids.add(key)
        payloads.add((*key, body))
        days.add(day)
    for event, at in updates.events:
        day = layout.context_date(at, settings.tz)
        body = jsonbytes.dumps(event, sort_keys=True)
        ingest.store_update(raw, day, event["update_id"], body, source=layout.BOT_SOURCE)
        days.add(day)
    for day in sorted(days):
        report = etl.run_day(day, settings=settings, raw=raw, enriched=enriched)
        assert not report.rejects, report.rejects
    return lake


def messages_lake(
    lake: Path, texts: list[tuple[str, str, int]], timezone: str = "America/Sao_Paulo"
) -> Path:
    """A lake of text messages in one supergroup: ``(UTC time, text, sender id)`` each."""
    updates = Updates()
    chat = group(-1009, "Grupo")
    for at, text, sender in texts:
        updates.message(person(sender, f"P{sender}"), chat, at, text)
    return build_lake(lake, updates, timezone)
