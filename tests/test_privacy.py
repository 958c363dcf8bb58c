"""No person's id in the enriched zone: real updates through the real webhook and ETL, then every
value of every column of every table (and every other file) scanned for who was in the input."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests import people as p
from tglake.candidates.catalog import CandidateData
from tglake.config import Secret, Settings
from tglake.etl.flatten import Context, Row, TableSpec
from tglake.etl.run import run_day
from tglake.etl.tables import SPECS
from tglake.schema import NAME_COLUMNS
from tglake.storage import LocalStore

SECRET = "privacy-test-webhook-secret"
NOW = dt.datetime(2024, 10, 1, 12, 0, tzinfo=dt.UTC)
DAY = dt.date(2024, 10, 1)


def ingest(lake: Path, data: CandidateData) -> Settings:
    """Every update of :func:`tests.people.day_of_updates` posted to the webhook with the bot on."""
    settings = Settings(
        lake=str(lake), webhook_secret=Secret(SECRET), pseudonym_key=Secret("k" * 32)
    )
    raw = LocalStore(settings.raw_uri)
    p.post_all(settings, raw, data, [(NOW, u) for u in p.day_of_updates()])
    return settings


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, shipped: CandidateData) -> tuple[Path, Settings]:
    root = tmp_path_factory.mktemp("privacy") / "lake"
    return root, ingest(root, shipped)


def etl(root: Path, settings: Settings, *, keep_names: bool) -> Path:
    enriched = root / ("enriched-names" if keep_names else "enriched")
    report = run_day(
        DAY, settings=dataclasses.replace(settings, keep_names=keep_names),
        raw=LocalStore(root / "raw"), enriched=LocalStore(enriched),
    )  # fmt: skip
    assert report.rejects == []
    return enriched


def test_the_input_is_full_of_people(lake: tuple[Path, Settings]) -> None:
    """The scan below means something only if the input holds what it looks for."""
    found = p.people_in(p.raw_updates(lake[0] / "raw"))
    assert {7410000001, 7410000002, 7410000003, 7410000004, 7410000005} <= found.ids
    assert {"Zulmira", "Anhanguera", "Eulália", "Leocádia", "Tamanduá"} <= found.names
    assert {"zulmira_qx", "godo_anh", "bartojab"} <= found.usernames
    assert {p.LEOCADIA_PHONE, "5511955554444"} <= found.phones
    assert len(list((lake[0] / "raw" / "bot").rglob("*.json"))) >= 4  # the bot answered


def _leaky(update: Mapping[str, Any], ctx: Context) -> list[Row]:
    """A table the ETL must never have: the sender's raw id, and the mentions' texts."""
    message = update.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("from"), dict):
        return []
    text = str(message.get("text") or "")
    spans = [text[e["offset"] : e["offset"] + e["length"]] for e in message.get("entities", [])]
    return [{"update_id": update["update_id"], "sender_id": message["from"]["id"], "spans": spans}]


LEAKY = TableSpec(
    name="leaky",
    schema=pa.schema(
        [("update_id", pa.int64()), ("payload_hash", pa.string()), ("sender_id", pa.int64()),
         ("spans", pa.list_(pa.string()))]
    ),
    extract=_leaky,
    kinds=frozenset({"message"}),
)  # fmt: skip


def test_the_scanner_finds_what_it_looks_for(lake: tuple[Path, Settings], tmp_path: Path) -> None:
    # GIVEN the real ETL run with one extra table that keeps ids and mention texts
    root, settings = lake
    enriched = tmp_path / "enriched-leaky"
    run_day(
        DAY, settings=settings, raw=LocalStore(root / "raw"), enriched=LocalStore(enriched),
        tables=[*SPECS, LEAKY],
    )  # fmt: skip
    (tmp_path / "enriched-leaky" / "notes.json").write_text('{"phone": "+55 11 97777 1234"}')
    people = p.people_in(p.raw_updates(root / "raw"))
    people.phones.add("+55 11 97777 1234")
    # THEN the scanner names every leak in it, an int column, a list column and another file,
    # and nothing in the ETL's own tables
    found = p.leaks(enriched, people)
    assert found
    assert {line.split(":", 1)[0].split("/")[1] for line in found if ".parquet:" in line} == {
        "leaky"
    }
    assert any(".parquet:sender_id = 7410000001" in line for line in found)
    assert any(".parquet:spans holds 'godo_anh'" in line for line in found)
    assert "notes.json holds '+5511977771234'" in found


def test_no_id_name_username_or_phone_in_any_column_of_any_enriched_table(
    lake: tuple[Path, Settings],
) -> None:
    root, settings = lake
    enriched = etl(root, settings, keep_names=False)
    people = p.people_in(p.raw_updates(root / "raw"))
    people.phones.add("+55 11 96666-4321")  # a phone number typed in a text
    people.names.add("zulmira.quixabeira@example.com")  # an e-mail typed in a text
    assert p.leaks(enriched, people) == []
    tables = {path.parts[-3] for path in enriched.rglob("*.parquet")}
    assert {"messages", "callbacks", "reactions", "member_updates", "bot_replies"} <= tables
    cells = list(p.enriched_cells(enriched))
    # who asked the bot is a user_key in every reply, private or not; no private chat_id
    replies = [(f, c, v) for f, c, v in cells if f.startswith("telegram/bot_replies/")]
    assert [v for _, c, v in replies if c == "user_key"].count(None) == 0
    assert {v for _, c, v in replies if c == "query"} >= {"@pessoa", "Mara Bertaiolli"}
    texts = {v for f, c, v in cells if c == "text" and f.startswith("telegram/messages/")}
    assert "fala com @pessoa ou com @pessoa, ela sabe" in texts
    assert "me liga: @telefone ou escreve para @email" in texts
    assert "olha a @pessoa aí" in texts


def test_with_keep_names_names_sit_only_in_the_name_columns_and_ids_nowhere(
    lake: tuple[Path, Settings],
) -> None:
    root, settings = lake
    enriched = etl(root, settings, keep_names=True)
    people = p.people_in(p.raw_updates(root / "raw"))
    assert p.leaks(enriched, people, allowed=NAME_COLUMNS) == []
    kept = {v for _, c, v in p.enriched_cells(enriched) if c in NAME_COLUMNS and v}
    assert {"Zulmira", "Quixabeira", "zulmira_qx", p.LEOCADIA_PHONE} <= kept
