"""The stages after ingestion, as the demo and the load run use them: the ETL over every raw
day, the count that proves nothing was lost or doubled, a few queries and the report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tglake import layout
from tglake.adapters.stores import open_store
from tglake.config import Settings
from tglake.storage import ObjectStore

if TYPE_CHECKING:
    from tglake.etl.run import DayReport


def export_days(raw: ObjectStore) -> list[dt.date]:
    """Days that hold messages of an imported Telegram Desktop export."""
    days = {
        parsed[0]
        for key in raw.list(f"{layout.EXPORT_SOURCE}/{layout.PARTITION}=")
        if (parsed := layout.parse_export_slice_key(key)) is not None
    }
    return sorted(days)


def raw_inventory(raw: ObjectStore) -> tuple[int, list[dt.date]]:
    """How many Telegram updates the raw zone holds, and on which days."""
    days: set[dt.date] = set()
    count = 0
    for key in raw.list(f"{layout.RAW_SOURCE}/"):
        parsed = layout.parse_raw_key(key)
        if parsed is not None:
            count += 1
            days.add(parsed.day)
    return count, sorted(days)


@dataclasses.dataclass
class EtlTotals:
    """The ETL's reports summed over days. ``update_rows`` counts one row per update: the
    tables flattened straight from Telegram updates (not derived ones such as mentions)."""

    days: int = 0
    updates_read: int = 0
    rows: dict[str, int] = dataclasses.field(default_factory=dict)
    update_rows: int = 0
    duplicates_dropped: int = 0
    conflicts_kept: int = 0
    unknown_kinds: int = 0
    rejects: int = 0
    seconds: float = 0.0
    exported_rows: int = 0
    """Rows of exported messages (not updates: outside ``update_rows``)."""
    exported_dropped: int = 0
    """Exported messages the webhook had delivered too (written once, from the webhook)."""

    @property
    def accounted(self) -> int:
        """Updates the enriched zone accounts for: a row each, or counted as an unknown kind."""
        return self.update_rows + self.unknown_kinds


def update_tables() -> set[str]:
    """Tables with exactly one row per Telegram update of their kinds."""
    from tglake.etl.flatten import TELEGRAM_SPECS as TABLES

    return {t.name for t in TABLES if t.source == layout.RAW_SOURCE and t.parent is None}


def etl_all_days(
    settings: Settings,
    on_day: Callable[[DayReport], None] | None = None,
    *,
    on_batch: Callable[[int], None] | None = None,
    batch_size: int | None = None,
) -> EtlTotals:
    """Run the ETL for every day that has raw updates, and add up its reports;
    ``on_batch(n)`` after each batch of ``n`` raw objects (so progress moves within a day)."""
    from tglake.etl.run import BATCH_SIZE, run_day

    raw = open_store(settings.raw_uri)
    enriched = open_store(settings.enriched_uri)
    per_update = update_tables()
    totals = EtlTotals()
    for day in sorted({*raw_inventory(raw)[1], *export_days(raw)}):
        report = run_day(
            day,
            settings=settings,
            raw=raw,
            enriched=enriched,
            batch_size=batch_size or BATCH_SIZE,
            on_batch=None if on_batch is None else _increments(on_batch),
        )
        totals.days += 1
        totals.updates_read += report.updates_read
        for table, count in report.rows.items():
            totals.rows[table] = totals.rows.get(table, 0) + count
            if table in per_update:
                totals.update_rows += count
        exported = report.exported.rows + report.exported.reaction_rows
        totals.update_rows -= exported
        totals.exported_rows += report.exported.rows
        totals.exported_dropped += report.exported.dropped_bot_api
        totals.duplicates_dropped += report.duplicates_dropped
        totals.conflicts_kept += report.conflicts_kept
        totals.unknown_kinds += sum(report.unknown_kinds.values())
        totals.rejects += len(report.rejects)
        totals.seconds += report.seconds
        if on_day is not None:
            on_day(report)
    return totals


def _increments(advance: Callable[[int], None]) -> Callable[[int, int], None]:
    """``run_day``'s ``(done, total)`` of a day → ``advance(objects of this batch)``."""
    last = 0

    def on_batch(done: int, total: int) -> None:
        nonlocal last
        advance(done - last)
        last = done

    return on_batch


SHOWCASE_QUERIES: dict[str, int] = {
    "summary": 1,
    "messages_per_day": 10,
    "top_commands": 6,
    "content_types": 5,
    "top_hashtags": 3,
}
"""Queries of the analytics library whose top rows close the demo, and how many rows each."""


@dataclasses.dataclass
class QueryPreview:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclasses.dataclass
class ReportOutcome:
    path: Path
    charts: int
    empty: list[str]
    """Titles of the charts that had nothing to show."""


def showcase(settings: Settings) -> list[QueryPreview]:
    """The top rows of a few queries of the analytics library."""
    from tglake.analytics.service import run_query

    previews = []
    for name, limit in SHOWCASE_QUERIES.items():
        result = run_query(settings, name)
        previews.append(QueryPreview(name, tuple(result.columns), list(result.rows[:limit])))
    return previews


def build_report(settings: Settings, out: Path) -> ReportOutcome:
    """The HTML report over the whole lake, and which of its charts had nothing to show."""
    from tglake.analytics import report
    from tglake.analytics.service import open_engine

    engine = open_engine(settings)
    period = engine.resolve_period(None, None)
    engine.require_messages(period)
    from tglake.analytics.loop_report import alias_batches
    from tglake.candidates.aliases import read_aliases
    from tglake.candidates.overlay import reference_uri

    results = report.collect(engine, period)
    aliases = read_aliases(open_store(reference_uri(settings)))
    batches = alias_batches(aliases, results["bot_answered_per_day"], settings.timezone)
    context = report.build_context(
        results, period, settings.timezone, dt.datetime.now(dt.UTC), alias_batches=batches
    )
    report.write_report(report.render_html(context), out)
    sections = context["sections"]
    return ReportOutcome(out, len(sections), [s["title"] for s in sections if s["figure"] is None])
