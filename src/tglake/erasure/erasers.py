"""The one place where per-person data outside the raw and enriched zones is erased.

``tglake forget`` erases the raw zone and rebuilds the enriched days itself; anything else kept
per person (for instance what the bot keeps under ``reference/bot/``, keyed by ``user_key``) joins
the erasure by adding an :data:`Eraser` to :func:`builtin_erasers`. An eraser receives an
:class:`EraseContext` and returns how many objects it removed or rewrote (or, with
``ctx.dry_run``, would); it must be idempotent (a second call returns 0) and must never write
the person's Telegram id anywhere (it gets only their ``user_key``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

from tglake.config import Settings
from tglake.storage import ObjectStore


class Conversations(Protocol):
    """Where the running bot keeps conversations' contexts outside the lake (the DynamoDB
    table of ``TGLAKE_CONTEXT_TABLE``), keyed by ``user_key``."""

    def count(self, user_key: str) -> int: ...

    def erase(self, user_key: str) -> int: ...


@dataclasses.dataclass(frozen=True)
class EraseContext:
    """What an eraser may use: the settings, the person's ``user_key``, a way to open a store by
    URI (folder or ``s3://``) and the bot's context table when there is one (both injected by
    the CLI, so this layer imports no AWS SDK)."""

    settings: Settings
    user_key: str
    dry_run: bool
    open_store: Callable[[str], ObjectStore]
    conversations: Conversations | None = None


Eraser = Callable[[EraseContext], int]
"""Erase one kind of per-person data; return the number of objects changed (or to change)."""


def builtin_erasers() -> dict[str, Eraser]:
    """Every eraser ``tglake forget`` runs after the lake, by name (the name goes to the audit
    record with its count). Add yours here; import it inside this function to keep start-up
    light and the layers one-way."""
    return {"bot_state": _bot_state, "bot_contexts": _bot_contexts}


BOT_PREFIX = "bot/"
"""Where the bot keeps what it knows per person, in the reference zone (profiles, conversation
context…), always under keys that contain the person's ``user_key``."""


def _bot_state(ctx: EraseContext) -> int:
    """Every object under ``reference/bot/`` whose key holds the person's ``user_key``: the
    bairro they told the bot (``bot/profiles/<user_key>.json``) and any per-person state the
    bot adds later, without this eraser having to know its shape. Old versions go too."""
    from tglake.candidates.overlay import reference_uri

    store = ctx.open_store(reference_uri(ctx.settings))
    theirs = [key for key in store.list(BOT_PREFIX) if ctx.user_key in key]
    if not ctx.dry_run:
        for key in theirs:
            store.delete(key)
            store.purge_history(key)
    return len(theirs)


def _bot_contexts(ctx: EraseContext) -> int:
    """Every conversation context of the person in the bot's context table (what their last
    question was about, 30 minutes at most): nothing when no table is configured (a server's
    contexts live in its memory, and ``/esquecer`` or a restart drops them)."""
    if ctx.conversations is None:
        return 0
    if ctx.dry_run:
        return ctx.conversations.count(ctx.user_key)
    return ctx.conversations.erase(ctx.user_key)
