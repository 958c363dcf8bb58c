"""A conversation's context: what the last question was about, so «e o segundo?» can be answered.

Kept per conversation for :data:`TTL_SECONDS` (30 minutes): in a private chat the conversation
is the person (``user_key``); in a group it is the person in that chat. What is kept is only
entity ids and small enums (which candidates, party, place, office, position, what was asked),
never the text of a message, and the key is the pseudonym, never a Telegram id: a context says
no more about a person than their ``bot_replies`` rows do, and it expires by itself.

:class:`ContextStore` is the port; :class:`MemoryContexts` serves ``tglake serve`` and
``tglake poll`` (one process), the DynamoDB store (``tglake.adapters.dynamo_contexts``) the
webhook Lambda, where each request may land on another instance. ``/esquecer`` and
``tglake forget`` call :meth:`ContextStore.erase` with the person's ``user_key``.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

TTL_SECONDS = 30 * 60
"""How long a follow-up may lean on the previous question."""
PRIVATE = "private"
"""The conversation name of a private chat (the person is the whole key)."""


@dataclasses.dataclass(frozen=True)
class Context:
    """The entities of the last question of a conversation (ids only, see the module doc)."""

    ask: str | None = None
    """What was asked (a :class:`tglake.bot.question.Ask` value)."""
    candidates: tuple[int, ...] = ()
    parties: tuple[int, ...] = ()
    office: str | None = None
    scope: tuple[str, str] | None = None
    """(kind, id): ``("bairro", "Jundiapeba")``, ``("place", "12")``, ``("zone", "0074")``."""
    position: int | None = None
    earlier: tuple[int, ...] = ()
    """The candidates of the question before, so «os dois» after two single-candidate turns
    means both."""
    bot_message_id: int | None = None
    """The message the bot answered with, so a Telegram reply to it takes this context."""

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Context | None:
        """The context a stored document holds, or None for anything else (a stale format)."""
        try:
            doc: Any = json.loads(text)
            scope = doc.get("scope")
            return cls(
                ask=doc.get("ask"),
                candidates=tuple(int(n) for n in doc.get("candidates") or ()),
                parties=tuple(int(n) for n in doc.get("parties") or ()),
                office=doc.get("office"),
                scope=(str(scope[0]), str(scope[1])) if scope else None,
                position=doc.get("position"),
                earlier=tuple(int(n) for n in doc.get("earlier") or ()),
                bot_message_id=doc.get("bot_message_id"),
            )
        except (ValueError, TypeError, AttributeError, IndexError):
            return None


class ContextStore(Protocol):
    """Where conversations' contexts live; every method is best effort for the caller (a
    failure must never stop an answer: the bot then answers without context)."""

    def get(self, user_key: str, conversation: str) -> Context | None: ...

    def put(self, user_key: str, conversation: str, context: Context) -> None: ...

    def erase(self, user_key: str) -> int:
        """Remove every conversation of this person; returns how many there were."""
        ...


class MemoryContexts:
    """Contexts in this process's memory, dropped after ``ttl`` seconds (and all of them on a
    restart, which loses nothing worth keeping)."""

    MAX_ENTRIES = 200_000
    """Past this many live conversations the oldest half is dropped (memory stays bounded)."""

    def __init__(
        self, *, ttl: float = TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._items: dict[tuple[str, str], tuple[float, Context]] = {}
        self._lock = threading.Lock()

    def get(self, user_key: str, conversation: str) -> Context | None:
        with self._lock:
            hit = self._items.get((user_key, conversation))
        if hit is None or self._monotonic() - hit[0] >= self._ttl:
            return None
        return hit[1]

    def put(self, user_key: str, conversation: str, context: Context) -> None:
        now = self._monotonic()
        with self._lock:
            if len(self._items) >= self.MAX_ENTRIES:
                oldest = sorted(self._items.items(), key=lambda kv: kv[1][0])
                for key, _ in oldest[: len(oldest) // 2]:
                    del self._items[key]
            self._items[(user_key, conversation)] = (now, context)

    def erase(self, user_key: str) -> int:
        with self._lock:
            keys = [k for k in self._items if k[0] == user_key]
            for key in keys:
                del self._items[key]
        return len(keys)

    def __len__(self) -> int:
        return len(self._items)
