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

from tglake.config import Settings
from tglake.storage import ObjectStore


@dataclasses.dataclass(frozen=True)
class EraseContext:
    """What an eraser may use: the settings, the person's ``user_key``, and a way to open a store
    by URI (folder or ``s3://``; injected by the CLI, so this layer imports no AWS SDK)."""

    settings: Settings
    user_key: str
    dry_run: bool
    open_store: Callable[[str], ObjectStore]


Eraser = Callable[[EraseContext], int]
"""Erase one kind of per-person data; return the number of objects changed (or to change)."""


def builtin_erasers() -> dict[str, Eraser]:
    """Every eraser ``tglake forget`` runs after the lake, by name (the name goes to the audit
    record with its count). Add yours here; import it inside this function to keep start-up
    light and the layers one-way."""
    return {"bot_state": _bot_state}


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
