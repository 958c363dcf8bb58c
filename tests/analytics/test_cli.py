"""``tglake query``, ``tglake sql`` and ``tglake report`` on real lake folders."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tglake.analytics.sql import list_queries
from tglake.cli import main_group
from tglake.cli.context import run_guarded


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the command as the console script does (``Error: …`` and exit 1 on our errors)."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        code = run_guarded(main_group, list(args))
        return code, out.getvalue().decode(), err.getvalue().decode()


def test_query_list_shows_every_query_with_its_description() -> None:
    code, out, _ = invoke("query", "--list")
    assert code == 0
    for q in list_queries():
        assert f"{q.name:<24} {q.description}" in out


def test_query_prints_csv_when_piped(known_lake: Path) -> None:
    code, out, _ = invoke("query", "messages_per_day", "--lake", str(known_lake))
    assert code == 0
    assert out == "local_day,messages\n2024-09-30,4\n2024-10-01,3\n2024-10-02,3\n"


def test_query_as_json_with_a_period(known_lake: Path) -> None:
    code, out, _ = invoke(
        "query",
        "top_commands",
        "--lake",
        str(known_lake),
        "--from",
        "2024-10-01",
        "--to",
        "2024-10-01",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [{"command": "/candidato", "messages": 1, "users": 1}]


def test_query_as_a_table_for_people(known_lake: Path) -> None:
    code, out, _ = invoke("query", "content_types", "--lake", str(known_lake), "--format", "table")
    assert code == 0
    assert "content_type" in out
    assert "sticker" in out
    assert "80.0" in out
    assert out.rstrip().endswith("3 rows")


def test_query_on_an_empty_lake_is_a_clear_error(lake: Path) -> None:
    code, out, err = invoke("query", "messages_per_day", "--lake", str(lake))
    assert (code, out) == (1, "")
    assert err == f"Error: the lake at {lake}/enriched has no messages yet\n"


def test_query_on_an_empty_period_is_a_clear_error(known_lake: Path) -> None:
    code, _, err = invoke(
        "query", "summary", "--lake", str(known_lake), "--from", "2023-01-01", "--to", "2023-01-31"
    )
    assert code == 1
    assert err == f"Error: no messages between 2023-01-01 and 2023-01-31 in {known_lake}/enriched\n"


def test_a_period_with_data_on_some_days_only_is_fine(known_lake: Path) -> None:
    code, out, _ = invoke(
        "query",
        "messages_per_day",
        "--lake",
        str(known_lake),
        "--from",
        "2024-10-02",
        "--to",
        "2024-10-20",
    )
    assert (code, out) == (0, "local_day,messages\n2024-10-02,3\n")


def test_an_unknown_query_is_a_clear_error(known_lake: Path) -> None:
    code, _, err = invoke("query", "nope", "--lake", str(known_lake))
    assert code == 1
    assert err.startswith("Error: no query named 'nope'; known queries: active_users_per_day, ")


def test_sql_runs_over_the_same_views(known_lake: Path) -> None:
    code, out, _ = invoke(
        "sql",
        "SELECT count(*) AS n, count(DISTINCT context_date) AS days FROM messages",
        "--lake",
        str(known_lake),
    )
    assert (code, out) == (0, "n,days\n11,3\n")


def test_sql_sees_tables_the_lake_does_not_have_yet_as_empty(known_lake: Path) -> None:
    code, out, _ = invoke("sql", "SELECT count(*) AS n FROM reactions", "--lake", str(known_lake))
    assert (code, out) == (0, "n\n0\n")


def test_bad_sql_is_a_one_line_error(known_lake: Path) -> None:
    code, _, err = invoke("sql", "SELECT nope FROM messages", "--lake", str(known_lake))
    assert code == 1
    assert err.startswith('Error: the query failed: Binder Error: Referenced column "nope"')
    assert err.count("\n") == 1


def test_report_writes_one_html_file(known_lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    code, stdout, _ = invoke("report", "--lake", str(known_lake), "--out", str(out))
    assert (code, stdout) == (0, f"report written to {out}\n")
    html = out.read_text(encoding="utf-8")
    assert "30/09/2024 a 02/10/2024" in html
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


def test_report_on_an_empty_lake_is_a_clear_error(lake: Path, tmp_path: Path) -> None:
    code, _, err = invoke("report", "--lake", str(lake), "--out", str(tmp_path / "r.html"))
    assert code == 1
    assert err == f"Error: the lake at {lake}/enriched has no messages yet\n"
    assert not (tmp_path / "r.html").exists()


def test_every_command_has_help() -> None:
    for command in ("query", "sql", "report"):
        code, out, _ = invoke(command, "--help")
        assert code == 0
        assert "--lake" in out


def test_sql_help_names_every_view() -> None:
    from tglake.schema import SCHEMAS

    _, out, _ = invoke("sql", "--help")
    words = set(out.replace(",", " ").split())
    assert set(SCHEMAS) <= words


def test_a_from_after_the_last_day_of_the_lake_is_an_empty_period(known_lake: Path) -> None:
    code, _, err = invoke("query", "summary", "--lake", str(known_lake), "--from", "2025-01-01")
    assert code == 1
    assert err == f"Error: no messages between 2025-01-01 and 2025-01-01 in {known_lake}/enriched\n"


def test_a_to_before_the_first_day_of_the_lake_is_an_empty_period(known_lake: Path) -> None:
    code, _, err = invoke("query", "summary", "--lake", str(known_lake), "--to", "2024-01-01")
    assert code == 1
    assert err == f"Error: no messages between 2024-01-01 and 2024-01-01 in {known_lake}/enriched\n"


def test_from_alone_runs_to_the_last_day_of_the_lake(known_lake: Path) -> None:
    code, out, _ = invoke("query", "summary", "--lake", str(known_lake), "--from", "2024-10-01")
    assert (code, out) == (
        0,
        "messages,active_users,chats,first_day,last_day\n6,3,4,2024-10-01,2024-10-02\n",
    )
