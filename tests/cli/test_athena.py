"""``tglake athena ddl`` prints the DDL; its errors are one ``Error:`` line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tglake.analytics.athena_ddl import ddl_script
from tglake.cli import main_group


def test_ddl_prints_the_script_for_the_location_given() -> None:
    result = CliRunner().invoke(main_group, ["athena", "ddl", "--location", "s3://b/p"])
    assert result.exit_code == 0
    assert result.output == ddl_script("s3://b/p")


def test_ddl_defaults_to_the_enriched_zone_of_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TGLAKE_ENRICHED_URI", "s3://enriched-bucket")
    result = CliRunner().invoke(
        main_group, ["athena", "ddl", "--database", "bot_lake", "--start", "2024-09-01"]
    )
    assert result.exit_code == 0
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS `bot_lake`.`messages`" in result.output
    assert "'projection.context_date.range' = '2024-09-01,NOW'" in result.output
    assert "LOCATION 's3://enriched-bucket/telegram/messages/'" in result.output


def test_ddl_without_an_s3_location_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    from tglake.cli.context import run_guarded

    assert run_guarded(main_group, ["athena", "ddl"]) == 1
    assert capsys.readouterr().err == (
        "Error: Athena reads S3: the location must be s3://…, not './lake/enriched'\n"
    )
