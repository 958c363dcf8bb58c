"""The running bot, built in one place: candidate data (bundled + the lake's overlay), the
loop (approved aliases, people's bairros, conversations' contexts), the bot's @username and the
Bot API sender, wired into one responder.

``tglake serve``, ``tglake poll``, the webhook Lambda and the demo's server all call
:func:`build_responder`; they differ only in what they pass (the Lambda never asks getMe on a
cold start, polling paces its sends, the demo runs on simulated time), so a new piece of the
bot is wired once for all four.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from tglake.adapters.stores import reference_store
from tglake.bot.context import ContextStore, MemoryContexts
from tglake.bot.loop import make_loop
from tglake.bot.responder import BotResponder, make_responder
from tglake.candidates.overlay import lake_candidates
from tglake.config import Settings
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

Sender = Callable[[dict[str, Any]], object]
NO_NAME = (
    "the bot does not know its @username (TGLAKE_BOT_USERNAME): in groups it will not answer "
    "mentions, and it answers commands meant for other bots"
)


def open_contexts(settings: Settings) -> ContextStore:
    """Where conversations' contexts live, decided here for all four runners: the DynamoDB
    table ``TGLAKE_CONTEXT_TABLE`` names (the template sets it for the webhook Lambda, whose
    requests land on many instances), else this process's memory (``serve``, ``poll`` and the
    demo are one process each)."""
    if settings.context_table is not None:  # boto3 is imported only then
        from tglake.adapters.dynamo_contexts import table_contexts

        if (table := table_contexts(settings)) is not None:
            return table
    return MemoryContexts()


def build_responder(
    settings: Settings,
    raw: ObjectStore,
    *,
    bot_username: str | None = None,
    sender: Sender | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    alias_interval: float | None = None,
) -> BotResponder:
    """The bot's responder for this lake. ``bot_username`` defaults to the setting (a caller
    with a token may ask getMe first); ``sender`` sends the Bot API calls the webhook body
    cannot carry."""
    name = bot_username or settings.bot_username
    if name is None:
        log.warning(NO_NAME)
    reference = reference_store(settings)
    extra: dict[str, Any] = {} if alias_interval is None else {"interval": alias_interval}
    loop = make_loop(settings, reference, contexts=open_contexts(settings), **extra)
    kwargs: dict[str, Any] = {} if clock is None else {"clock": clock}
    return make_responder(
        settings,
        raw,
        lake_candidates(reference),
        bot_username=name,
        sender=sender,
        loop=loop,
        **kwargs,
    )
