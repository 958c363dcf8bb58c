"""``tglake etl``: raw JSON of one day (or a range) → the enriched Parquet partitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tglake import etl, layout
from tglake.adapters.console_logging import setup_logging
from tglake.adapters.stores import open_store
from tglake.cli.context import lake_option, load_settings
from tglake.errors import CorruptRawFileError
from tglake.etl import tables
from tglake.etl.run import PENDING_WINDOW

DATE = click.DateTime(formats=["%Y-%m-%d"])


def summary_table(reports: list[etl.DayReport]) -> Table:
    """Updates read, rows per table, duplicates, conflicts, rejects and seconds, one day a row."""
    table = Table(title="tglake etl")
    table.add_column("day", no_wrap=True)
    table.add_column("updates", justify="right")
    for spec in tables.SPECS:
        table.add_column(spec.name, justify="right", no_wrap=True)
    for name in ("duplicates", "conflicts", "rejects", "unflattened", "seconds"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in reports:
        if not r.written:
            table.add_row(r.day.isoformat(), "0", *["-"] * len(tables.SPECS), "-", "-", "-", "-",
                          f"{r.seconds:.2f}")  # fmt: skip
            continue
        table.add_row(
            r.day.isoformat(),
            str(r.updates_read),
            *(str(r.rows.get(spec.name, 0)) for spec in tables.SPECS),
            str(r.duplicates_dropped),
            str(r.conflicts_kept),
            str(len(r.rejects)),
            str(sum(r.unknown_kinds.values())),
            f"{r.seconds:.2f}",
        )
    return table


DayProgress = Callable[[etl.DayReport], None]
BatchProgress = Callable[[dt.date, int, int], None]


@contextmanager
def _progress(console: Console, days: list[dt.date]) -> Iterator[tuple[DayProgress, BatchProgress]]:
    """A bar of the raw objects of the day being processed, advanced after every batch (so one
    big day shows progress), and above it a bar of the days when there are several."""
    bar = Progress(
        TextColumn("etl"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with bar:
        days_task = bar.add_task(days[0].isoformat(), total=len(days), visible=len(days) > 1)
        objects_task = bar.add_task("raw objects", total=None)

        def advance(report: etl.DayReport) -> None:
            bar.update(days_task, advance=1, description=report.day.isoformat())

        def on_batch(day: dt.date, done: int, total: int) -> None:
            bar.update(objects_task, completed=done, total=total, description=f"{day} raw objects")

        yield advance, on_batch


@click.command("etl")
@click.option("--date", "date_", type=DATE, default=None, help="The day to process (YYYY-MM-DD).")
@click.option("--from", "from_", type=DATE, default=None, help="First day of a backfill.")
@click.option("--to", "to", type=DATE, default=None, help="Last day of a backfill (inclusive).")
@click.option(
    "--pending",
    is_flag=True,
    help="Catch up: every finished day of the last --window whose raw data is newer than its "
    "Parquet (or has none), as the scheduler of tglake serve does.",
)
@click.option(
    "--window",
    type=click.IntRange(min=1),
    default=PENDING_WINDOW,  # the scheduler's window
    show_default=True,
    help="With --pending: how many finished days back to look.",
)
@click.option("--strict", is_flag=True, help="Exit with an error when any raw object is rejected.")
@click.option(
    "--keep-names",
    is_flag=True,
    help="Keep names, usernames and phone numbers in the enriched zone (default: off, or "
    "$TGLAKE_KEEP_NAMES); the lake remembers it, and every later rebuild keeps them.",
)
@lake_option
def etl_command(
    date_: dt.datetime | None,
    from_: dt.datetime | None,
    to: dt.datetime | None,
    pending: bool,
    window: int,
    strict: bool,
    keep_names: bool,
    lake: str | None,
) -> None:
    """Turn raw updates into clean, deduplicated Parquet (default: yesterday)."""
    settings = load_settings(lake=lake, keep_names=True if keep_names else None)
    setup_logging(settings)
    if date_ is not None and (from_ is not None or to is not None):
        raise click.UsageError("give either --date or --from/--to, not both")
    if pending and (date_ is not None or from_ is not None or to is not None):
        raise click.UsageError("--pending chooses the days itself: no --date, --from or --to")
    if (from_ is None) != (to is None):
        raise click.UsageError("--from and --to go together")
    raw = open_store(settings.raw_uri, endpoint_url=settings.aws_endpoint_url)
    enriched = open_store(settings.enriched_uri, endpoint_url=settings.aws_endpoint_url)
    if pending:
        today = layout.context_date(dt.datetime.now(dt.UTC), settings.tz)
        days = etl.pending_days(raw, enriched, today, window=window)
        if not days:
            click.echo(f"nothing pending in the last {window} day(s)")
            return
    elif from_ is not None and to is not None:
        try:
            days = layout.day_range(from_.date(), to.date())
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    elif date_ is not None:
        days = [date_.date()]
    else:
        days = [etl.yesterday(dt.datetime.now(dt.UTC), settings)]
    console = Console(stderr=True)
    with _progress(console, days) as (progress, on_batch):
        reports = etl.run_days(
            days,
            settings=settings,
            raw=raw,
            enriched=enriched,
            progress=progress,
            on_batch=on_batch,
        )
    out = Console()
    if not out.is_terminal:
        out = Console(width=220)  # a pipe or a log file: do not squeeze the table
    out.print(summary_table(reports))
    for report in reports:
        if not report.written:
            out.print(f"{report.day}: no raw updates, nothing written")
        for kind, count in report.unknown_kinds.items():
            out.print(f"{report.day}: {count} update(s) of kind {kind} not flattened (kept raw)")
        for key, reason in report.rejects:
            out.print(f"{report.day}: rejected {key}: {reason}")
    rejected = sum(len(r.rejects) for r in reports)
    if strict and rejected:
        raise CorruptRawFileError(f"{rejected} raw object(s) rejected (--strict)")
