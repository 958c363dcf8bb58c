"""Where an update holds personal data: who sent it, and the spans of text that name people.

The raw zone keeps updates as Telegram sent them (names, usernames, phone numbers, user ids);
the enriched zone keeps none of them (see ``docs/privacy.md``). Two facts serve both the ETL and
the erasure (``tglake forget``):

* :func:`sender_of`: the Telegram user whose action an update is, whatever its kind;
* :func:`redact_spans`: a text with the spans Telegram marked as naming someone (``@username``
  mentions, mentions of users without a username, phone numbers, e-mail addresses) replaced by
  a placeholder. Placeholders start with ``@`` so word counts skip them like any mention.

Entity offsets and lengths count UTF-16 code units, as the Bot API says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tglake.telegram import MESSAGE_KINDS, payload_of

PLACEHOLDERS: dict[str, str] = {
    "mention": "@pessoa",
    "text_mention": "@pessoa",
    "phone_number": "@telefone",
    "email": "@email",
}
"""Entity types that name or reach a person, and what replaces their text."""

_SENDER_FIELDS: tuple[tuple[str, str], ...] = (
    *((kind, "from") for kind in MESSAGE_KINDS),
    ("callback_query", "from"),
    ("inline_query", "from"),
    ("chosen_inline_result", "from"),
    ("shipping_query", "from"),
    ("pre_checkout_query", "from"),
    ("purchased_paid_media", "from"),
    ("poll_answer", "user"),
    ("my_chat_member", "from"),
    ("chat_member", "from"),
    ("chat_join_request", "from"),
    ("message_reaction", "user"),
    ("business_connection", "user"),
)
"""(update kind, field of its payload that holds the acting User)."""


def sender_of(update: Mapping[str, Any]) -> dict[str, Any] | None:
    """The User whose action the update is (``from``, ``user``…), or None (a channel post
    signed by its channel, a poll's new state, an anonymous reaction count…)."""
    for kind, field in _SENDER_FIELDS:
        payload = update.get(kind)
        if isinstance(payload, dict):
            user = payload.get(field)
            return user if isinstance(user, dict) else None
    return None


def sender_id(update: Mapping[str, Any]) -> int | None:
    """The id of :func:`sender_of`, when it is an integer."""
    user = sender_of(update)
    value = user.get("id") if user else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def message_text(update: Mapping[str, Any]) -> tuple[str | None, list[Any]]:
    """The text (or caption) of the Message an update carries, with its entities."""
    found = payload_of(update, MESSAGE_KINDS)
    if found is None:
        return None, []
    message = found[1]
    if isinstance(message.get("text"), str):
        return message["text"], _list(message.get("entities"))
    caption = message.get("caption")
    return (caption if isinstance(caption, str) else None), _list(message.get("caption_entities"))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _span(entity: Any) -> tuple[int, int] | None:
    if not isinstance(entity, dict):
        return None
    offset, length = entity.get("offset"), entity.get("length")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (offset, length)):
        return None
    assert isinstance(offset, int)
    assert isinstance(length, int)
    return (offset, length) if offset >= 0 and length > 0 else None


def _units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _text(units: bytes) -> str:
    return units.decode("utf-16-le", "surrogatepass")


_SHAPES: dict[str, re.Pattern[str]] = {
    "mention": re.compile(r"@[A-Za-z0-9_]{1,32}"),
    "phone_number": re.compile(r"\+?[\d\s().-]*\d[\d\s().-]*"),
    "email": re.compile(r"[^\s@]+@[^\s@]+"),
    "text_mention": re.compile(r".*\S.*", re.S),
}
"""What the text an entity of each person-naming type covers must look like."""


def holds_what_it_says(entity: dict[str, Any], covered: str) -> bool:
    """The span's text is what its type says: a ``mention`` covers one ``@username``, a
    ``phone_number`` a number, an ``email`` an address, a ``text_mention`` some text. A client
    that counted offsets wrongly (or in other units) marks the wrong letters, and replacing
    them would damage the text without removing any name."""
    shape = _SHAPES.get(str(entity.get("type")))
    return shape is None or shape.fullmatch(covered) is not None


Chooser = Callable[[dict[str, Any], str], str | None]
"""``(entity, the text it covers) → placeholder``, or None to keep that span."""


def by_type(entity: dict[str, Any], _covered: str) -> str | None:
    """The default chooser: every entity that names or reaches a person."""
    kind = entity.get("type")
    return PLACEHOLDERS.get(kind) if isinstance(kind, str) else None


def redact_spans(
    text: str, entities: list[Any], choose: Chooser = by_type
) -> tuple[str, list[Any]]:
    """``text`` with the chosen entity spans replaced, and the entities moved to match (a
    replaced entity keeps its type and loses any ``user``/``url``). Only a span that lies
    inside the text (UTF-16 code units) and covers what its type says
    (:func:`holds_what_it_says`) is offered to ``choose``; malformed, overlapping or misplaced
    entities are left alone; the result never holds a replaced span's text."""
    units = _units(text)
    chosen: list[tuple[int, int, str, int]] = []
    for index, entity in enumerate(entities):
        span = _span(entity)
        if span is None or 2 * (span[0] + span[1]) > len(units):
            continue  # not inside the text: whatever it covers is not what Telegram marked
        start, length = span
        covered = _text(units[2 * start : 2 * (start + length)])
        if not holds_what_it_says(entity, covered):
            continue
        placeholder = choose(entity, covered)
        if placeholder is not None:
            chosen.append((start, length, placeholder, index))
    if not chosen:
        return text, entities
    chosen.sort()
    pieces: list[bytes] = []
    shifts: list[tuple[int, int]] = []  # (position in old units, shift after it)
    position, shift = 0, 0
    replaced: dict[int, tuple[int, int]] = {}
    for start, length, placeholder, index in chosen:
        if start < position:
            continue  # overlaps a span already replaced
        pieces.append(units[2 * position : 2 * start])
        new = _units(placeholder)
        replaced[index] = (start + shift, len(new) // 2)
        pieces.append(new)
        shift += len(new) // 2 - length
        position = start + length
        shifts.append((position, shift))
    pieces.append(units[2 * position :])

    def moved(offset: int) -> int:
        delta = 0
        for at, total in shifts:
            if offset >= at:
                delta = total
        return offset + delta

    moved_entities: list[Any] = []
    for index, entity in enumerate(entities):
        if index in replaced:
            offset, length = replaced[index]
            kept = {k: v for k, v in entity.items() if k not in ("user", "url")}
            moved_entities.append({**kept, "offset": offset, "length": length})
        elif (span := _span(entity)) is not None:
            end = moved(span[0] + span[1])
            start = moved(span[0])
            moved_entities.append({**entity, "offset": start, "length": max(end - start, 0)})
        else:
            moved_entities.append(entity)
    return _text(b"".join(pieces)), moved_entities


USERNAME = re.compile(r"(?<![\w@.])@(?!(?:pessoa|telefone|email)\b)[A-Za-z][A-Za-z0-9_]{3,31}\b")
"""An ``@username`` typed without Telegram's mention entity (usernames: 5-32 characters)."""


def redact_text(text: str | None, entities: list[Any]) -> str | None:
    """A message text as the enriched zone keeps it: people-naming entity spans replaced, and
    any ``@username`` left unmarked replaced too."""
    if text is None:
        return None
    if entities:
        text = redact_spans(text, entities)[0]
    return USERNAME.sub(PLACEHOLDERS["mention"], text)


def redact_query(query: str | None, update: Mapping[str, Any]) -> str | None:
    """What the bot was asked (a piece of the update's text), with the spans that name people in
    the whole text replaced wherever they occur in it."""
    if query is None:
        return None
    text, entities = message_text(update)
    if text is not None and entities:
        covered: list[tuple[str, str]] = []

        def note(entity: dict[str, Any], span: str) -> str | None:
            placeholder = by_type(entity, span)
            if placeholder is not None and span.strip():
                covered.append((span, placeholder))
            return placeholder

        redact_spans(text, entities, note)
        for span, placeholder in sorted(covered, key=lambda c: -len(c[0])):
            query = query.replace(span, placeholder)
    return USERNAME.sub(PLACEHOLDERS["mention"], query)
