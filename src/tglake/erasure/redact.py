"""Pure rules of an erasure: which raw objects are a person's own, and how another person's
update that quotes them is rewritten.

* **Own** (deleted): an update the person sent (message, edit, button press, inline query, poll
  answer, reaction, join request, payment, business connection…), anything in their private
  chat with the bot, and a member change whose member is them.
* **Quoting** (rewritten, the rest kept): every User/Chat object with their id becomes
  ``{"erased": true}``; a message they wrote that is quoted inside another (``reply_to_message``,
  ``pinned_message``…), and a message that forwards their words, loses its text, caption and
  entities (``[apagado]``); a reply's ``quote`` of them and an ``external_reply`` to them go; a
  ``text_mention`` of them, or an ``@username`` mention of one of their usernames, becomes
  ``@pessoa`` in the text (entities moved to match); a contact card with their id or phone
  number becomes ``{"erased": true}``; ``author_signature`` and a hidden forward's
  ``sender_user_name`` equal to their name become ``[removido]``.

What is not found: their name typed as plain words by someone else, without Telegram marking
it as a mention (nothing ties those words to the person).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from tglake import personal, telegram

ERASED: dict[str, Any] = {"erased": True}
"""What replaces a User, Chat or Contact object of the erased person."""
ERASED_TEXT = "[apagado]"
"""What replaces the text of a message the erased person wrote, where another update quotes it."""
ERASED_NAME = "[removido]"

_TEXT_FIELDS = ("text", "caption", "entities", "caption_entities")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", value) if isinstance(value, str) else ""


@dataclasses.dataclass
class Person:
    """The erased person as the raw zone knows them: their ids, and what :meth:`learn` found
    (usernames, names, phone numbers) in the objects that carry their id."""

    ids: frozenset[int]
    usernames: set[str] = dataclasses.field(default_factory=set)
    names: set[str] = dataclasses.field(default_factory=set)
    phones: set[str] = dataclasses.field(default_factory=set)

    def is_me(self, value: Any) -> bool:
        """A User or private Chat object of this person."""
        return isinstance(value, dict) and _int(value.get("id")) in self.ids

    def learn(self, value: Any) -> None:
        """Collect usernames, names and phone numbers from every object with their id."""
        if isinstance(value, list):
            for item in value:
                self.learn(item)
            return
        if not isinstance(value, dict):
            return
        if _int(value.get("id")) in self.ids and ("is_bot" in value or "type" in value):
            if isinstance(value.get("username"), str):
                self.usernames.add(value["username"].lower())
            parts = [value.get(k) for k in ("first_name", "last_name")]
            names = [p for p in parts if isinstance(p, str) and p]
            if names:
                self.names.add(" ".join(names))
        if _int(value.get("user_id")) in self.ids and _digits(value.get("phone_number")):
            self.phones.add(_digits(value["phone_number"]))
        for child in value.values():
            self.learn(child)


def is_own(update: Mapping[str, Any], person: Person) -> bool:
    """An update that is the person's own (see the module doc)."""
    if telegram.chat_id_of(update) in person.ids:
        return True  # their private chat with the bot
    for kind in ("chat_member", "my_chat_member"):
        event = update.get(kind)
        if isinstance(event, dict):
            member = event.get("new_chat_member") or event.get("old_chat_member") or {}
            return isinstance(member, dict) and person.is_me(member.get("user"))
    for kind in ("chat_join_request", "business_connection"):
        event = update.get(kind)
        if isinstance(event, dict) and _int(event.get("user_chat_id")) in person.ids:
            return True
    return personal.sender_id(update) in person.ids


def _forwards_them(message: Mapping[str, Any], person: Person) -> bool:
    origin = message.get("forward_origin")
    if isinstance(origin, dict):
        if person.is_me(origin.get("sender_user")):
            return True
        if origin.get("sender_user_name") in person.names:
            return True
    return person.is_me(message.get("forward_from")) or (
        message.get("forward_sender_name") in person.names
    )


def _is_message(value: Mapping[str, Any]) -> bool:
    return "message_id" in value and ("chat" in value or "date" in value)


def _mention_chooser(person: Person) -> personal.Chooser:
    def choose(entity: dict[str, Any], covered: str) -> str | None:
        kind = entity.get("type")
        if kind == "text_mention" and person.is_me(entity.get("user")):
            return personal.PLACEHOLDERS["mention"]
        if kind == "mention" and covered.lstrip("@").lower() in person.usernames:
            return personal.PLACEHOLDERS["mention"]
        if kind == "phone_number" and _digits(covered) in person.phones:
            return personal.PLACEHOLDERS["phone_number"]
        return None

    return choose


def _scrub(value: Any, person: Person) -> Any:
    """``value`` with every trace of the person replaced (see the module doc)."""
    if isinstance(value, list):
        return [_scrub(item, person) for item in value]
    if not isinstance(value, dict):
        return value
    if person.is_me(value):
        return dict(ERASED)
    if "phone_number" in value and (
        _int(value.get("user_id")) in person.ids or _digits(value["phone_number"]) in person.phones
    ):
        return dict(ERASED)  # a contact card of theirs
    out = dict(value)
    if _is_message(value) and (person.is_me(value.get("from")) or _forwards_them(value, person)):
        for field in _TEXT_FIELDS:
            out.pop(field, None)
        if "text" in value or "caption" in value:
            out["text" if "text" in value else "caption"] = ERASED_TEXT
    reply = value.get("reply_to_message")
    if isinstance(reply, dict) and person.is_me(reply.get("from")):
        out.pop("quote", None)
    external = value.get("external_reply")
    if isinstance(external, dict) and person.is_me(
        _dict(external.get("origin")).get("sender_user")
    ):
        out["external_reply"] = dict(ERASED)
    for text_field, entities_field in (("text", "entities"), ("caption", "caption_entities")):
        text, entities = out.get(text_field), out.get(entities_field)
        if isinstance(text, str) and isinstance(entities, list):
            out[text_field], out[entities_field] = personal.redact_spans(
                text, entities, _mention_chooser(person)
            )
    for name_field in ("author_signature", "sender_user_name", "forward_sender_name"):
        if out.get(name_field) in person.names:
            out[name_field] = ERASED_NAME
    return {key: _scrub(child, person) for key, child in out.items()}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def redact(update: Mapping[str, Any], person: Person) -> dict[str, Any] | None:
    """Another person's update with the erased person's traces replaced, or None when it holds
    none (then its raw object stays byte for byte)."""
    scrubbed = _scrub(copy.deepcopy(dict(update)), person)
    return None if scrubbed == update else scrubbed


def redact_event(event: Mapping[str, Any], person: Person) -> dict[str, Any] | None:
    """A bot event of another person whose query names the erased person by ``@username``."""
    query = event.get("query")
    if not isinstance(query, str) or not person.usernames:
        return None
    pattern = "|".join(re.escape(u) for u in sorted(person.usernames))
    cleaned = re.sub(rf"@(?:{pattern})\b", personal.PLACEHOLDERS["mention"], query, flags=re.I)
    return None if cleaned == query else {**event, "query": cleaned}


def event_is_theirs(event: Mapping[str, Any], person: Person) -> bool:
    """A bot event of the person: asked by them, or in their private chat."""
    if _int(event.get("user_id")) in person.ids:
        return True
    chat_id = _int(event.get("chat_id"))
    return chat_id in person.ids
