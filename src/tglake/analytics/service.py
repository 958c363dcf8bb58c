"""What the commands and the ``/report`` route call: settings in, results or a page out.

Each function opens a DuckDB engine over the settings' enriched zone, settles the period
(``--from``/``--to``, or the lake's first and last day) and refuses an empty lake or period
with :class:`~tglake.errors.EmptyResultError`, whose message the CLI prints as ``Error: …``.
``chat`` (``--chat``, ``?chat=``) narrows every view to those chats
(:mod:`tglake.analytics.chats`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from tglake.analytics import report
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.loop_report import alias_batches
from tglake.analytics.results import QueryResult
from tglake.analytics.sql import Period, load_query
from tglake.candidates.aliases import Alias
from tglake.config import Settings


def open_engine(settings: Settings, chat: Sequence[str] = ()) -> DuckDBEngine:
    return DuckDBEngine(
        settings.enriched_uri,
        timezone=settings.timezone,
        endpoint_url=settings.aws_endpoint_url,
        chat=tuple(chat),
        session_gap_minutes=settings.session_gap_minutes,
    )


def _period(engine: DuckDBEngine, start: dt.date | None, end: dt.date | None) -> Period:
    period = engine.resolve_period(start, end)
    engine.require_messages(period)
    return period


def run_query(
    settings: Settings,
    name: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    chat: Sequence[str] = (),
) -> QueryResult:
    """One query of the library over the period."""
    query = load_query(name)  # an unknown name fails before the lake is read
    engine = open_engine(settings, chat)
    return engine.run(query, _period(engine, start, end))


def run_sql(settings: Settings, text: str, chat: Sequence[str] = ()) -> QueryResult:
    """Ad-hoc SQL over the same views."""
    return open_engine(settings, chat).sql(text)


def list_chats(settings: Settings) -> QueryResult:
    """The lake's chats with their message counts (private conversations as one row, no id)."""
    return open_engine(settings).list_chats()


def report_html(
    settings: Settings,
    start: dt.date | None = None,
    end: dt.date | None = None,
    now: dt.datetime | None = None,
    chat: Sequence[str] = (),
    aliases: Sequence[Alias] = (),
) -> str:
    """The whole report page for the period (and the chats of ``chat``, when given;
    ``aliases``: the approved ones, for the loop's before/after table)."""
    engine = open_engine(settings, chat)
    period = _period(engine, start, end)
    results = report.collect(engine, period)
    generated_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    titles = engine.scope.titles if engine.scope else None
    batches = alias_batches(aliases, results["bot_answered_per_day"], settings.timezone)
    context = report.build_context(
        results, period, settings.timezone, generated_at, chats=titles, alias_batches=batches
    )
    return report.render_html(context)


def build_report(
    settings: Settings,
    out: Path,
    start: dt.date | None = None,
    end: dt.date | None = None,
    now: dt.datetime | None = None,
    chat: Sequence[str] = (),
    aliases: Sequence[Alias] = (),
) -> Path:
    """Write the report to ``out``."""
    return report.write_report(report_html(settings, start, end, now, chat, aliases), out)
