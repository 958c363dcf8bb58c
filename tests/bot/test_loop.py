"""The loop end to end: misses posted to the real webhook, the real ETL, ``tglake bot suggest``
and ``tglake bot alias`` on the lake's files, and the running bot answering with the approved
aliases without a restart (on a folder and on an S3 server)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.helpers import serve_in_thread
from tglake.adapters.http import create_app
from tglake.analytics import suggest
from tglake.analytics.duckdb_engine import DuckDBEngine
from tglake.analytics.sql import Period
from tglake.bot.loop import make_loop
from tglake.bot.responder import make_responder
from tglake.candidates import aliases
from tglake.candidates.catalog import CandidateData
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.config import Settings
from tglake.etl import run as etl
from tglake.pseudonym import Pseudonymizer
from tglake.storage import LocalStore, ObjectStore

SECRET = "webhook-secret-for-tests"
KEY = "pseudonym-key-for-the-loop-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
DAY = dt.date(2024, 10, 3)
START = dt.datetime(2024, 10, 3, 15, 0, tzinfo=dt.UTC)


class Clock:
    """The bot's clock: each answer a minute after the previous one."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


class Chat:
    """People writing to the bot in private, over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.next_id = 500_000_000

    def say(self, user_id: int, text: str) -> dict[str, Any]:
        return self.post(user_id, text, {"id": user_id, "first_name": "Pessoa", "type": "private"})

    def say_in_group(self, user_id: int, text: str) -> dict[str, Any]:
        return self.post(
            user_id, text, {"id": -1001234567890, "title": "Mogi", "type": "supergroup"}
        )

    def post(self, user_id: int, text: str, chat: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        update = {
            "update_id": self.next_id,
            "message": {
                "message_id": self.next_id % 100_000,
                "from": {"id": user_id, "is_bot": False, "first_name": "Pessoa"},
                "chat": chat,
                "date": int(START.timestamp()),
                "text": text,
            },
        }
        response = httpx2.post(f"{self.url}/webhook", json=update, headers=HEADERS)
        assert response.status_code == 200
        reply: dict[str, Any] = response.json()
        return reply


def lake_settings(lake: str) -> Settings:
    return Settings.from_env(
        {"TGLAKE_WEBHOOK_SECRET": SECRET, "TGLAKE_PSEUDONYM_KEY": KEY}, lake=lake
    )


def etl_day(lake: Path) -> None:
    settings = lake_settings(str(lake))
    etl.run_day(
        DAY,
        settings=settings,
        raw=LocalStore(settings.raw_uri),
        enriched=LocalStore(settings.enriched_uri),
    )


def test_misses_people_resolved_become_an_alias_the_running_bot_uses(
    chat: Chat, lake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN three people miss with "aracilandia"; two of them find the bairro right after
    assert "Não encontrei" in chat.say(1001, "aracilandia")["text"]
    assert "<b>Jardim Araci</b>" in chat.say(1001, "/bairro jardim araci")["text"]
    chat.say(1002, "Aracilandia?")
    chat.say(1002, "jardim araci")
    chat.say(1003, "ARACILANDIA")
    chat.say(1004, "tucanos")  # nobody resolves this one
    # WHEN the ETL runs and `tglake bot suggest --apply --yes` reads the lake
    etl_day(lake)
    engine = DuckDBEngine(str(lake / "enriched"), timezone="America/Sao_Paulo")
    keys = engine.sql("SELECT DISTINCT user_key FROM bot_replies ORDER BY 1").column("user_key")
    pseudonym = Pseudonymizer(KEY.encode())
    assert keys == sorted(pseudonym(u) for u in (1001, 1002, 1003, 1004))
    found, unresolved = suggest.find(engine, Period(DAY, DAY))
    assert [(s.text, s.kind, s.target, s.people, s.resolved) for s in found] == [
        ("aracilandia", "bairro", "Jardim Araci", 3, 2)
    ]
    assert [(u.text, u.people) for u in unresolved] == [("tucanos", 1)]
    monkeypatch.setenv("TGLAKE_PSEUDONYM_KEY", KEY)
    args = ["bot", "suggest", "--lake", str(lake), "--apply", "--yes", "--by", "ana"]
    assert run_guarded(main_group, args) == 0
    out = capsys.readouterr().out
    assert "     3  «aracilandia» → bairro Jardim Araci  (2 found it themselves, 3 times" in out
    assert "«tucanos»" in out
    assert "1 aliases added by ana" in out
    stored = json.loads((lake / "reference" / "bot" / "aliases.json").read_bytes())
    (entry,) = stored["aliases"]
    assert (entry["text"], entry["target"], entry["added_by"], entry["source"]) == (
        "aracilandia",
        "Jardim Araci",
        "ana",
        "suggest",
    )
    assert entry["people"] == 3
    assert entry["added_at"].endswith("+00:00")
    # THEN the running bot answers the same words (and a new spelling in a sentence) at once
    reply = chat.say(1005, "Aracilândia!")
    assert "<b>Jardim Araci</b> — quem teve mais votos no bairro" in reply["text"]
    assert "<b>Jardim Araci</b>" in chat.say(1006, "quem ganhou no aracilandia?")["text"]
    # and a second suggest run has nothing new to offer
    assert run_guarded(main_group, ["bot", "suggest", "--lake", str(lake)]) == 0
    assert "none new (1 aliases approved already)" in capsys.readouterr().out


def test_alias_add_list_remove_on_a_folder_take_effect_without_a_restart(
    chat: Chat, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "Não encontrei" in chat.say(2001, "petistas")["text"]
    add = ["bot", "alias", "add", "Petistas", "--party", "13", "--by", "bia", "--lake", str(lake)]
    assert run_guarded(main_group, add) == 0
    assert "alias «Petistas» → party 13 (by bia)" in capsys.readouterr().out
    reply = chat.say(2001, "quero saber dos petistas")
    assert "PT" in reply["text"]
    assert "Partido dos Trabalhadores" in reply["text"]
    assert run_guarded(main_group, ["bot", "alias", "list", "--lake", str(lake)]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("Petistas\tparty 13\tbia 20")
    assert "(manual)" in listed
    assert run_guarded(main_group, ["bot", "alias", "remove", "PETISTAS", "--lake", str(lake)]) == 0
    assert "Não encontrei" in chat.say(2001, "petistas")["text"]


def test_alias_add_refuses_an_unknown_target_and_two_targets(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = ["bot", "alias", "add", "x", "--candidate", "99999", "--lake", str(lake)]
    assert run_guarded(main_group, bad) == 1
    assert "Error: no candidate with ballot number '99999'" in capsys.readouterr().err
    two = ["bot", "alias", "add", "x", "--party", "13", "--bairro", "Centro", "--lake", str(lake)]
    assert run_guarded(main_group, two) == 2
    assert "give exactly one of --candidate, --party, --bairro" in capsys.readouterr().err
    gone = ["bot", "alias", "remove", "nada", "--lake", str(lake)]
    assert run_guarded(main_group, gone) == 1
    assert not (lake / "reference" / "bot" / "aliases.json").exists()


def test_aliases_on_an_s3_lake_reach_a_running_bot_without_a_restart(
    s3_bucket: tuple[str, Any], tmp_path: Path, data: CandidateData
) -> None:
    from tglake.adapters.s3_store import S3Store

    bucket, client = s3_bucket
    settings = lake_settings(f"s3://{bucket}")
    reference: ObjectStore = S3Store(f"s3://{bucket}/reference", client=client)
    raw = LocalStore(tmp_path / "raw")
    loop = make_loop(settings, reference, interval=0.0)
    responder = make_responder(settings, raw, data, clock=Clock(), loop=loop)
    with serve_in_thread(create_app(settings, raw, responder=responder)) as url:
        chat = Chat(url)
        assert "Não encontrei" in chat.say(3001, "a prefeitinha")["text"]
        args = ["bot", "alias", "add", "a prefeitinha", "--candidate", "22"]
        assert run_guarded(main_group, [*args, "--lake", f"s3://{bucket}"]) == 0
        assert "<b>MARA BERTAIOLLI</b> — 22" in chat.say(3001, "A prefeitinha?")["text"]
    stored = aliases.read_aliases(reference)
    assert [(a.text, a.kind, a.target) for a in stored] == [("a prefeitinha", "candidate", "22")]


def test_an_alias_book_looks_again_only_after_its_interval_and_survives_a_broken_document(
    tmp_path: Path,
) -> None:
    store = LocalStore(tmp_path / "reference")
    now = [0.0]
    book = aliases.AliasBook(store, interval=30, monotonic=lambda: now[0])
    assert book.table().by_key == {}
    alias = aliases.Alias("cj toyama", "bairro", "Conjunto Toyama", "ana", "2024-10-04T03:00:00")
    aliases.add_aliases(store, [alias])
    now[0] = 29.0
    assert book.table().get("cj toyama") is None  # not looked at yet
    now[0] = 30.0
    assert book.table().get("CJ. Toyama") == alias
    store.put(aliases.ALIASES_KEY, b"{not json")
    now[0] = 60.0
    assert book.table().get("cj toyama") == alias  # the last good table stays
    assert book.loads == 2
