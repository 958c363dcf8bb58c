"""People asking the bot in private in their own words, and trying again when it does not
understand: the misses that ``tglake bot suggest`` learns from.

A person names a bairro, a party or a candidate the way people say it (``jd aracy``,
``petistas``, ``prefeita Mara``), written each time a little differently (case, accents, a
question mark, now and then a typo), so later days bring new text. When the bot finds nothing,
most try again a moment later with words it knows (``/bairro jardim araci``, ``/partido pt``);
some give up. Others ask about places and politicians the data does not hold, which nobody can
resolve. The ways are weighted (a few are common, most rare), the same for a seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import unicodedata
from typing import TYPE_CHECKING

from tglake.demo.shapes import Person, with_text

if TYPE_CHECKING:
    from tglake.demo.chat import Chat, Update


@dataclasses.dataclass(frozen=True)
class Way:
    """Ways of writing one thing, most common first, and what a person types when the bot
    did not understand."""

    said: tuple[str, ...]
    retry: str
    weight: float


WAYS: tuple[Way, ...] = (
    Way(("conjunto santo ângelo", "conjunto santo angelo"), "/bairro santo angelo", 6),
    Way(("jd aracy", "jardim aracy"), "/bairro jardim araci", 5),
    Way(("petistas", "petista"), "/partido pt", 4),
    Way(("prefeita Mara", "candidata Mara", "dona Mara"), "mara bertaiolli", 4),
    Way(("jd são pedro", "jd. são pedro"), "jardim sao pedro", 3),
    Way(("bolsonaristas", "bolsonarista"), "/partido pl", 3),
    Way(("cj toyama", "cj. toyama"), "toyama", 2),
    Way(("prefeito Caio", "Caio prefeito"), "caio cunha", 2),
    Way(("conjunto jefferson",), "jefferson", 1.5),
    Way(("jd camila",), "/bairro jardim camila", 1.5),
    Way(("conj são sebastião",), "/bairro cj hab sao sebastiao", 1),
)
UNKNOWN: tuple[str, ...] = ("tucanos", "vila moraes", "jd santista", "vereador do meu bairro")
"""Asked about, not in the data (or not a name at all): misses nobody resolves."""
RETRY_RATE = 0.7
TYPO_RATE = 0.12
UNKNOWN_RATE = 0.2
_CUM = [sum(w.weight for w in WAYS[: i + 1]) for i in range(len(WAYS))]


def _bare(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def written(rng: random.Random, text: str) -> str:
    """One person's spelling of ``text``: case, accents, punctuation, now and then a typo."""
    if rng.random() < 0.4:
        text = _bare(text)
    text = rng.choice((text, text.lower(), text.title(), text.upper() if len(text) < 12 else text))
    if rng.random() < TYPO_RATE and len(text) > 5:
        at = rng.randrange(1, len(text) - 1)
        text = text[:at] + text[at + 1 :]
    return text + rng.choice(("", "", "?", "??", " ?"))


def ask(talk: Chat, person: Person, at: dt.datetime, election: bool) -> list[Update]:
    """A private question in the person's words, and maybe the same question again in words
    the bot knows (the same event: the person retypes at once)."""
    rng = talk.rng
    chat = person.private_chat()
    if rng.random() < UNKNOWN_RATE:
        message = talk.new_message(person, chat, at)
        return [("message", {"message": with_text(message, written(rng, rng.choice(UNKNOWN)))})]
    way = rng.choices(WAYS, cum_weights=_CUM)[0]
    said = way.said[min(int(rng.expovariate(1.2)), len(way.said) - 1)]
    message = talk.new_message(person, chat, at)
    updates: list[Update] = [("message", {"message": with_text(message, written(rng, said))})]
    if rng.random() < RETRY_RATE:
        again = talk.new_message(person, chat, at)
        updates.append(("message", {"message": with_text(again, way.retry)}))
    return updates
