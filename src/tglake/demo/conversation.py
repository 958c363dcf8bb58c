"""Who says what next: the state of the simulated chats and the updates it produces.

A :class:`Conversation` remembers message ids per chat, recent messages (to reply to, edit and
react to), the bot's answers (for button presses) and who is in the group (to join and leave).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import random
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from tglake.demo import texts
from tglake.demo.candidates import Candidate
from tglake.demo.shapes import (
    BAIRRO_GROUP,
    BOT_USER,
    CHANNEL,
    MAIN_GROUP,
    Person,
    encode,
    file_ids,
    photo_sizes,
    with_text,
)

Update = tuple[str, dict[str, Any]]  # (kind, the update without its update_id)

KIND_WEIGHTS: dict[str, float] = {
    "text": 46,
    "command": 10,
    "private": 2,
    "edit": 3.5,
    "photo": 5,
    "sticker": 4.5,
    "voice": 2,
    "forward": 3,
    "channel_post": 2,
    "edit_channel_post": 0.4,
    "callback": 3,
    "reaction": 9,
    "join": 1.2,
    "leave": 0.6,
}
"""Relative frequency of each kind of event (a join or a leave makes two updates)."""

COMMANDS = ("/candidato", "/partido", "/prefeito", "/vereadores", "/bairro", "/ajuda")
CHRONOTYPES = ("morning", "day", "night")


def make_people(rng: random.Random, count: int) -> list[Person]:
    """``count`` people, most active first (their order is their Zipf rank)."""
    ids = rng.sample(range(100_000_000, 8_000_000_000), count)
    people = []
    for user_id in ids:
        first = rng.choice(texts.FIRST_NAMES)
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first}
        if rng.random() < 0.7:
            user["last_name"] = rng.choice(texts.LAST_NAMES)
        if rng.random() < 0.5:
            handle = first.lower().replace(" ", "_").encode("ascii", "ignore").decode()
            user["username"] = f"{handle or 'mogiano'}{rng.randrange(10, 9999)}"
        language = rng.choices(["pt-br", None, "en", "es"], weights=[85, 8, 5, 2])[0]
        if language:
            user["language_code"] = language
        people.append(
            Person(
                user=user,
                bairro=rng.choice(texts.BAIRROS),
                chronotype=rng.choices(CHRONOTYPES, weights=[25, 50, 25])[0],
                talks_privately=rng.random() < 0.15,
            )
        )
    return people


class Conversation:
    """The chats' state; :meth:`next_updates` makes the next event's updates."""

    def __init__(
        self,
        rng: random.Random,
        people: Sequence[Person],
        candidates: Sequence[Candidate],
        election_day: dt.date,
    ) -> None:
        self.rng = rng
        self.people = list(people)
        self.election_day = election_day
        self.prefeitos = [c for c in candidates if c.office == "Prefeito"] or list(candidates)
        self.prefeito_cum = list(itertools.accumulate(c.votes + 1000 for c in self.prefeitos))
        vereadores = [c for c in candidates if c.office == "Vereador"] or list(candidates)
        rng.shuffle(vereadores)  # ties in votes are broken at random, the same for a seed
        # the most voted are talked about most, and far more than the rest (Zipf again)
        self.vereadores = sorted(vereadores, key=lambda c: -c.votes)
        self.vereador_cum = list(itertools.accumulate(1 / (i + 1) for i in range(len(vereadores))))
        self.parties = sorted({c.party for c in candidates})
        self.cum_by_chronotype = {
            kind: list(
                itertools.accumulate(
                    (3.0 if p.chronotype == kind else 1.0) / (rank + 1) ** 1.05
                    for rank, p in enumerate(self.people)
                )
            )
            for kind in CHRONOTYPES
        }
        self.members = {p.id for p in self.people if rng.random() < 0.92}
        self.next_id: dict[int, int] = {}
        self.recent: dict[int, deque[dict[str, Any]]] = {}
        self.bot_said: dict[int, deque[dict[str, Any]]] = {}
        self.kinds = list(KIND_WEIGHTS)
        self.kind_cum = list(itertools.accumulate(KIND_WEIGHTS.values()))
        self.handlers: dict[str, Callable[[Person, dt.datetime, bool], list[Update]]] = {
            "text": self._text,
            "command": self._command,
            "private": self._private,
            "edit": self._edit,
            "photo": self._photo,
            "sticker": self._sticker,
            "voice": self._voice,
            "forward": self._forward,
            "channel_post": self._channel_post,
            "edit_channel_post": self._edit_channel_post,
            "callback": self._callback,
            "reaction": self._reaction,
            "join": self._join,
            "leave": self._leave,
        }

    encode = staticmethod(encode)

    # -- choosing ------------------------------------------------------------------------------
    def _person(self, at: dt.datetime) -> Person:
        hour = (at.hour - 3) % 24  # Brasília is UTC-3 all year since 2019
        kind = "night" if hour >= 22 or hour < 5 else "morning" if hour < 10 else "day"
        return self.rng.choices(self.people, cum_weights=self.cum_by_chronotype[kind])[0]

    def _prefeito(self) -> Candidate:
        return self.rng.choices(self.prefeitos, cum_weights=self.prefeito_cum)[0]

    def _fill(self, template: str, person: Person) -> str:
        rng = self.rng
        vereador = rng.choices(self.vereadores, cum_weights=self.vereador_cum)[0]
        bairro = person.bairro if rng.random() < 0.6 else rng.choice(texts.BAIRROS)
        return template.format(
            prefeito=self._prefeito().ballot_name.title(),
            vereador=vereador.ballot_name.title(),
            num=vereador.number,
            bairro=bairro,
            partido=rng.choice(self.parties),
            tag=rng.choice(texts.HASHTAGS),
        )

    def _group(self, person: Person) -> dict[str, Any] | None:
        if person.id not in self.members:
            return None
        return (
            BAIRRO_GROUP
            if person.bairro == "Braz Cubas" and self.rng.random() < 0.5
            else (BAIRRO_GROUP if self.rng.random() < 0.1 else MAIN_GROUP)
        )

    # -- building ------------------------------------------------------------------------------
    def _message(self, person: Person, chat: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": self._take_id(chat), "from": person.user}
        message["chat"] = chat
        message["date"] = int(at.timestamp()) - self.rng.randrange(2)
        return message

    def _take_id(self, chat: dict[str, Any]) -> int:
        message_id = self.next_id.get(chat["id"], 1000 + self.rng.randrange(5000)) + 1
        self.next_id[chat["id"]] = message_id
        return message_id

    def _remember(self, message: dict[str, Any]) -> None:
        self.recent.setdefault(message["chat"]["id"], deque(maxlen=80)).append(message)

    def next_updates(self, at: dt.datetime, day: dt.date, *, first: bool = False) -> list[Update]:
        """The updates of the next event at ``at`` (one, or two for a join or a leave)."""
        updates: list[Update] = []
        if first and not self.next_id:  # the bot is added to the group before anything else
            updates.append(self._bot_added(at))
        kind = self.rng.choices(self.kinds, cum_weights=self.kind_cum)[0]
        person = self._person(at)
        updates.extend(self.handlers[kind](person, at, day == self.election_day))
        return updates

    def _bot_added(self, at: dt.datetime) -> Update:
        admin = self.people[0]
        return "my_chat_member", {
            "my_chat_member": {
                "chat": MAIN_GROUP,
                "from": admin.short(),
                "date": int(at.timestamp()) - 60,
                "old_chat_member": {"status": "left", "user": BOT_USER},
                "new_chat_member": {"status": "member", "user": BOT_USER},
            }
        }

    # -- the kinds -----------------------------------------------------------------------------
    def _text(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self._group(person)
        if chat is None:
            return self._private(person, at, election)
        rng = self.rng
        message = self._message(person, chat, at)
        recent = self.recent.get(chat["id"])
        if recent and rng.random() < 0.28:
            original = rng.choice(recent)
            message["reply_to_message"] = {
                k: v for k, v in original.items() if k not in ("reply_to_message",)
            }
            text = rng.choice(texts.SHORT_REPLIES) if rng.random() < 0.5 else None
        else:
            text = None
        if text is None:
            pool = texts.ELECTION_DAY_TEXTS if election and rng.random() < 0.5 else texts.CHAT_TEXTS
            text = self._fill(rng.choice(pool), person)
            if rng.random() < 0.12:
                text = f"{text} {rng.choice(texts.HASHTAGS)}"
        self._remember(with_text(message, text))
        return [("message", {"message": message})]

    def _command_text(self, person: Person, in_group: bool) -> str:
        rng = self.rng
        command = rng.choices(COMMANDS, weights=[40, 12, 14, 12, 14, 8])[0]
        if in_group and rng.random() < 0.4:
            command += "@" + BOT_USER["username"]
        name = command.split("@")[0]
        if name == "/candidato":
            pick = (
                self._prefeito()
                if rng.random() < 0.4
                else rng.choices(self.vereadores, cum_weights=self.vereador_cum)[0]
            )
            words = pick.ballot_name.title().split()
            arg = str(pick.number) if rng.random() < 0.3 else " ".join(words[: rng.randint(1, 2)])
            return f"{command} {arg}"
        if name in ("/partido", "/vereadores") and rng.random() < 0.8:
            return f"{command} {rng.choice(self.parties)}"
        if name == "/bairro":
            return f"{command} {person.bairro}"
        return command

    def _bot_answer(self, chat: dict[str, Any], at: dt.datetime, text: str) -> None:
        """The bot's reply takes a message id in the chat; remember it for button presses."""
        answer: dict[str, Any] = {
            "message_id": self._take_id(chat),
            "from": BOT_USER,
            "chat": chat,
            "date": int(at.timestamp()) + 1,
            "text": "Encontrei estes candidatos:",
        }
        number = text.split(" ", 1)[1] if " " in text else ""
        picks = [
            c for c in self.prefeitos if number and str(c.number) == number
        ] or self.rng.sample(self.prefeitos, k=min(2, len(self.prefeitos)))
        answer["reply_markup"] = {
            "inline_keyboard": [
                [{"text": f"{c.ballot_name} ({c.number})", "callback_data": f"cand:{c.number}"}]
                for c in picks
            ]
        }
        self.bot_said.setdefault(chat["id"], deque(maxlen=20)).append(answer)

    def _command(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self._group(person) if self.rng.random() < 0.6 else None
        if chat is None:
            chat = person.private_chat()
        message = self._message(person, chat, at)
        text = self._command_text(person, in_group=chat["type"] != "private")
        with_text(message, text)
        self._bot_answer(chat, at, text)
        return [("message", {"message": message})]

    def _private(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        message = self._message(person, person.private_chat(), at)
        template = self.rng.choice(texts.PRIVATE_QUESTIONS)
        with_text(message, self._fill(template, person))
        return [("message", {"message": message})]

    def _edit(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        recent = [m for m in self.recent.get(MAIN_GROUP["id"], ()) if "text" in m]
        if not recent:
            return self._text(person, at, election)
        original = self.rng.choice(recent)
        edited = {k: v for k, v in original.items() if k not in ("text", "entities")}
        edited["edit_date"] = max(int(at.timestamp()), original["date"] + 1)
        with_text(edited, original["text"] + self.rng.choice(texts.EDIT_SUFFIXES))
        return [("edited_message", {"edited_message": edited})]

    def _photo(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self._group(person) or person.private_chat()
        message = self._message(person, chat, at)
        message["photo"] = photo_sizes(self.rng)
        if self.rng.random() < 0.7:
            with_text(message, self._fill(self.rng.choice(texts.CAPTIONS), person), field="caption")
        self._remember(message)
        return [("message", {"message": message})]

    def _sticker(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self._group(person) or person.private_chat()
        message = self._message(person, chat, at)
        emoji = self.rng.choice(texts.STICKER_EMOJIS)
        message["sticker"] = {
            **file_ids(self.rng),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        self._remember(message)
        return [("message", {"message": message})]

    def _voice(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self._group(person) or person.private_chat()
        message = self._message(person, chat, at)
        duration = self.rng.randint(2, 90)
        message["voice"] = {
            **file_ids(self.rng),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": duration * 4100,
        }
        self._remember(message)
        return [("message", {"message": message})]

    def _forward(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self._group(person) or person.private_chat()
        message = self._message(person, chat, at)
        rng = self.rng
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
            origin = {"type": "user", "sender_user": rng.choice(self.people).short(), "date": then}
        else:
            origin = {
                "type": "hidden_user",
                "sender_user_name": rng.choice(texts.FORWARDED_NAMES),
                "date": then,
            }
        message["forward_origin"] = origin
        with_text(message, self._fill(rng.choice(texts.FORWARD_TEXTS), person))
        self._remember(message)
        return [("message", {"message": message})]

    def _channel_post(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        post = {
            "message_id": self._take_id(CHANNEL),
            "sender_chat": CHANNEL,
            "chat": CHANNEL,
            "date": int(at.timestamp()),
        }
        with_text(post, self._fill(self.rng.choice(texts.CHANNEL_POSTS), person))
        self.recent.setdefault(CHANNEL["id"], deque(maxlen=10)).append(post)
        return [("channel_post", {"channel_post": post})]

    def _edit_channel_post(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        posts = self.recent.get(CHANNEL["id"])
        if not posts:
            return self._channel_post(person, at, election)
        edited = copy.deepcopy(self.rng.choice(posts))
        edited["edit_date"] = max(int(at.timestamp()), edited["date"] + 1)
        with_text(edited, edited["text"].replace("hoje", "amanhã") + " (atualizado)")
        return [("edited_channel_post", {"edited_channel_post": edited})]

    def _callback(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        said = self.bot_said.get(person.id)  # the bot's answers in their private chat
        if not said and person.id in self.members:
            said = self.bot_said.get(MAIN_GROUP["id"])
        if not said:
            return self._command(person, at, election)
        answer = self.rng.choice(said)
        button = self.rng.choice(answer["reply_markup"]["inline_keyboard"])[0]
        return [
            (
                "callback_query",
                {
                    "callback_query": {
                        "id": str(self.rng.randrange(10**17, 10**18)),
                        "from": person.user,
                        "message": answer,
                        "chat_instance": str(-self.rng.randrange(10**9, 10**10)),
                        "data": button["callback_data"],
                    }
                },
            )
        ]

    def _reaction(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        recent = self.recent.get(MAIN_GROUP["id"])
        if not recent or person.id not in self.members:
            return self._text(person, at, election)
        target = self.rng.choice(recent)
        rng = self.rng
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

    def _member_change(self, person: Person, at: dt.datetime, joined: bool) -> list[Update]:
        before, after = ("left", "member") if joined else ("member", "left")
        change = {
            "chat": MAIN_GROUP,
            "from": person.short(),
            "date": int(at.timestamp()),
            "old_chat_member": {"status": before, "user": person.short()},
            "new_chat_member": {"status": after, "user": person.short()},
        }
        service = self._message(person, MAIN_GROUP, at)
        if joined:
            service["new_chat_members"] = [person.short()]
            self.members.add(person.id)
        else:
            service["left_chat_member"] = person.short()
            self.members.discard(person.id)
        return [("chat_member", {"chat_member": change}), ("message", {"message": service})]

    def _join(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        outsiders = [p for p in self.people if p.id not in self.members]
        if not outsiders:
            return self._text(person, at, election)
        return self._member_change(self.rng.choice(outsiders), at, joined=True)

    def _leave(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        if person.id not in self.members or person is self.people[0]:
            return self._text(person, at, election)
        return self._member_change(person, at, joined=False)
