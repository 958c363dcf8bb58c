"""Tables that fit the terminal: the ETL summary and query results at 80 and 120 columns lose no
column, cut no header, date or number, and never draw past the edge."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tests.lakebuild import PSEUDONYM_KEY
from tglake import etl
from tglake.adapters.stores import open_store
from tglake.cli import main_group
from tglake.cli.etl import SUMMARY_HEADERS, summary_tables
from tglake.config import Settings

DAYS = [dt.date(2024, 9, 30), dt.date(2024, 10, 1), dt.date(2024, 10, 2)]


def rebuilt_reports(lake: Path) -> list[etl.DayReport]:
    """The real ETL of the known conversation's days, run again on its raw zone."""
    settings = Settings.from_env(
        {"TGLAKE_LAKE": str(lake), "TGLAKE_PSEUDONYM_KEY": PSEUDONYM_KEY}, {}
    )
    return etl.run_days(
        DAYS,
        settings=settings,
        raw=open_store(settings.raw_uri),
        enriched=open_store(settings.enriched_uri),
    )


def printed(width: int, reports: list[etl.DayReport]) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    for table in summary_tables(console, reports):
        console.print(table)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [80, 120])
def test_the_etl_summary_fits_and_keeps_every_column_header_and_day_whole(
    known_lake: Path, width: int
) -> None:
    # GIVEN the real ETL's reports of three days
    reports = rebuilt_reports(known_lake)
    # WHEN the summary is printed on a terminal this wide
    text = printed(width, reports)
    # THEN no line passes the edge, nothing is cut, and every header and day is there in full
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    for word in (*SUMMARY_HEADERS, *(day.isoformat() for day in DAYS)):
        assert word in text
    # and each table's row count is printed whole beside its name
    messages = [line for line in text.splitlines() if "│ messages " in line]
    counts = [cell for line in messages for cell in line.split("│")[2:-1]]
    assert [int(c) for c in counts] == [r.rows["messages"] for r in reports]


def test_a_wide_terminal_shows_one_row_per_day(known_lake: Path) -> None:
    reports = rebuilt_reports(known_lake)
    text = printed(220, reports)
    header = next(line for line in text.splitlines() if "┃ day " in line)
    assert [h.strip() for h in header.split("┃")[1:-1]] == list(SUMMARY_HEADERS)
    assert sum(line.startswith("│ 2024-") for line in text.splitlines()) == len(DAYS)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", ["summary", "messages_per_day", "top_mentioned_candidates"])
def test_query_tables_fit_the_terminal_and_cut_no_date(
    known_lake: Path, width: int, name: str
) -> None:
    # GIVEN the lake the real ETL built; WHEN a query prints as a table this wide
    result = CliRunner().invoke(
        main_group,
        ["query", name, "--lake", str(known_lake), "--format", "table"],
        env={"COLUMNS": str(width)},
    )
    assert result.exit_code == 0, result.output
    # THEN it fits, nothing is cut, and the dates the CSV form gives are all there in full
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in result.output
    csv = CliRunner().invoke(
        main_group, ["query", name, "--lake", str(known_lake), "--format", "csv"]
    )
    header, *rows = csv.output.splitlines()
    for column in header.split(","):
        assert column in result.output
    for cell in (c for row in rows for c in row.split(",")):
        assert cell in result.output
