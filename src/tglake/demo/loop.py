"""The demo closes the loop: after the first days, the lake's misses become aliases, and the
later (held-out) days are answered with them.

The conversation is posted in two parts to the same running webhook server. Between them, the
ETL runs over the first days, ``tglake bot suggest``'s grouping finds the misses people resolved
themselves, and the suggestions are applied (written to ``reference/bot/aliases.json``, stamped
with the simulated midnight after the first part); the running server picks them up without a
restart. The held-out days are new text: the same ways of writing, spelt again at random.

Before/after on the held-out days: their stored updates are answered again, in this process,
by the same answer function the server uses, once without aliases and once with them (the
"with" figure is also what the live bot answered: :func:`measure` reads that from
``bot_replies`` too, and the summary shows it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from tglake import layout
from tglake.analytics import suggest
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import Period, load_query
from tglake.bot import loop as bot_loop
from tglake.candidates import aliases
from tglake.candidates.catalog import CandidateData, bundled
from tglake.config import Settings
from tglake.demo.player import PlayStats
from tglake.demo.shapes import BOT_USER
from tglake.demo.simulate import Delivery
from tglake.storage import LocalStore, ObjectStore

BRASILIA_MIDNIGHT = dt.time(0, 0)
APPLIED_BY = "tglake demo"


def split_day(first: dt.date, days: int) -> dt.date | None:
    """The last day of the first part: about four sevenths of the run (None for one day)."""
    if days < 2:
        return None
    return first + dt.timedelta(days=max(1, round(days * 4 / 7)) - 1)


def split(
    deliveries: Iterator[Delivery], last: dt.date, tz: Any
) -> tuple[Iterator[Delivery], Iterator[Delivery]]:
    """The deliveries received up to ``last`` (in ``tz``), then the rest (consume in order)."""
    held: list[Delivery] = []

    def first() -> Iterator[Delivery]:
        for delivery in deliveries:
            if layout.context_date(delivery.received_at, tz) > last:
                held.append(delivery)
                return
            yield delivery

    def rest() -> Iterator[Delivery]:
        yield from held
        yield from deliveries

    return first(), rest()


def merge(a: PlayStats, b: PlayStats) -> PlayStats:
    """Two parts' player statistics as one."""
    return PlayStats(
        posted=a.posted + b.posted,
        ok=a.ok + b.ok,
        retried=a.retried + b.retried,
        failed=a.failed + b.failed,
        replies=a.replies + b.replies,
        redelivery_replies=a.redelivery_replies + b.redelivery_replies,
        statuses=a.statuses + b.statuses,
        errors=a.errors + b.errors,
        latencies=a.latencies + b.latencies,
        acknowledged=a.acknowledged | b.acknowledged,
        seconds=a.seconds + b.seconds,
    )


@dataclasses.dataclass
class Batch:
    """The aliases applied between the two parts."""

    applied_at: dt.datetime
    learned_from: Period
    aliases: list[aliases.Alias]
    suggestions: list[suggest.Suggestion]
    unresolved: list[suggest.Unresolved]


def learn(settings: Settings, last: dt.date, first: dt.date) -> Batch:
    """ETL of the first part's days, suggestions from them, every suggestion applied."""
    from tglake.etl.run import run_day

    raw, enriched = LocalStore(settings.raw_uri), LocalStore(settings.enriched_uri)
    for day in layout.day_range(first, last):
        run_day(day, settings=settings, raw=raw, enriched=enriched)
    engine = DuckDBEngine(settings.enriched_uri, timezone=settings.timezone)
    period = Period(first, last)
    found, unresolved = suggest.find(engine, period)
    midnight = dt.datetime.combine(last + dt.timedelta(days=1), BRASILIA_MIDNIGHT, settings.tz)
    stamp = midnight.astimezone(dt.UTC).isoformat(timespec="seconds")
    applied = aliases.add_aliases(
        reference(settings), [s.to_alias(APPLIED_BY, stamp) for s in found]
    )
    return Batch(midnight, period, applied, found, unresolved)


def reference(settings: Settings) -> ObjectStore:
    from tglake.candidates.overlay import reference_uri

    return LocalStore(reference_uri(settings))


@dataclasses.dataclass(frozen=True)
class Share:
    questions: int
    answered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.answered / self.questions if self.questions else 0.0


@dataclasses.dataclass
class LoopOutcome:
    batch: Batch
    held_out: Period
    before: Share
    after: Share
    live: Share
    """What the running bot answered on those days (``bot_replies``, after the ETL)."""


def held_out_updates(raw: ObjectStore, days: Iterable[dt.date]) -> list[dict[str, Any]]:
    """The held-out days' Telegram updates, once each, in update order."""
    seen: dict[int, dict[str, Any]] = {}
    for day in days:
        for key in raw.list(layout.partition_prefix(layout.RAW_SOURCE, day)):
            parsed = layout.parse_raw_key(key)
            if parsed is not None and parsed.update_id not in seen:
                seen[parsed.update_id] = json.loads(raw.get(key))
    return [seen[k] for k in sorted(seen)]


def answered_share(
    updates: Iterable[dict[str, Any]], data: CandidateData, loop: bot_loop.Loop
) -> Share:
    """How many of the questions (a search with words, not a button) the bot answers."""
    questions = answered = 0
    for update in updates:
        answer = bot_loop.handle(update, data, loop, bot_username=BOT_USER["username"])
        if answer is None or not answer.query or answer.command == "callback":
            continue
        questions += 1
        answered += answer.answered
    return Share(questions, answered)


def measure(settings: Settings, batch: Batch, last_day: dt.date) -> LoopOutcome:
    """Answered share of the held-out days' questions without and with the batch's aliases."""
    held = Period(batch.learned_from.end + dt.timedelta(days=1), last_day)
    updates = held_out_updates(LocalStore(settings.raw_uri), layout.day_range(held.start, held.end))
    data = bundled()
    before = answered_share(updates, data, bot_loop.Loop(aliases.AliasBook(None)))
    with_aliases = bot_loop.Loop(aliases.AliasBook(reference(settings), interval=3600))
    after = answered_share(updates, data, with_aliases)
    engine = DuckDBEngine(settings.enriched_uri, timezone=settings.timezone)
    days = engine.run(load_query("bot_answered_per_day"), held).records()
    live = Share(sum(d["questions"] for d in days), sum(int(d["answered"]) for d in days))
    return LoopOutcome(batch, held, before, after, live)
