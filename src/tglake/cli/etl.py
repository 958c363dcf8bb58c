"""``tglake etl``: raw JSON of one day (or a range) → the enriched Parquet partitions."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tglake import etl, layout
from tglake.adapters.console_logging import logging_into, setup_logging
from tglake.adapters.lake_check import check_lake
from tglake.adapters.stores import open_store
from tglake.cli.context import lake_option, load_settings
from tglake.cli.fitting import fitted
from tglake.errors import CorruptRawFileError
from tglake.etl import tables
from tglake.etl.run import PENDING_WINDOW

DATE = click.DateTime(formats=["%Y-%m-%d"])


SUMMARY_HEADERS = (
    "day", "updates", *(spec.name for spec in tables.SPECS),
    "duplicates", "conflicts", "rejects", "unflattened", "time",
)  # fmt: skip


def summary_rows(reports: list[etl.DayReport]) -> list[list[str]]:
    """Updates read, rows per table, duplicates, conflicts, rejects and time, one day a row."""
    rows = []
    for r in reports:
        if not r.written:
            counts = ["0", *["-"] * (len(tables.SPECS) + 4)]
        else:
            counts = [
                str(r.updates_read),
                *(str(r.rows.get(spec.name, 0)) for spec in tables.SPECS),
                str(r.duplicates_dropped),
                str(r.conflicts_kept),
                str(len(r.rejects)),
                str(sum(r.unknown_kinds.values())),
            ]
        rows.append([r.day.isoformat(), *counts, f"{r.seconds:.2f} s"])
    return rows


def summary_tables(console: Console, reports: list[etl.DayReport]) -> list[Table]:
    """The summary as it fits ``console``: a row per day when wide enough, else on its side."""
    right = [False, *[True] * (len(SUMMARY_HEADERS) - 1)]
    return fitted(console, SUMMARY_HEADERS, summary_rows(reports), right=right, title="tglake etl")


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
    with bar, logging_into(sys.stderr):  # inside the bar, sys.stderr is rich's proxy
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
    for store in (raw, enriched):  # both are written (the raw zone: rebuilt exports' markers)
        check_lake(store)
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
    for table in summary_tables(out, reports):
        out.print(table)
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
