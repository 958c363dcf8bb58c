"""Who says what next: the state of the simulated chats and the updates it produces.

A :class:`Conversation` remembers message ids per chat, recent messages (to reply to, edit and
react to), the bot's answers (for button presses) and who is in the group (to join and leave).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from tglake.demo import asking, happenings, texts
from tglake.demo.candidates import Candidate
from tglake.demo.chat import Update
from tglake.demo.shapes import (
    BAIRRO_GROUP,
    BOT_USER,
    MAIN_GROUP,
    Person,
    encode,
    with_text,
)

KIND_WEIGHTS: dict[str, float] = {
    "text": 46,
    "command": 10,
    "private": 1,
    "ask": 3,
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
    """The chats' state (a :class:`~tglake.demo.chat.Chat`); :meth:`next_updates` makes the next
    event's updates."""

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
        self.today: dt.date | None = None
        self.cum_by_chronotype: dict[str, list[float]] = {}
        self.members = {p.id for p in self.people if rng.random() < 0.92}
        self.next_id: dict[int, int] = {}
        self.recent: dict[int, deque[dict[str, Any]]] = {}
        self.bot_said: dict[int, deque[dict[str, Any]]] = {}
        self.kinds = list(KIND_WEIGHTS)
        self.kind_cum = list(itertools.accumulate(KIND_WEIGHTS.values()))
        self.handlers: dict[str, Callable[[Person, dt.datetime, bool], list[Update]]] = {
            "text": self.text,
            "command": self.command,
            "private": self.private,
            "ask": partial(asking.ask, self),
            "edit": self.edit,
            "photo": partial(happenings.photo, self),
            "sticker": partial(happenings.sticker, self),
            "voice": partial(happenings.voice, self),
            "forward": partial(happenings.forward, self),
            "channel_post": partial(happenings.channel_post, self),
            "edit_channel_post": partial(happenings.edit_channel_post, self),
            "callback": partial(happenings.callback, self),
            "reaction": partial(happenings.reaction, self),
            "join": partial(happenings.join, self),
            "leave": partial(happenings.leave, self),
        }

    encode = staticmethod(encode)

    # -- choosing ------------------------------------------------------------------------------
    def start_day(self, day: dt.date) -> None:
        """Who shows up today: the most active every day, the occasional now and then."""
        self.today = day
        present = [self.rng.random() < min(1.0, 1.5 / (1 + rank / 40)) for rank in
                   range(len(self.people))]  # fmt: skip
        self.cum_by_chronotype = {
            kind: list(
                itertools.accumulate(
                    (3.0 if p.chronotype == kind else 1.0) / (rank + 1) ** 1.2 * here
                    for rank, (p, here) in enumerate(zip(self.people, present, strict=True))
                )
            )
            for kind in CHRONOTYPES
        }

    def person_at(self, at: dt.datetime) -> Person:
        hour = (at.hour - 3) % 24  # Brasília is UTC-3 all year since 2019
        kind = "night" if hour >= 22 or hour < 5 else "morning" if hour < 10 else "day"
        return self.rng.choices(self.people, cum_weights=self.cum_by_chronotype[kind])[0]

    def member_at(self, at: dt.datetime) -> Person:
        """Someone in the group (most events happen there; a few outsiders write privately)."""
        person = self.person_at(at)
        for _ in range(4):
            if person.id in self.members:
                break
            person = self.person_at(at)
        return person

    def prefeito(self) -> Candidate:
        return self.rng.choices(self.prefeitos, cum_weights=self.prefeito_cum)[0]

    def fill(self, template: str, person: Person) -> str:
        rng = self.rng
        vereador = rng.choices(self.vereadores, cum_weights=self.vereador_cum)[0]
        bairro = person.bairro if rng.random() < 0.6 else rng.choice(texts.BAIRROS)
        return template.format(
            prefeito=self.prefeito().ballot_name.title(),
            vereador=vereador.ballot_name.title(),
            num=vereador.number,
            bairro=bairro,
            partido=rng.choice(self.parties),
            tag=rng.choice(texts.HASHTAGS),
        )

    def group_for(self, person: Person) -> dict[str, Any] | None:
        if person.id not in self.members:
            return None
        return (
            BAIRRO_GROUP
            if person.bairro == "Braz Cubas" and self.rng.random() < 0.5
            else (BAIRRO_GROUP if self.rng.random() < 0.1 else MAIN_GROUP)
        )

    # -- building ------------------------------------------------------------------------------
    def new_message(self, person: Person, chat: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": self.take_id(chat), "from": person.user}
        message["chat"] = chat
        message["date"] = int(at.timestamp()) - self.rng.randrange(2)
        return message

    def take_id(self, chat: dict[str, Any]) -> int:
        message_id = self.next_id.get(chat["id"], 1000 + self.rng.randrange(5000)) + 1
        self.next_id[chat["id"]] = message_id
        return message_id

    def remember(self, message: dict[str, Any]) -> None:
        self.recent.setdefault(message["chat"]["id"], deque(maxlen=80)).append(message)

    def next_updates(self, at: dt.datetime, day: dt.date, *, first: bool = False) -> list[Update]:
        """The updates of the next event at ``at`` (one, or two for a join or a leave)."""
        updates: list[Update] = []
        if first and not self.next_id:  # the bot is added to the group before anything else
            updates.append(self._bot_added(at))
        if day != self.today:
            self.start_day(day)
        kind = self.rng.choices(self.kinds, cum_weights=self.kind_cum)[0]
        person = self.person_at(at) if kind == "private" else self.member_at(at)
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
    def text(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self.group_for(person)
        if chat is None:
            return self.private(person, at, election)
        rng = self.rng
        message = self.new_message(person, chat, at)
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
            text = self.fill(rng.choice(pool), person)
            if rng.random() < 0.12:
                text = f"{text} {rng.choice(texts.HASHTAGS)}"
        self.remember(with_text(message, text))
        return [("message", {"message": message})]

    def _command_text(self, person: Person, in_group: bool) -> str:
        rng = self.rng
        command = rng.choices(COMMANDS, weights=[40, 12, 14, 12, 14, 8])[0]
        if in_group and rng.random() < 0.4:
            command += "@" + BOT_USER["username"]
        name = command.split("@")[0]
        if name == "/candidato" and rng.random() < 0.06:
            # people also ask about politicians who were not on Mogi's 2024 ballot
            return f"{command} {rng.choice(texts.NOT_ON_THE_BALLOT)}"
        if name == "/candidato":
            pick = (
                self.prefeito()
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
            "message_id": self.take_id(chat),
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

    def command(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        chat = self.group_for(person) if self.rng.random() < 0.75 else None
        if chat is None:
            chat = person.private_chat()
        message = self.new_message(person, chat, at)
        text = self._command_text(person, in_group=chat["type"] != "private")
        with_text(message, text)
        self._bot_answer(chat, at, text)
        return [("message", {"message": message})]

    def private(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        message = self.new_message(person, person.private_chat(), at)
        template = self.rng.choice(texts.PRIVATE_QUESTIONS)
        with_text(message, self.fill(template, person))
        return [("message", {"message": message})]

    def edit(self, person: Person, at: dt.datetime, election: bool) -> list[Update]:
        recent = [m for m in self.recent.get(MAIN_GROUP["id"], ()) if "text" in m]
        if not recent:
            return self.text(person, at, election)
        original = self.rng.choice(recent)
        edited = {k: v for k, v in original.items() if k not in ("text", "entities")}
        edited["edit_date"] = max(int(at.timestamp()), original["date"] + 1)
        with_text(edited, original["text"] + self.rng.choice(texts.EDIT_SUFFIXES))
        return [("edited_message", {"edited_message": edited})]
