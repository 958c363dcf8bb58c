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
    assert out == "local_day,messages\n2024-09-30,4\n2024-10-01,4\n2024-10-02,4\n"


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
    assert json.loads(out) == [{"command": "/candidato", "messages": 1, "users": 1}]  # m7


def test_query_as_a_table_for_people(known_lake: Path) -> None:
    code, out, _ = invoke("query", "content_types", "--lake", str(known_lake), "--format", "table")
    assert code == 0
    assert "content_type" in out
    assert "sticker" in out
    assert "83.3" in out
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
    assert (code, out) == (0, "local_day,messages\n2024-10-02,4\n")


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
    assert (code, out) == (0, "n,days\n15,3\n")  # m1..m12 and the edits e1 e2 e3


def test_sql_sees_tables_the_lake_does_not_have_yet_as_empty(
    known_lake_without_bot: Path,
) -> None:
    lake = str(known_lake_without_bot)
    code, out, _ = invoke("sql", "SELECT count(*) AS n FROM bot_replies", "--lake", lake)
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
        # m5..m12: u3 u1 u5 u4; SG BG CH and the private chats of u3 u1 u4
        "messages,active_users,chats,groups,channels,private_chats,first_day,last_day\n"
        "8,4,6,2,1,3,2024-10-01,2024-10-02\n",
    )


SUMMARY_HEAD = "messages,active_users,chats,groups,channels,private_chats,first_day,last_day\n"


def test_chat_by_title_narrows_a_query_to_that_chat(known_lake: Path) -> None:
    code, out, _ = invoke("query", "summary", "--lake", str(known_lake), "--chat", "Eleição Mogi")
    # m3 m4 m9 m10: u2 u4 u1
    assert (code, out) == (0, SUMMARY_HEAD + "4,3,1,1,0,0,2024-09-30,2024-10-02\n")


def test_chat_private_takes_every_private_conversation_together(known_lake: Path) -> None:
    code, out, _ = invoke("query", "summary", "--lake", str(known_lake), "--chat", "private")
    # m1 m2 m7 (u1), m5 m6 (u3), m12 (u4)
    assert (code, out) == (0, SUMMARY_HEAD + "6,3,3,0,0,3,2024-09-30,2024-10-02\n")


def test_chat_is_repeatable_and_takes_an_id(known_lake: Path) -> None:
    code, out, _ = invoke(
        "query", "messages_per_chat", "--lake", str(known_lake),
        "--chat", "-4000000002", "--chat", "canal notícias",
    )  # fmt: skip
    assert (code, out) == (
        0,
        "chat_type,chat_title,chats,messages,users\n"
        "channel,Canal Notícias,1,1,0\ngroup,Bairro Braz Cubas,1,1,1\n",
    )


def test_chat_filters_every_view_of_sql_too(known_lake: Path) -> None:
    code, out, _ = invoke(
        "sql",
        "SELECT (SELECT count(*) FROM messages) AS m, (SELECT count(*) FROM messages_latest) AS l,"
        " (SELECT count(*) FROM callbacks) AS c, (SELECT count(*) FROM candidate_mentions) AS n,"
        " (SELECT count(*) FROM bot_replies) AS b, (SELECT count(*) FROM reactions) AS r",
        "--lake", str(known_lake), "--chat", "private",
    )  # fmt: skip
    # private: 6 messages, no edits; u3's button; m5's mention of 22; b1..b13 (all private)
    assert (code, out) == (0, "m,l,c,n,b,r\n6,6,1,1,13,0\n")


def test_a_private_chat_is_never_found_by_its_id(known_lake: Path) -> None:
    code, _, err = invoke("query", "summary", "--lake", str(known_lake), "--chat", "101")
    assert code == 1
    assert err == "Error: no chat '101' in the lake; see --list-chats\n"


def test_list_chats_shows_each_chat_with_its_messages_and_no_private_id(known_lake: Path) -> None:
    code, out, _ = invoke("query", "--list-chats", "--lake", str(known_lake))
    assert (code, out) == (
        0,
        "chat_type,chat_title,chat_id,chats,messages\n"
        "private,,,3,6\n"
        "supergroup,Eleição Mogi,-1001000000001,1,4\n"
        "channel,Canal Notícias,-1001000000003,1,1\n"
        "group,Bairro Braz Cubas,-4000000002,1,1\n",
    )
    for command in ("sql", "report"):
        assert invoke(command, "--list-chats", "--lake", str(known_lake))[1] == out


def test_report_for_one_chat_says_so_in_its_title(known_lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, _ = invoke(
        "report", "--lake", str(known_lake), "--out", str(out), "--chat", "Bairro Braz Cubas"
    )
    html = out.read_text(encoding="utf-8")
    assert code == 0
    assert "<h1>Relatório de conversas do bot: Bairro Braz Cubas</h1>" in html
    # with no --from/--to, the period runs from the chat's first day to its last: m8 (10-01)
    # and its edit e3 (10-02)
    assert "01/10/2024 a 02/10/2024" in html
