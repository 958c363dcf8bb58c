"""What an event of the simulation may read and change in the chats: the :class:`Chat` state.

:mod:`tglake.demo.conversation` holds the state (a ``Conversation`` is a ``Chat``) and
:mod:`tglake.demo.happenings` makes events from it; both import this module, not each other.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from typing import Any, Protocol

from tglake.demo.shapes import Person

Update = tuple[str, dict[str, Any]]  # (kind, the update without its update_id)


class Chat(Protocol):
    """The simulated chats' state as an event sees it."""

    rng: random.Random
    people: list[Person]
    members: set[int]
    """Ids of the people in the main group now (joins and leaves change it)."""
    recent: dict[int, deque[dict[str, Any]]]
    """Recent messages per chat id, to reply to, edit and react to."""
    bot_said: dict[int, deque[dict[str, Any]]]
    """The bot's answers per chat id, whose buttons people press."""

    def group_for(self, person: Person) -> dict[str, Any] | None: ...
    def new_message(
        self, person: Person, chat: dict[str, Any], at: dt.datetime
    ) -> dict[str, Any]: ...
    def take_id(self, chat: dict[str, Any]) -> int: ...
    def remember(self, message: dict[str, Any]) -> None: ...
    def fill(self, template: str, person: Person) -> str: ...

    # what an event falls back to when it cannot happen (nothing to react to, nobody to join)
    def text(self, person: Person, at: dt.datetime, election: bool) -> list[Update]: ...
    def command(self, person: Person, at: dt.datetime, election: bool) -> list[Update]: ...
