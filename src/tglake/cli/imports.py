"""``tglake import export``: a Telegram Desktop export into the lake, then its days rebuilt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from tglake import etl
from tglake.adapters.console_logging import setup_logging
from tglake.adapters.stores import open_store
from tglake.cli.context import lake_option, load_settings
from tglake.config import Settings
from tglake.errors import ConfigError, InvalidExportError
from tglake.ingest.export import ImportReport, import_export
from tglake.storage import ObjectStore


@click.group("import")
def import_group() -> None:
    """Bring data from outside the bot into the lake."""


def chats_table(report: ImportReport) -> Table:
    """One row per chat of the export: kind, Bot API id, counts, period, what was done."""
    table = Table(title=f"export {report.digest[:12]} ({report.kind})")
    for name in ("type", "chat_id", "messages", "service", "first", "last", "status"):
        table.add_column(name, no_wrap=True)
    for chat in report.chats:
        table.add_row(
            chat.export_type,
            "-" if chat.chat_id is None else str(chat.chat_id),
            str(chat.messages),
            str(chat.service_messages),
            (chat.first_date or "-")[:10],
            (chat.last_date or "-")[:10],
            f"skipped ({chat.skipped})" if chat.skipped else "imported",
        )
    return table


@import_group.command("export")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--no-etl", is_flag=True, help="Only store the export; do not rebuild its days.")
@click.option(
    "--keep-names",
    is_flag=True,
    help="When rebuilding its days, keep names in the enriched zone (default: off, or "
    "$TGLAKE_KEEP_NAMES); the lake remembers it, and every later rebuild keeps them.",
)
@click.option(
    "--timezone",
    "timezone_name",
    metavar="ZONE",
    help="Zone of the exporting machine, for exports older than date_unixtime (tdesktop < 4.0); "
    "default TGLAKE_TIMEZONE.",
)
@lake_option
def export_command(
    path: Path, no_etl: bool, keep_names: bool, timezone_name: str | None, lake: str | None
) -> None:
    """Import a Telegram Desktop JSON export (result.json or its folder).

    The file is kept byte for byte in the raw zone, named by its SHA-256 (importing it again
    stores nothing), and the days it covers are rebuilt so that its messages join the tables,
    without counting twice a message the bot also received. Exits 1 when the ETL rejects any
    stored message (each is listed with its reason), as `tglake etl --strict` would."""
    settings = load_settings(lake=lake, keep_names=True if keep_names else None)
    timezone = _zone(timezone_name)
    setup_logging(settings)
    raw = open_store(settings.raw_uri, endpoint_url=settings.aws_endpoint_url)
    console = Console(stderr=True)
    source = path / "result.json" if path.is_dir() else path
    total = 2 * source.stat().st_size if source.is_file() else None
    bar = Progress(
        TextColumn("import"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with bar:
        task = bar.add_task("read", total=total)
        report = import_export(
            path,
            settings=settings,
            raw=raw,
            progress=lambda n: bar.advance(task, n),
            timezone=timezone,
        )
    out = Console() if Console().is_terminal else Console(width=160)
    out.print(chats_table(report))
    if report.already_imported and not report.to_rebuild:
        out.print(f"already imported (sha256 {report.digest}): nothing stored")
        return
    if report.already_imported:
        out.print(
            f"already imported (sha256 {report.digest}): nothing stored; "
            f"finishing the rebuild of {len(report.to_rebuild)} day(s) cut short"
        )
        if not no_etl:
            _rebuild(report.to_rebuild, settings, raw, out)
        return
    if not report.kept:
        out.print("every chat was skipped: nothing stored")
        return
    out.print(
        f"stored {report.kept} message(s) over {len(report.days)} day(s)"
        + ("" if report.original_stored else "; the original file was not kept (allowlist)")
    )
    if report.local_dates:
        out.print(
            f"{report.local_dates} message(s) had no date_unixtime (tdesktop before 4.0): "
            f"dated by their local time in {report.timezone}"
        )
    if report.undated:
        out.print(f"{report.undated} message(s) without any date were not stored")
    if no_etl:
        return
    _rebuild(report.to_rebuild, settings, raw, out)


def _zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise ConfigError(f"--timezone {name!r} is not an IANA time zone") from None


def _rebuild(days: list[str], settings: Settings, raw: ObjectStore, out: Console) -> None:
    """Rebuild the export's days; every reject is listed, and any makes the command fail."""
    enriched = open_store(settings.enriched_uri, endpoint_url=settings.aws_endpoint_url)
    reports = etl.run_days(
        [dt.date.fromisoformat(d) for d in days], settings=settings, raw=raw, enriched=enriched
    )
    rows = sum(r.exported.rows for r in reports)
    dropped = sum(r.exported.dropped_bot_api for r in reports)
    out.print(
        f"rebuilt {len(reports)} day(s): {rows} exported message(s) in the tables, "
        f"{dropped} already received by the bot"
    )
    rejects = [reject for r in reports for reject in r.rejects]
    for key, reason in rejects:
        click.echo(f"rejected {key}: {reason}", err=True)
    if rejects:
        raise InvalidExportError(
            f"the ETL rejected {len(rejects)} stored entries of the rebuilt days (listed above): "
            "they are in the raw zone but not in the tables"
        )
