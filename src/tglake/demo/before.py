"""The group before the bot joined: a Telegram Desktop export made by its admin.

The same simulator (the same people, so the same ``user_key`` later; the same texts and habits)
talks in the main group for a few days before the webhook week. Its Bot API messages are written
the way Telegram Desktop's "Export chat history" (format "Machine-readable JSON") writes them
(see :mod:`tglake.tdexport`): ``date`` in local time plus ``date_unixtime`` as a string, ``text``
as a string or an array of entity parts, media as "File not included" placeholders, joins and
leaves as service messages, reactions as counts. Message ids run 1…N: the group's history
starts there, below every id of the webhook week.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tglake import tdexport
from tglake.demo.candidates import Candidate
from tglake.demo.conversation import Conversation, make_people
from tglake.demo.shapes import MAIN_GROUP
from tglake.demo.simulate import BRASILIA, SimConfig, _times, hour_weights

DAYS = 3
EVENTS_PER_DAY = 300
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
_ENTITY_TYPES = {"bot_command": "bot_command", "hashtag": "hashtag", "mention": "mention",
                 "url": "link", "bold": "bold", "italic": "italic"}  # fmt: skip


def _name(user: dict[str, Any]) -> str:
    return " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)


def _stamp(seconds: int) -> dict[str, str]:
    local = dt.datetime.fromtimestamp(seconds, BRASILIA).replace(tzinfo=None)
    return {"date": local.isoformat(), "date_unixtime": str(seconds)}


def export_text(text: str, entities: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``text`` and ``text_entities`` as tdesktop's ``SerializeText`` writes them: a plain string
    when there is no entity, else an array of strings and ``{"type", "text"}`` parts (entity
    offsets count UTF-16 code units, as in the Bot API)."""
    units = text.encode("utf-16-le")
    parts: list[dict[str, Any]] = []
    at = 0
    for entity in sorted(entities, key=lambda e: int(e["offset"])):
        start, end = 2 * int(entity["offset"]), 2 * (int(entity["offset"]) + int(entity["length"]))
        if start < at:
            continue
        if start > at:
            parts.append({"type": "plain", "text": units[at:start].decode("utf-16-le")})
        kind = _ENTITY_TYPES.get(str(entity.get("type")), "unknown")
        parts.append({"type": kind, "text": units[start:end].decode("utf-16-le")})
        at = end
    if at < len(units):
        parts.append({"type": "plain", "text": units[at:].decode("utf-16-le")})
    if len(parts) == 1 and parts[0]["type"] == "plain":
        return {"text": text, "text_entities": parts}
    return {
        "text": [p["text"] if p["type"] == "plain" else p for p in parts],
        "text_entities": parts,
    }


class _Exporter:
    def __init__(self) -> None:
        self.messages: dict[int, dict[str, Any]] = {}
        """Export messages by the simulator's message id, in the order they were sent."""

    def message(self, message: dict[str, Any]) -> None:
        if message.get("chat", {}).get("id") != MAIN_GROUP["id"]:
            return  # the export holds the group's history, not private chats
        text = message.get("text", message.get("caption", ""))
        if text.startswith("/"):
            return  # no bot in the group yet: nobody asks it anything
        user = message["from"]
        out: dict[str, Any] = {"id": message["message_id"], "type": "message"}
        out.update(_stamp(message["date"]))
        joined, left = message.get("new_chat_members"), message.get("left_chat_member")
        if joined or left:
            out.update(type="service", actor=_name(user), actor_id=f"user{user['id']}")
            members = [_name(left)] if left else [_name(m) for m in joined or []]
            out["action"] = "remove_members" if left else "join_group_by_link"
            out.update({"members": members} if left else {"inviter": "Eleições Mogi 2024"})
            self.messages[message["message_id"]] = {**out, "text": "", "text_entities": []}
            return
        out.update({"from": _name(user), "from_id": f"user{user['id']}"})
        origin = message.get("forward_origin")
        if isinstance(origin, dict):
            sender = origin.get("chat") or origin.get("sender_user") or {}
            out["forwarded_from"] = (
                sender.get("title") or _name(sender) or origin.get("sender_user_name")
            )
        if isinstance(message.get("reply_to_message"), dict):
            out["reply_to_message_id"] = message["reply_to_message"]["message_id"]
        if "photo" in message:
            biggest = message["photo"][-1]
            out.update(photo=NOT_INCLUDED, photo_file_size=biggest.get("file_size", 0),
                       width=biggest["width"], height=biggest["height"])  # fmt: skip
        elif "sticker" in message:
            out.update(file=NOT_INCLUDED, file_name="sticker.webp", media_type="sticker",
                       sticker_emoji=message["sticker"].get("emoji", ""),
                       mime_type="image/webp", width=512, height=512)  # fmt: skip
        elif "voice" in message:
            voice = message["voice"]
            out.update(file=NOT_INCLUDED, media_type="voice_message", mime_type="audio/ogg",
                       duration_seconds=voice["duration"])  # fmt: skip
        entities = message.get("entities", message.get("caption_entities", []))
        out.update(export_text(text, entities))
        self.messages[message["message_id"]] = out

    def edit(self, message: dict[str, Any]) -> None:
        target = self.messages.get(message["message_id"])
        if target is None or message.get("chat", {}).get("id") != MAIN_GROUP["id"]:
            return
        stamp = _stamp(message["edit_date"])
        target.update(edited=stamp["date"], edited_unixtime=stamp["date_unixtime"])
        target.update(export_text(message["text"], message.get("entities", [])))

    def reaction(self, event: dict[str, Any]) -> None:
        target = self.messages.get(event["message_id"])
        if target is None or event.get("chat", {}).get("id") != MAIN_GROUP["id"]:
            return
        counts = {r["emoji"]: r["count"] for r in target.get("reactions", [])}
        for reaction in event.get("new_reaction", []):
            if reaction.get("type") == "emoji":
                counts[reaction["emoji"]] = counts.get(reaction["emoji"], 0) + 1
        target["reactions"] = [
            {"type": "emoji", "count": n, "emoji": e} for e, n in sorted(counts.items())
        ]


def export_before(
    candidates: Sequence[Candidate],
    config: SimConfig,
    *,
    days: int = DAYS,
    events_per_day: int = EVENTS_PER_DAY,
) -> dict[str, Any]:
    """The main group's export of the ``days`` before ``config.first_day`` (a dict, as tdesktop
    writes the file: a single-chat export)."""
    people = make_people(random.Random(config.seed), config.people)  # noqa: S311 - simulation
    rng = random.Random(config.seed + 1)  # noqa: S311 - a simulation, not a secret
    talk = Conversation(rng, people, candidates, config.last_day)
    talk.next_id[MAIN_GROUP["id"]] = 0
    exporter = _Exporter()
    for back in range(days, 0, -1):
        day = config.first_day - dt.timedelta(days=back)
        for at in _times(rng, day, events_per_day, hour_weights(day, config)):
            for kind, update in talk.next_updates(at, day):
                if kind == "message":
                    exporter.message(update["message"])
                elif kind == "edited_message":
                    exporter.edit(update["edited_message"])
                elif kind == "message_reaction":
                    exporter.reaction(update["message_reaction"])
    mapped = -int(MAIN_GROUP["id"]) - tdexport.CHANNEL_OFFSET
    return {
        "name": MAIN_GROUP["title"],
        "type": "public_supergroup",
        "id": mapped,
        "messages": list(exporter.messages.values()),
    }


def write_export(document: dict[str, Any], folder: Path) -> Path:
    """``result.json`` as tdesktop writes it (UTF-8, one-space indentation)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "result.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
