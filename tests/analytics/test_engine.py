"""The DuckDB engine: views over a folder or over S3 (the moto server over HTTP), partial lakes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.analytics.dataset import P3, U3
from tests.lakebuild import Updates, build_lake, messages_lake
from tglake import schema
from tglake.analytics import service
from tglake.analytics.duckdb_engine import DuckDBEngine, table_schema
from tglake.analytics.sql import Period, list_queries, load_query
from tglake.config import Settings
from tglake.errors import EmptyResultError

SP = "America/Sao_Paulo"
WHOLE = Period(dt.date(2024, 9, 30), dt.date(2024, 10, 2))


def test_a_missing_table_is_an_empty_view_with_the_columns_of_schema_py(lake: Path) -> None:
    engine = DuckDBEngine(str(lake), timezone=SP)
    for table, arrow in schema.SCHEMAS.items():
        result = engine.sql(f"SELECT * FROM {table}")
        assert result.columns == (*arrow.names, "context_date")
        assert result.rows == ()


def test_an_empty_view_has_the_same_column_types_as_one_over_files(lake: Path) -> None:
    def types(engine: DuckDBEngine) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in engine.con.execute("DESCRIBE messages").fetchall()]

    empty = types(DuckDBEngine(str(lake / "enriched"), timezone=SP))
    messages_lake(lake, [("2024-10-01 12:00", "oi", 1)])
    assert empty == types(DuckDBEngine(str(lake / "enriched"), timezone=SP))
    assert ("message_ts", "TIMESTAMP WITH TIME ZONE") in empty
    assert ("context_date", "DATE") in empty


def test_an_empty_lake_has_no_period(lake: Path) -> None:
    with pytest.raises(EmptyResultError, match="has no messages yet"):
        DuckDBEngine(str(lake), timezone=SP).lake_period()


def _button_lake(lake: Path) -> Path:
    """One button pressed at 01:30 UTC on 10-02: 22:30 on 10-01 in São Paulo."""
    updates = Updates()
    updates.callback(U3, P3, 7, "2024-10-02 01:30", "vote:15")
    return build_lake(lake, updates) / "enriched"


def test_context_date_comes_from_the_hive_path_as_a_date(lake: Path) -> None:
    engine = DuckDBEngine(str(_button_lake(lake)), timezone=SP)
    assert engine.sql("SELECT context_date, data, chat_id FROM callbacks").rows == (
        (dt.date(2024, 10, 1), "vote:15", None),  # a private chat: no id
    )
    assert "callbacks" in engine.present


def test_files_that_are_not_finished_parquet_are_not_read(lake: Path) -> None:
    enriched = _button_lake(lake)
    (path,) = (enriched / "telegram/callbacks/context_date=2024-10-01").glob("*.parquet")
    (path.parent / ".part-1.parquet.tmp").write_bytes(b"half a file")
    (path.parent / ".hidden.parquet").write_bytes(b"half a file")
    engine = DuckDBEngine(str(enriched), timezone=SP)
    assert engine.sql("SELECT count(*) FROM callbacks").rows == ((1,),)


def test_an_injected_connection_is_used(lake: Path) -> None:
    enriched = _button_lake(lake)
    connection = duckdb.connect()
    DuckDBEngine(str(enriched), timezone=SP, connection=connection)
    assert connection.execute("SELECT count(*) FROM callbacks").fetchone() == (1,)


def test_every_query_runs_on_a_lake_with_no_tables_at_all(lake: Path) -> None:
    engine = DuckDBEngine(str(lake), timezone=SP)
    for query in list_queries():
        assert engine.run(query, WHOLE).columns


def test_table_schema_adds_the_partition() -> None:
    assert table_schema("reactions").names[-1] == "context_date"


def _upload(client: Any, bucket: str, prefix: str, enriched: Path, table: str = "messages") -> None:
    """The ETL's own Parquet files of ``table``, copied to the bucket under ``prefix``."""
    for path in sorted((enriched / "telegram" / table).rglob("*.parquet")):
        key = f"{prefix}/{path.relative_to(enriched).as_posix()}"
        client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())


def test_s3_lake_gives_the_same_answers_as_a_folder(
    s3_bucket: tuple[str, Any], s3_endpoint: str, known_lake_master: Path
) -> None:
    bucket, client = s3_bucket
    _upload(client, bucket, "tglake/enriched", known_lake_master / "enriched")
    engine = DuckDBEngine(f"s3://{bucket}/tglake/enriched", timezone=SP, endpoint_url=s3_endpoint)
    folder = DuckDBEngine(str(known_lake_master / "enriched"), timezone=SP)
    assert engine.lake_period() == WHOLE
    for name in ("summary", "top_words", "messages_per_chat"):
        assert engine.run(load_query(name), WHOLE) == folder.run(load_query(name), WHOLE)
    assert engine.run(load_query("summary"), WHOLE).rows == (
        (12, 5, 6, 2, 1, 3, dt.date(2024, 9, 30), dt.date(2024, 10, 2)),
    )
    tuesday = Period(dt.date(2024, 10, 1), dt.date(2024, 10, 1))
    assert engine.run(load_query("messages_per_day"), tuesday).rows == ((dt.date(2024, 10, 1), 4),)
    assert engine.sql("SELECT count(*) FROM member_updates").rows == ((0,),)
    assert engine.present == {"messages"}


def test_s3_lake_through_settings_honours_aws_endpoint_url(
    s3_bucket: tuple[str, Any], s3_endpoint: str, known_lake_master: Path
) -> None:
    bucket, client = s3_bucket
    _upload(client, bucket, "lake/enriched", known_lake_master / "enriched")
    settings = Settings.from_env(
        {"TGLAKE_LAKE": f"s3://{bucket}/lake", "AWS_ENDPOINT_URL": s3_endpoint}
    )
    result = service.run_query(settings, "top_commands")
    assert result.rows == (("/candidato", 3, 2), ("/start", 1, 1))


def test_an_empty_s3_lake_is_a_clear_error(s3_bucket: tuple[str, Any], s3_endpoint: str) -> None:
    bucket, _ = s3_bucket
    settings = Settings.from_env(
        {"TGLAKE_LAKE": f"s3://{bucket}/lake", "AWS_ENDPOINT_URL": s3_endpoint}
    )
    with pytest.raises(EmptyResultError, match=f"the lake at s3://{bucket}/lake/enriched has no"):
        service.run_query(settings, "summary")


def test_messages_latest_is_a_view_even_on_an_empty_lake(lake: Path) -> None:
    engine = DuckDBEngine(str(lake), timezone=SP)
    result = engine.sql("SELECT * FROM messages_latest")
    assert result.rows == ()
    assert {"edit_count", "text", "edit_ts", "context_date"} <= set(result.columns)
