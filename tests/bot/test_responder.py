"""The bot end to end: real-shaped updates posted over real HTTP to the real webhook app."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import fixture_bytes, serve_in_thread
from tglake.adapters.http import create_app
from tglake.adapters.telegram_api import TelegramApi
from tglake.bot.responder import make_responder
from tglake.candidates.catalog import CandidateData
from tglake.config import Secret, Settings
from tglake.errors import StorageUnavailableError
from tglake.storage import LocalStore

SECRET = "webhook-secret-for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
NOW = dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
DAY = "context_date=2024-10-06"


class EventlessStore(LocalStore):
    """A raw zone that stores updates but fails every bot event write."""

    def put_if_absent(self, key: str, data: bytes) -> None:
        if key.startswith("bot/"):
            raise StorageUnavailableError("cannot write: simulated outage")
        super().put_if_absent(key, data)


def settings() -> Settings:
    return Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})


@pytest.fixture
def raw(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "raw")


@pytest.fixture
def server(raw: LocalStore, data: CandidateData) -> Iterator[str]:
    responder = make_responder(
        settings(), raw, data, bot_username="MogiEleicoesBot", clock=lambda: NOW
    )
    with serve_in_thread(
        create_app(settings(), raw, responder=responder, clock=lambda: NOW)
    ) as url:
        yield url


def post(url: str, body: bytes) -> httpx2.Response:
    return httpx2.post(f"{url}/webhook", content=body, headers=HEADERS)


def event(raw: LocalStore, update_id: int) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(raw.get(f"bot/{DAY}/{update_id}.json"))
    return loaded


def test_a_group_command_gets_the_candidate_card_and_a_bot_event(
    server: str, raw: LocalStore
) -> None:
    response = post(server, fixture_bytes("message_text"))  # /candidato@MogiEleicoesBot Mara…
    assert response.status_code == 200
    reply = response.json()
    assert reply["method"] == "sendMessage"
    assert reply["chat_id"] == -1001234567890
    assert reply["parse_mode"] == "HTML"
    assert reply["reply_parameters"]["message_id"] == 11
    assert "<b>MARA BERTAIOLLI</b> — 22" in reply["text"]
    assert "<b>113.271</b> votos (51,08% dos válidos)" in reply["text"]
    assert raw.get(f"telegram/{DAY}/100000001.json") == fixture_bytes("message_text")
    recorded = event(raw, 100000001)
    assert {k: v for k, v in recorded.items() if k != "latency_ms"} == {
        "event_version": 2,
        "update_id": 100000001,
        "update_kind": "message",
        "chat_id": -1001234567890,
        "chat_type": "supergroup",
        "user_id": 5550001,
        "command": "candidato",
        "query": "Mara Bertaiolli",
        "matched_kind": "exact",
        "matched_ids": ["22"],
        "result_count": 1,
        "answered": True,
        "reply_method": "sendMessage",
        "reply_chars": len(reply["text"]),
        "reply_ts": "2024-10-06T15:00:00.000+00:00",
    }
    assert recorded["latency_ms"] >= 0


def test_the_bot_event_holds_the_askers_id_but_no_name(server: str, raw: LocalStore) -> None:
    """The raw zone keeps ids (the ETL needs the asker for ``user_key``, ``tglake forget`` to
    find the person's events); names stay in the update alone."""
    post(server, fixture_bytes("message_text"))
    recorded = event(raw, 100000001)
    assert recorded["user_id"] == 5550001
    text = json.dumps(recorded)
    for personal in ("Ana", "Souza", "anasouza"):
        assert personal not in text


def test_a_private_question_about_a_bairro(server: str, raw: LocalStore) -> None:
    reply = post(server, fixture_bytes("private_message")).json()  # "quem ganhou em Braz Cubas?"
    assert reply["chat_id"] == 5550006
    assert "reply_parameters" not in reply
    assert "<b>Braz Cubas</b> — quem teve mais votos no bairro" in reply["text"]
    assert "MARA BERTAIOLLI (PL): 6.922 (52,82%)" in reply["text"]
    assert event(raw, 100000014)["matched_ids"] == ["bairro:Braz Cubas"]


def test_a_button_press_gets_the_card(server: str, raw: LocalStore) -> None:
    reply = post(server, fixture_bytes("callback_query")).json()  # data "cand:22"
    assert reply["method"] == "sendMessage"
    assert reply["chat_id"] == -1001234567890
    assert "<b>MARA BERTAIOLLI</b>" in reply["text"]
    recorded = event(raw, 100000007)
    assert (recorded["command"], recorded["matched_kind"]) == ("callback", "button")


def test_updates_the_bot_ignores_are_stored_without_reply_or_event(
    server: str, raw: LocalStore
) -> None:
    for name in ("sticker", "edited_message", "chat_member", "poll"):
        response = post(server, fixture_bytes(name))
        assert response.status_code == 200
        assert response.json() == {"ok": True}
    assert list(raw.list("telegram/")) != []
    assert list(raw.list("bot/")) == []


def test_a_redelivered_update_gets_the_same_answer_and_nothing_is_stored_twice(
    server: str, raw: LocalStore
) -> None:
    """Telegram redelivers when our 200 (which carried the answer) was lost."""
    first = post(server, fixture_bytes("message_text"))
    stored = {key: raw.get(key) for key in raw.list("")}
    again = post(server, fixture_bytes("message_text"))
    assert first.json()["method"] == "sendMessage"
    assert again.json() == first.json()
    assert {key: raw.get(key) for key in raw.list("")} == stored
    assert list(raw.list("bot/")) == [f"bot/{DAY}/100000001.json"]


def test_a_failing_reply_never_loses_the_update(raw: LocalStore) -> None:
    """GIVEN candidate data that breaks the bot WHEN an update arrives THEN it is stored and
    Telegram gets a plain 200 (no retry storm, nothing lost)."""
    broken = CandidateData({}, (), {}, ())  # no candidates, no races: /prefeito raises
    responder = make_responder(settings(), raw, broken, clock=lambda: NOW)
    body = json.dumps(
        {
            "update_id": 7,
            "message": {
                "message_id": 1,
                "chat": {"id": 9, "type": "private"},
                "date": 1727740800,
                "text": "/prefeito",
            },
        }
    ).encode()
    with serve_in_thread(create_app(settings(), raw, responder=responder)) as url:
        response = post(url, body)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert [k for k in raw.list("telegram/")] != []
    assert raw.get(next(iter(raw.list("telegram/")))) == body


def test_a_lost_bot_event_does_not_stop_the_reply(tmp_path: Path, data: CandidateData) -> None:
    raw = EventlessStore(tmp_path / "raw")
    responder = make_responder(settings(), raw, data, clock=lambda: NOW)
    with serve_in_thread(create_app(settings(), raw, responder=responder)) as url:
        reply = post(url, fixture_bytes("private_message")).json()
    assert reply["method"] == "sendMessage"
    assert list(raw.list("bot/")) == []


def test_a_button_press_answers_the_callback_through_the_bot_api_and_sends_the_card(
    raw: LocalStore, data: CandidateData, fake: FakeBotApi
) -> None:
    """GIVEN a token (a sender) WHEN a button is pressed THEN answerCallbackQuery goes through
    the Bot API (the button stops spinning) and the card comes back in the webhook body."""
    with TelegramApi(fake.url, Secret(TOKEN)) as api:
        responder = make_responder(settings(), raw, data, clock=lambda: NOW, sender=api.send)
        app = create_app(settings(), raw, responder=responder, clock=lambda: NOW)
        with serve_in_thread(app) as url:
            reply = post(url, fixture_bytes("callback_query")).json()  # data "cand:22"
    assert reply["method"] == "sendMessage"
    assert "<b>MARA BERTAIOLLI</b>" in reply["text"]
    assert fake.calls == [
        ("answerCallbackQuery", {"callback_query_id": "4382bfdwdsb323b2d9", "text": ""})
    ]


def test_without_a_token_a_button_press_still_gets_the_card(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="tglake.bot.responder"):
        reply = post(server, fixture_bytes("callback_query")).json()
    assert reply["method"] == "sendMessage"
    assert "no Bot API token: update_id=100000007 sends only its first message" in caplog.text


def press(url: str, data_field: str, update_id: int) -> dict[str, Any]:
    update = json.loads(fixture_bytes("callback_query"))
    update["update_id"] = update_id
    update["callback_query"]["data"] = data_field
    reply: dict[str, Any] = post(url, json.dumps(update).encode()).json()
    return reply


def test_vereadores_pages_with_buttons(server: str) -> None:
    first = post(
        server,
        json.dumps(
            {
                "update_id": 90,
                "message": {
                    "message_id": 3,
                    "chat": {"id": 9, "type": "private"},
                    "date": 1727740800,
                    "text": "/vereadores",
                },
            }
        ).encode(),
    ).json()
    assert first["reply_markup"]["inline_keyboard"] == [
        [{"text": "próximos ▶️ (2/26)", "callback_data": "page:0:1"}]
    ]
    second = press(server, "page:0:1", 91)
    assert "16º " in second["text"]
    assert "1º MALU" not in second["text"]
    assert [b["callback_data"] for b in second["reply_markup"]["inline_keyboard"][0]] == [
        "page:0:0",
        "page:0:2",
    ]
    assert "<b>PSOL</b>" in press(server, "party:50", 92)["text"]
    assert "<b>Centro</b>" in press(server, "bairro:9", 93)["text"]


@pytest.mark.parametrize(
    "message",
    [
        {"message_id": 1, "chat": "-100123", "date": 1727740800, "text": "/prefeito"},
        {"message_id": 1, "chat": {"id": 9, "type": "private"}, "date": 1, "text": {"a": 1}},
        {"message_id": 1, "chat": ["x"], "date": 1727740800, "text": "oi"},
    ],
)
def test_malformed_shapes_are_stored_without_reply_or_traceback(
    server: str, raw: LocalStore, message: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps({"update_id": 95, "message": message}).encode()
    with caplog.at_level("DEBUG"):
        response = post(server, body)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert raw.get(f"telegram/{DAY}/95.json") == body
    assert list(raw.list("bot/")) == []
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
