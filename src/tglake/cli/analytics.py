"""``tglake query``, ``tglake sql`` and ``tglake report``: SQL and the report, from a shell."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tglake.cli.context import lake_option, load_settings

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "csv", "json")


def period_options(func: F) -> F:
    """``--from`` and ``--to``: the days (inclusive) a command looks at."""
    func = click.option(
        "--to",
        "end",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        metavar="YYYY-MM-DD",
        help="Last day (default: the lake's last day).",
    )(func)
    return click.option(
        "--from",
        "start",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        metavar="YYYY-MM-DD",
        help="First day (default: the lake's first day).",
    )(func)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: table in a terminal, csv when piped).",
    )(func)


def chat_option(func: F) -> F:
    """``--chat``: narrow everything to some chats (repeatable)."""
    return click.option(
        "--chat",
        "chat",
        multiple=True,
        metavar="TITLE|ID|private",
        help="Only this chat, by title or id (repeatable); 'private' takes every private "
        "conversation together. See --list-chats.",
    )(func)


def session_gap_option(func: F) -> F:
    """``--session-gap``: the silence that ends a session (the session queries)."""
    return click.option(
        "--session-gap",
        "session_gap",
        type=click.IntRange(1, 1440),
        default=None,
        metavar="MINUTES",
        help="Silence that ends a person's session with the bot "
        "(default: $TGLAKE_SESSION_GAP_MINUTES or 30).",
    )(func)


def _list_chats(lake: str | None, fmt: str | None) -> None:
    from tglake.analytics.service import list_chats

    _print(list_chats(load_settings(lake=lake)), fmt)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _print(result: Any, fmt: str | None) -> None:
    from tglake.analytics.results import to_csv, to_json

    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if fmt == "csv":
        click.echo(to_csv(result), nl=False)
    elif fmt == "json":
        click.echo(to_json(result), nl=False)
    else:
        _print_table(result)


def _print_table(result: Any) -> None:
    from rich.console import Console

    from tglake.analytics.results import plain
    from tglake.cli.fitting import fitted

    right = [
        bool(result.rows)
        and all(isinstance(row[i], int | float) for row in result.rows if row[i] is not None)
        for i in range(len(result.columns))
    ]
    rows = [["" if v is None else str(plain(v)) for v in row] for row in result.rows]
    console = Console()
    for table in fitted(console, result.columns, rows, right=right):
        console.print(table)
    click.echo(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the queries with their descriptions.")
@click.option("--list-chats", is_flag=True, help="List the chats with their message counts.")
@period_options
@chat_option
@session_gap_option
@format_option
@lake_option
def query(
    name: str | None,
    list_: bool,
    list_chats: bool,
    start: dt.datetime | None,
    end: dt.datetime | None,
    chat: tuple[str, ...],
    session_gap: int | None,
    fmt: str | None,
    lake: str | None,
) -> None:
    """Run one query of the library (see --list) over the enriched zone."""
    from tglake.analytics.sql import list_queries

    if list_chats:
        _list_chats(lake, fmt)
        return
    if list_:
        for q in list_queries():
            click.echo(f"{q.name:<24} {q.description}")
        return
    if not name:
        raise click.UsageError("give a query NAME, or --list to see them")
    from tglake.analytics.service import run_query

    settings = load_settings(lake=lake, session_gap_minutes=session_gap)
    _print(run_query(settings, name, _day(start), _day(end), chat), fmt)


@click.command()
@click.argument("text", metavar="SQL", required=False)
@click.option("--list-chats", is_flag=True, help="List the chats with their message counts.")
@chat_option
@format_option
@lake_option
def sql(
    text: str | None, list_chats: bool, chat: tuple[str, ...], fmt: str | None, lake: str | None
) -> None:
    """Run ad-hoc SQL over the views messages, callbacks, reactions, member_updates, bot_replies
    and candidate_mentions (one per enriched table), messages_latest (each message at its
    last edit, with edit_count) and bot_turns (each turn with the bot: who, when, intent)."""
    from tglake.analytics.service import run_sql

    if list_chats:
        _list_chats(lake, fmt)
        return
    if not text:
        raise click.UsageError("give the SQL to run, or --list-chats")
    _print(run_sql(load_settings(lake=lake), text, chat), fmt)


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="Where to write the HTML file.",
)
@click.option("--list-chats", is_flag=True, help="List the chats with their message counts.")
@period_options
@chat_option
@session_gap_option
@lake_option
def report(
    out: Path,
    list_chats: bool,
    start: dt.datetime | None,
    end: dt.datetime | None,
    chat: tuple[str, ...],
    session_gap: int | None,
    lake: str | None,
) -> None:
    """Write the report: one self-contained HTML page with a chart per question."""
    from tglake.analytics.report import check_report_path
    from tglake.analytics.service import build_report
    from tglake.candidates.aliases import read_aliases
    from tglake.cli.bot import reference_store

    if list_chats:
        _list_chats(lake, None)
        return
    check_report_path(out)
    settings = load_settings(lake=lake, session_gap_minutes=session_gap)
    aliases = read_aliases(reference_store(settings))
    path = build_report(settings, out, _day(start), _day(end), chat=chat, aliases=aliases)
    click.echo(f"report written to {path}")
