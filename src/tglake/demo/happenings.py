"""The other things that happen in a chat: media, forwards, channel posts, button presses,
reactions, people joining and leaving. Each takes the :class:`~tglake.demo.chat.Chat` state
and returns the updates of one event."""

from __future__ import annotations

import copy
import datetime as dt
from collections import deque
from typing import Any

from tglake.demo import texts
from tglake.demo.chat import Chat, Update
from tglake.demo.shapes import CHANNEL, MAIN_GROUP, Person, file_ids, photo_sizes, with_text


def photo(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    chat = talk.group_for(person) or person.private_chat()
    message = talk.new_message(person, chat, at)
    message["photo"] = photo_sizes(talk.rng)
    if talk.rng.random() < 0.7:
        with_text(message, talk.fill(talk.rng.choice(texts.CAPTIONS), person), field="caption")
    talk.remember(message)
    return [("message", {"message": message})]


def sticker(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    chat = talk.group_for(person) or person.private_chat()
    message = talk.new_message(person, chat, at)
    emoji = talk.rng.choice(texts.STICKER_EMOJIS)
    message["sticker"] = {
        **file_ids(talk.rng),
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    talk.remember(message)
    return [("message", {"message": message})]


def voice(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    chat = talk.group_for(person) or person.private_chat()
    message = talk.new_message(person, chat, at)
    duration = talk.rng.randint(2, 90)
    message["voice"] = {
        **file_ids(talk.rng),
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": duration * 4100,
    }
    talk.remember(message)
    return [("message", {"message": message})]


def forward(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    chat = talk.group_for(person) or person.private_chat()
    message = talk.new_message(person, chat, at)
    rng = talk.rng
    then = message["date"] - rng.randrange(60, 3 * 86400)
    roll = rng.random()
    if roll < 0.6:
        origin: dict[str, Any] = {
            "type": "channel",
            "chat": CHANNEL,
            "message_id": rng.randrange(100, 400),
            "date": then,
        }
    elif roll < 0.85:
        origin = {"type": "user", "sender_user": rng.choice(talk.people).short(), "date": then}
    else:
        origin = {
            "type": "hidden_user",
            "sender_user_name": rng.choice(texts.FORWARDED_NAMES),
            "date": then,
        }
    message["forward_origin"] = origin
    with_text(message, talk.fill(rng.choice(texts.FORWARD_TEXTS), person))
    talk.remember(message)
    return [("message", {"message": message})]


def channel_post(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    post = {
        "message_id": talk.take_id(CHANNEL),
        "sender_chat": CHANNEL,
        "chat": CHANNEL,
        "date": int(at.timestamp()),
    }
    with_text(post, talk.fill(talk.rng.choice(texts.CHANNEL_POSTS), person))
    talk.recent.setdefault(CHANNEL["id"], deque(maxlen=10)).append(post)
    return [("channel_post", {"channel_post": post})]


def edit_channel_post(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    posts = talk.recent.get(CHANNEL["id"])
    if not posts:
        return channel_post(talk, person, at, election)
    edited = copy.deepcopy(talk.rng.choice(posts))
    edited["edit_date"] = max(int(at.timestamp()), edited["date"] + 1)
    with_text(edited, edited["text"].replace("hoje", "amanhã") + " (atualizado)")
    return [("edited_channel_post", {"edited_channel_post": edited})]


def callback(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    said = talk.bot_said.get(person.id)  # the bot's answers in their private chat
    if not said and person.id in talk.members:
        said = talk.bot_said.get(MAIN_GROUP["id"])
    if not said:
        return talk.command(person, at, election)
    answer = talk.rng.choice(said)
    button = talk.rng.choice(answer["reply_markup"]["inline_keyboard"])[0]
    return [
        (
            "callback_query",
            {
                "callback_query": {
                    "id": str(talk.rng.randrange(10**17, 10**18)),
                    "from": person.user,
                    "message": answer,
                    "chat_instance": str(-talk.rng.randrange(10**9, 10**10)),
                    "data": button["callback_data"],
                }
            },
        )
    ]


def reaction(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    recent = talk.recent.get(MAIN_GROUP["id"])
    if not recent or person.id not in talk.members:
        return talk.text(person, at, election)
    target = talk.rng.choice(recent)
    rng = talk.rng
    roll = rng.random()
    emoji = [{"type": "emoji", "emoji": rng.choice(texts.REACTIONS)}]
    old, new = (
        ([], emoji)
        if roll < 0.85
        else (
            [{"type": "emoji", "emoji": rng.choice(texts.REACTIONS)}],
            emoji if roll < 0.95 else [],
        )
    )
    return [
        (
            "message_reaction",
            {
                "message_reaction": {
                    "chat": MAIN_GROUP,
                    "message_id": target["message_id"],
                    "user": person.short(),
                    "date": int(at.timestamp()),
                    "old_reaction": old,
                    "new_reaction": new,
                }
            },
        )
    ]


def member_change(talk: Chat, person: Person, at: dt.datetime, joined: bool) -> list[Update]:
    before, after = ("left", "member") if joined else ("member", "left")
    change = {
        "chat": MAIN_GROUP,
        "from": person.short(),
        "date": int(at.timestamp()),
        "old_chat_member": {"status": before, "user": person.short()},
        "new_chat_member": {"status": after, "user": person.short()},
    }
    service = talk.new_message(person, MAIN_GROUP, at)
    if joined:
        service["new_chat_members"] = [person.short()]
        talk.members.add(person.id)
    else:
        service["left_chat_member"] = person.short()
        talk.members.discard(person.id)
    return [("chat_member", {"chat_member": change}), ("message", {"message": service})]


def join(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    outsiders = [p for p in talk.people if p.id not in talk.members]
    if not outsiders:
        return talk.text(person, at, election)
    return member_change(talk, talk.rng.choice(outsiders), at, joined=True)


def leave(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    if person.id not in talk.members or person is talk.people[0]:
        return talk.text(person, at, election)
    return member_change(talk, person, at, joined=False)
