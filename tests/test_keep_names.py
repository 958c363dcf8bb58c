"""A lake built with names kept keeps them on every rebuild, whichever path rebuilds the day.

The choice is the lake's (recorded in ``enriched/_lake/settings.json`` by the first run that
keeps names), not a flag each command must remember: every path below runs with no flag and no
``TGLAKE_KEEP_NAMES``, and each must leave the names in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests import export_shapes as xs
from tests.helpers import fixture_bytes
from tglake import lakestate, pseudonym
from tglake.adapters.lambda_handlers import build_etl
from tglake.adapters.scheduler import subprocess_job
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.config import Settings
from tglake.etl import publish
from tglake.ingest import store_update
from tglake.layout import context_date
from tglake.storage import LocalStore

SP = dt.timezone(dt.timedelta(hours=-3))
PASSER_BY = 5550006
"""Fábio, whose private message is on the day: the erasure of him rebuilds it."""


def names_on(lake: Path, day: dt.date) -> set[tuple[str | None, str]]:
    files = f"{lake}/enriched/telegram/messages/context_date={day}/data.parquet"
    rows = duckdb.sql(f"SELECT user_first_name, source FROM read_parquet('{files}')").fetchall()
    return set(rows)


def test_every_path_that_rebuilds_a_day_keeps_the_names_of_a_lake_built_with_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a day (two days ago, inside --pending's window) of webhook updates, built once
    # with `tglake etl --keep-names`
    lake = tmp_path / "lake"
    raw, enriched = LocalStore(lake / "raw"), LocalStore(lake / "enriched")
    day = context_date(dt.datetime.now(dt.UTC), SP) - dt.timedelta(days=2)
    store_update(raw, day, 100000001, fixture_bytes("message_text"))  # Ana, in the group
    store_update(raw, day, 100000014, fixture_bytes("private_message"))  # Fábio
    assert (
        run_guarded(main_group, ["etl", "--date", str(day), "--keep-names", "--lake", str(lake)])
        == 0
    )
    assert ("Ana", "bot_api") in names_on(lake, day)
    lake_key = pseudonym.load_or_create_key(Settings(lake=str(lake)))  # the etl's key file
    assert lakestate.read(enriched) == lakestate.LakeState(
        keep_names=True, key_check=lakestate.key_check(lake_key)
    )
    export = xs.single_chat([xs.message(1, dt.datetime.combine(day, dt.time(12), SP), 4242,
                                        "Josefa Exportada", text="antes do bot")])  # fmt: skip
    env = {"TGLAKE_LAKE": str(lake)}
    paths: dict[str, Callable[[], object]] = {
        "etl": lambda: run_guarded(main_group, ["etl", "--date", str(day), "--lake", str(lake)]),
        "etl --pending": lambda: run_guarded(main_group, ["etl", "--pending", "--lake", str(lake)]),
        "import export": lambda: run_guarded(
            main_group,
            ["import", "export", str(xs.write(tmp_path / "e", export)), "--lake", str(lake)],
        ),
        "forget": lambda: run_guarded(
            main_group, ["forget", "--user-id", str(PASSER_BY), "--lake", str(lake)]
        ),
        "the ETL Lambda": lambda: build_etl(env)({"date": str(day)}, None),
        "the scheduler's job": lambda: subprocess_job(["--lake", str(lake)])([day]),
    }
    for name, rebuild in paths.items():
        # WHEN the day's messages and manifest are gone and this path rebuilds the day
        for key in (publish.data_key("messages", day), publish.manifest_key(day)):
            enriched.delete(key)
        result = rebuild()
        assert result in (0, None) or isinstance(result, dict), name
        capsys.readouterr()
        # THEN the names are there
        assert ("Ana", "bot_api") in names_on(lake, day), name
    assert ("Josefa Exportada", "export") in names_on(lake, day)
