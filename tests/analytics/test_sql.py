"""The query library: one described question per file, SQL that DuckDB and Athena both accept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import (
    ATHENA,
    DIALECTS,
    DUCKDB,
    VIEWS,
    Period,
    Query,
    for_dialect,
    list_queries,
    load_query,
    render,
    stopwords,
    translated,
    view_sql,
)
from tglake.errors import ConfigError

PERIOD = Period(dt.date(2024, 9, 30), dt.date(2024, 10, 2))
REQUIRED = {
    "messages_per_day",
    "messages_per_hour",
    "messages_per_weekday",
    "active_users_per_day",
    "new_vs_returning_users",
    "messages_per_user",
    "content_types",
    "message_length",
    "edits_ratio",
    "top_commands",
    "top_hashtags",
    "top_words",
    "messages_per_chat",
}


def test_the_library_answers_every_question_of_the_issue() -> None:
    assert {q.name for q in list_queries()} >= REQUIRED


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_starts_with_a_one_line_description(query: Query) -> None:
    assert query.text.startswith("-- ")
    assert len(query.description) > 20


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_parses_as_athena_sql_with_only_known_functions(query: Query) -> None:
    text = render(query, PERIOD, "America/Sao_Paulo", ATHENA)
    tree = sqlglot.parse_one(text, read="athena", error_level=sqlglot.ErrorLevel.RAISE)
    # sqlglot parses a function it does not know for the dialect as Anonymous: none allowed
    unknown = sorted({f.name for f in tree.find_all(exp.Anonymous)})
    assert unknown == []
    assert "$" not in text  # every parameter was rendered


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_query_parses_as_trino_and_duckdb_sql(query: Query) -> None:
    for dialect, read in ((ATHENA, "trino"), (DUCKDB, "duckdb")):
        text = render(query, PERIOD, "America/Sao_Paulo", dialect)
        sqlglot.parse_one(text, read=read, error_level=sqlglot.ErrorLevel.RAISE)


def test_parameters_become_literals() -> None:
    query = Query("q", "d", "SELECT $start, $end, $tz")
    assert render(query, PERIOD, "America/Sao_Paulo") == (
        "SELECT DATE '2024-09-30', DATE '2024-10-02', 'America/Sao_Paulo'"
    )


def test_an_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown query parameter \$user"):
        render(Query("q", "d", "SELECT $user"), PERIOD, "UTC")


def test_a_time_zone_that_does_not_exist_is_refused_before_it_reaches_sql() -> None:
    with pytest.raises(ConfigError, match="not a known IANA time zone"):
        render(load_query("messages_per_hour"), PERIOD, "Mars/Olympus'; DROP TABLE x")


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ConfigError, match="--to 2024-09-01 is before --from 2024-10-01"):
        Period(dt.date(2024, 10, 1), dt.date(2024, 9, 1))


def test_an_unknown_query_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="no query named 'nope'; known queries: active_users"):
        load_query("nope")


def test_stopwords_are_portuguese_and_lower_case() -> None:
    words = stopwords()
    assert {"de", "que", "não", "você", "pra", "vc"} <= set(words)
    assert all(w == w.lower() and " " not in w for w in words)


def test_the_rendered_top_words_fits_in_an_athena_query() -> None:
    text = render(load_query("top_words"), PERIOD, "UTC", ATHENA)
    assert len(text.encode()) < ATHENA.max_query_bytes


def test_dialects_are_frozen_data() -> None:
    assert set(DIALECTS) == {"duckdb", "athena"}
    with pytest.raises(AttributeError):
        DUCKDB.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("name", translated(DUCKDB))
def test_a_duckdb_translation_gives_the_same_rows_as_the_shared_query(
    known_lake_master: Path, name: str
) -> None:
    engine = DuckDBEngine(str(known_lake_master / "enriched"), timezone="America/Sao_Paulo")
    shared = load_query(name)
    own = for_dialect(shared, DUCKDB)
    assert own.text != shared.text
    assert own.text.startswith(f"-- DuckDB translation of ../{name}.sql")
    assert engine.sql(render(own, PERIOD, "America/Sao_Paulo")).rows
    assert engine.sql(render(own, PERIOD, "America/Sao_Paulo")) == engine.sql(
        render(shared, PERIOD, "America/Sao_Paulo")
    )


def test_athena_runs_the_shared_text() -> None:
    query = load_query("top_words")
    assert for_dialect(query, ATHENA) is query
    assert "top_words" in translated(DUCKDB)


@pytest.mark.parametrize("name", VIEWS)
def test_every_view_parses_as_athena_and_trino_sql_with_only_known_functions(name: str) -> None:
    for read in ("athena", "trino", "duckdb"):
        tree = sqlglot.parse_one(view_sql(name), read=read, error_level=sqlglot.ErrorLevel.RAISE)
        assert sorted({f.name for f in tree.find_all(exp.Anonymous)}) == []
    assert "$" not in view_sql(name)  # no parameters: a view is created once


def test_text_analyses_read_messages_latest_and_counts_read_messages() -> None:
    for name in ("top_words", "top_hashtags"):
        assert "FROM messages_latest" in load_query(name).text
        assert "FROM messages_latest" in for_dialect(load_query(name), DUCKDB).text
    assert "FROM messages\n" in load_query("edits_ratio").text  # the history stays
