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
    from rich.table import Table

    from tglake.analytics.results import plain

    table = Table(show_lines=False, header_style="bold")
    for index, name in enumerate(result.columns):
        numeric = bool(result.rows) and all(
            isinstance(row[index], int | float) for row in result.rows if row[index] is not None
        )
        table.add_column(name, justify="right" if numeric else "left")
    for row in result.rows:
        table.add_row(*("" if v is None else str(plain(v)) for v in row))
    Console().print(table)
    click.echo(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the queries with their descriptions.")
@period_options
@format_option
@lake_option
def query(
    name: str | None,
    list_: bool,
    start: dt.datetime | None,
    end: dt.datetime | None,
    fmt: str | None,
    lake: str | None,
) -> None:
    """Run one query of the library (see --list) over the enriched zone."""
    from tglake.analytics.sql import list_queries

    if list_:
        for q in list_queries():
            click.echo(f"{q.name:<24} {q.description}")
        return
    if not name:
        raise click.UsageError("give a query NAME, or --list to see them")
    from tglake.analytics.service import run_query

    _print(run_query(load_settings(lake=lake), name, _day(start), _day(end)), fmt)


@click.command()
@click.argument("text", metavar="SQL")
@format_option
@lake_option
def sql(text: str, fmt: str | None, lake: str | None) -> None:
    """Run ad-hoc SQL over the views messages, callbacks, reactions and member_updates."""
    from tglake.analytics.service import run_sql

    _print(run_sql(load_settings(lake=lake), text), fmt)


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="Where to write the HTML file.",
)
@period_options
@lake_option
def report(out: Path, start: dt.datetime | None, end: dt.datetime | None, lake: str | None) -> None:
    """Write the report: one self-contained HTML page with a chart per question."""
    from tglake.analytics.service import build_report
    from tglake.candidates.aliases import read_aliases
    from tglake.cli.bot import reference_store

    settings = load_settings(lake=lake)
    aliases = read_aliases(reference_store(settings))
    path = build_report(settings, out, _day(start), _day(end), aliases=aliases)
    click.echo(f"report written to {path}")
