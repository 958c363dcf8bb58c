"""The Lambda webhook gives Telegram the same answers as ``tglake serve`` for every contract case,
for REST (1.0) and HTTP API (2.0) events, text or base64 bodies; the ETL event picks its days."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest

from tests.adapters.events import proxy_event
from tests.adapters.test_http import FIXED_NOW, SECRET, FlakyStore
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import fixture_bytes, load_fixture, serve_in_thread
from tglake.adapters import lambda_handlers
from tglake.adapters.http import create_app
from tglake.adapters.lambda_handlers import WebhookFunction, days_from_event
from tglake.adapters.lambda_logging import setup_json_logging
from tglake.config import Settings
from tglake.errors import ConfigError
from tglake.ingest import Outcome
from tglake.storage import LocalStore

GOOD = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
WRONG = {"X-Telegram-Bot-Api-Secret-Token": "x"}
CASES: dict[str, tuple[bytes, dict[str, str], bool]] = {
    "stored": (fixture_bytes("private_message"), GOOD, False),
    "unknown kind": (fixture_bytes("unknown_kind"), GOOD, False),
    "not json": (b"{not json", GOOD, False),
    "a list": (b"[]", GOOD, False),
    "no update_id": (b'{"message": {}}', GOOD, False),
    "no secret": (fixture_bytes("message_text"), {}, False),
    "wrong secret": (fixture_bytes("message_text"), WRONG, False),
    "too large": (b'{"update_id": 1, "x": "' + b"a" * (1024 * 1024) + b'"}', GOOD, False),
    "storage down": (fixture_bytes("message_text"), GOOD, True),
}
EXPECTED_STATUS = {
    "stored": 200,
    "unknown kind": 200,
    "not json": 400,
    "a list": 400,
    "no update_id": 400,
    "no secret": 401,
    "wrong secret": 401,
    "too large": 413,
    "storage down": 503,
}
SETTINGS = Settings.from_env({"TGLAKE_WEBHOOK_SECRET": SECRET})


@pytest.fixture(scope="module")
def asgi_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, Any]]:
    """What the real ``tglake serve`` app answers over HTTP to each case."""
    store = FlakyStore(tmp_path_factory.mktemp("asgi") / "raw")
    answers = {}
    with serve_in_thread(create_app(SETTINGS, store, clock=lambda: FIXED_NOW)) as url:
        for name, (body, headers, down) in CASES.items():
            store.down = down
            response = httpx2.post(f"{url}/webhook", content=body, headers=headers)
            answers[name] = (response.status_code, response.json())
    return answers


def invoke(function: WebhookFunction, event: dict[str, Any]) -> tuple[int, Any]:
    answer = function(event, SimpleNamespace(aws_request_id="req-1"))
    assert answer["headers"] == {"content-type": "application/json"}
    return answer["statusCode"], json.loads(answer["body"])


@pytest.mark.parametrize("base64_body", [False, True], ids=["text", "base64"])
@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("case", list(CASES))
def test_lambda_answers_like_the_asgi_app(
    case: str,
    version: str,
    base64_body: bool,
    tmp_path: Path,
    asgi_answers: dict[str, tuple[int, Any]],
) -> None:
    body, headers, down = CASES[case]
    store = FlakyStore(tmp_path / "raw")
    store.down = down
    function = WebhookFunction(SETTINGS, store, clock=lambda: FIXED_NOW)
    answer = invoke(function, proxy_event(version, body, headers, base64_body=base64_body))
    assert answer == asgi_answers[case]
    assert answer[0] == EXPECTED_STATUS[case]
    stored = [store.get(k) for k in store.list("")]
    assert stored == ([body] if answer[0] == 200 else [])


def test_wrong_secret_with_broken_base64_is_401_and_never_decoded(tmp_path: Path) -> None:
    event = proxy_event("v2", b"{}", {"X-Telegram-Bot-Api-Secret-Token": "x"}, base64_body=True)
    event["body"] = "%%% not base64"
    function = WebhookFunction(SETTINGS, FlakyStore(tmp_path), clock=lambda: FIXED_NOW)
    assert invoke(function, event)[0] == 401


def test_the_bot_reply_goes_back_in_the_200_body(tmp_path: Path) -> None:
    def responder(outcome: Outcome) -> dict[str, Any]:
        return {"method": "sendMessage", "chat_id": 5550006, "text": f"olá {outcome.update_id}"}

    function = WebhookFunction(
        SETTINGS, FlakyStore(tmp_path), responder=responder, clock=lambda: FIXED_NOW
    )
    assert invoke(function, load_fixture("apigw_v2", "events")) == (
        200,
        {"method": "sendMessage", "chat_id": 5550006, "text": "olá 100000014"},
    )


def test_a_failing_reply_still_answers_200_and_keeps_the_update(tmp_path: Path) -> None:
    def responder(outcome: Outcome) -> dict[str, Any]:
        raise RuntimeError("bot crashed")

    store = FlakyStore(tmp_path)
    function = WebhookFunction(SETTINGS, store, responder=responder, clock=lambda: FIXED_NOW)
    assert invoke(function, load_fixture("apigw_v1", "events")) == (200, {"ok": True})
    assert len(list(store.list("telegram/"))) == 1


def test_a_redelivery_gets_the_same_reply_again(tmp_path: Path) -> None:
    """Telegram redelivers only when our 200 was lost: the reply in it is sent again."""
    calls: list[int] = []

    def responder(outcome: Outcome) -> dict[str, Any]:
        calls.append(outcome.update_id)
        return {"method": "sendMessage", "chat_id": 1, "text": "oi"}

    function = WebhookFunction(
        SETTINGS, FlakyStore(tmp_path), responder=responder, clock=lambda: FIXED_NOW
    )
    event = load_fixture("apigw_v2", "events")
    first = invoke(function, event)
    assert first == (200, {"method": "sendMessage", "chat_id": 1, "text": "oi"})
    assert invoke(function, event) == first
    assert calls == [100000014, 100000014]


def test_healthz_and_other_methods(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path)
    function = WebhookFunction(SETTINGS, store, clock=lambda: FIXED_NOW)
    event = proxy_event("v2", b"", {})
    event["requestContext"]["http"]["method"] = "GET"
    event["rawPath"] = "/healthz"
    assert invoke(function, event) == (200, {"ok": True})
    store.down = True
    assert invoke(function, event)[0] == 503
    event["rawPath"] = "/webhook"
    assert invoke(function, event) == (405, {"ok": False, "error": "use POST"})


def test_logs_are_json_with_the_request_id_and_no_secret_or_text(tmp_path: Path) -> None:
    stream = io.StringIO()
    formatter = setup_json_logging([SECRET], stream=stream)
    try:
        function = WebhookFunction(
            SETTINGS, FlakyStore(tmp_path), clock=lambda: FIXED_NOW, formatter=formatter
        )
        invoke(function, load_fixture("apigw_v2", "events"))
        logging.getLogger("tglake.test").warning("leak? %s", SECRET)
    finally:
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["message"].startswith(
        "update update_id=100000014 kind=message outcome=stored latency_ms="
    )
    assert (lines[0]["level"], lines[0]["request_id"]) == ("INFO", "req-1")
    assert lines[1]["message"] == "leak? **********"
    assert SECRET not in stream.getvalue()
    assert "quem" not in stream.getvalue()  # the message text never reaches the log


SP = ZoneInfo("America/Sao_Paulo")
NOW = dt.datetime(2024, 10, 7, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("event", "days"),
    [
        (load_fixture("scheduler", "events"), ["2024-10-06"]),
        (load_fixture("eventbridge_rule", "events"), ["2024-10-06"]),
        ({}, ["2024-10-06"]),
        ({"scheduled_time": "2024-10-07T02:30:00Z"}, ["2024-10-05"]),  # 23:30 of the 6th in SP
        ({"date": "2024-09-30"}, ["2024-09-30"]),
        ({"from": "2024-09-29", "to": "2024-10-01"}, ["2024-09-29", "2024-09-30", "2024-10-01"]),
        ({"from": "2024-09-29"}, ["2024-09-29"]),
    ],
)
def test_etl_event_picks_yesterday_in_the_bot_zone_or_the_backfill(
    event: dict[str, Any], days: list[str]
) -> None:
    assert [d.isoformat() for d in days_from_event(event, SP, NOW)] == days


@pytest.mark.parametrize(
    ("event", "error"),
    [
        ({"date": "yesterday"}, "bad ETL event: Invalid isoformat string: 'yesterday'"),
        ({"from": "2024-10-02", "to": "2024-10-01"}, "bad ETL event: --to 2024-10-01 is before"),
        ({"scheduled_time": "2024-10-07T06:00:00"}, "has no time zone"),
    ],
)
def test_a_bad_etl_event_raises_so_the_scheduler_sees_the_failure(
    event: dict[str, Any], error: str
) -> None:
    with pytest.raises(ConfigError, match=error.replace("(", r"\(")):
        days_from_event(event, SP, NOW)


@pytest.fixture
def cold_start_reset() -> Iterator[None]:
    lambda_handlers._cold.clear()
    yield
    lambda_handlers._cold.clear()
    logging.getLogger().handlers.clear()


def test_webhook_handler_builds_once_from_the_environment(
    cold_start_reset: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TGLAKE_RAW_URI", str(tmp_path / "raw"))
    monkeypatch.setenv("TGLAKE_WEBHOOK_SECRET", SECRET)
    event = load_fixture("apigw_v2", "events")
    answer = lambda_handlers.webhook_handler(event, SimpleNamespace(aws_request_id="r"))
    first = lambda_handlers._cold["webhook"]
    monkeypatch.setenv(
        "TGLAKE_WEBHOOK_SECRET", "changed-secret-0123456"
    )  # read once: the warm call ignores it
    again = lambda_handlers.webhook_handler(event, SimpleNamespace(aws_request_id="r"))
    assert (answer["statusCode"], again["statusCode"]) == (200, 200)
    assert lambda_handlers._cold["webhook"] is first
    # the bot is in this build: it answered in the 200 body and logged its event in raw/bot/
    reply = json.loads(answer["body"])
    assert (reply["method"], reply["chat_id"]) == ("sendMessage", 5550006)
    stored = sorted(
        p.relative_to(tmp_path / "raw").parts[0] for p in (tmp_path / "raw").rglob("*.json")
    )
    assert stored == ["bot", "telegram"]


@pytest.mark.parametrize(("username", "answered"), [(None, [2]), ("MogiEleicoesBot", [1])])
def test_the_lambda_knows_the_bots_name_from_the_setting_alone(
    cold_start_reset: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    username: str | None,
    answered: list[int],
) -> None:
    # no getMe on a cold start: without TGLAKE_BOT_USERNAME a group mention goes unanswered
    # and another bot's command is answered; with it, the other way round
    monkeypatch.setenv("TGLAKE_RAW_URI", str(tmp_path / "raw"))
    if username:
        monkeypatch.setenv("TGLAKE_BOT_USERNAME", username)
    replied = []
    for number, text in ((1, "@MogiEleicoesBot quem ganhou?"), (2, "/prefeito@OutroBot")):
        update = load_fixture("message_text")
        update["update_id"], update["message"]["text"] = number, text
        event = load_fixture("apigw_v2", "events")
        event["headers"].pop("x-telegram-bot-api-secret-token")
        event["body"] = json.dumps(update)
        answer = json.loads(lambda_handlers.webhook_handler(event, None)["body"])
        if answer.get("method") == "sendMessage":
            replied.append(number)
    assert replied == answered


def test_bot_replies_can_be_turned_off(
    cold_start_reset: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TGLAKE_RAW_URI", str(tmp_path / "raw"))
    monkeypatch.setenv("TGLAKE_BOT_REPLIES", "off")
    event = load_fixture("apigw_v2", "events")
    event["headers"].pop("x-telegram-bot-api-secret-token")
    answer = lambda_handlers.webhook_handler(event, None)
    assert json.loads(answer["body"]) == {"ok": True}


@pytest.mark.parametrize("update", ["private_message", "message_text", "callback_query"])
def test_the_bot_reply_is_the_one_tglake_serve_gives(update: str, tmp_path: Path) -> None:
    from tglake.adapters.stores import open_store
    from tglake.bot.loop import make_loop
    from tglake.bot.responder import make_responder
    from tglake.candidates.catalog import bundled
    from tglake.candidates.overlay import reference_uri

    asgi_store, lambda_store = FlakyStore(tmp_path / "asgi"), FlakyStore(tmp_path / "lambda")
    loop = make_loop(SETTINGS, open_store(reference_uri(SETTINGS)))  # as the Lambda builds it
    app = create_app(
        SETTINGS, asgi_store, responder=make_responder(SETTINGS, asgi_store, bundled(), loop=loop)
    )
    with serve_in_thread(app) as url:
        served = httpx2.post(f"{url}/webhook", content=fixture_bytes(update), headers=GOOD).json()
    responder = lambda_handlers.load_responder(SETTINGS, lambda_store)
    function = WebhookFunction(SETTINGS, lambda_store, responder=responder)
    assert invoke(function, proxy_event("v2", fixture_bytes(update), GOOD)) == (200, served)


def test_with_a_token_a_button_press_is_acknowledged_through_the_bot_api(
    tmp_path: Path, fake: FakeBotApi
) -> None:
    """The Lambda's 200 body holds the card; answerCallbackQuery goes to the Bot API."""
    settings = Settings.from_env(
        {
            "TGLAKE_WEBHOOK_SECRET": SECRET,
            "TGLAKE_BOT_TOKEN": TOKEN,
            "TGLAKE_TELEGRAM_API_URL": fake.url,
        }
    )
    store = FlakyStore(tmp_path)
    responder = lambda_handlers.load_responder(settings, store)
    function = WebhookFunction(settings, store, responder=responder, clock=lambda: FIXED_NOW)
    status, body = invoke(function, proxy_event("v2", fixture_bytes("callback_query"), GOOD))
    assert (status, body["method"]) == (200, "sendMessage")
    assert "<b>MARA BERTAIOLLI</b>" in body["text"]
    assert fake.methods_called() == ["answerCallbackQuery"]


def test_the_lambda_bot_uses_the_aliases_of_the_lakes_reference_zone(tmp_path: Path) -> None:
    from tglake.candidates import aliases

    settings = Settings.from_env(
        {"TGLAKE_WEBHOOK_SECRET": SECRET, "TGLAKE_PSEUDONYM_KEY": "k" * 32}, lake=str(tmp_path)
    )
    store = FlakyStore(tmp_path / "raw")
    function = WebhookFunction(
        settings, store, responder=lambda_handlers.load_responder(settings, store)
    )
    update = load_fixture("private_message")
    update["message"]["text"] = "aracilandia"
    body = json.dumps(update).encode()
    status, reply = invoke(function, proxy_event("v2", body, GOOD))
    assert status == 200
    assert "Não encontrei" in reply["text"]
    alias = aliases.Alias(
        "aracilandia", "bairro", "Jardim Araci", "ana", "2024-10-06T12:00:00+00:00"
    )
    aliases.add_aliases(LocalStore(tmp_path / "reference"), [alias])
    # a warm Lambda looks at the document again at most every RELOAD_SECONDS: a fresh one now
    function = WebhookFunction(
        settings, store, responder=lambda_handlers.load_responder(settings, store)
    )
    update["update_id"] += 1
    status, reply = invoke(function, proxy_event("v2", json.dumps(update).encode(), GOOD))
    assert reply["text"].startswith("<b>Jardim Araci</b> — quem teve mais votos no bairro")


def test_each_invocation_prints_its_counts_as_cloudwatch_emf(tmp_path: Path) -> None:
    # GIVEN the webhook function writing its metric lines to a stream, as Lambda's stdout
    out = io.StringIO()
    function = WebhookFunction(
        SETTINGS, FlakyStore(tmp_path), clock=lambda: FIXED_NOW, namespace="tglake/test",
        metrics_out=out,
    )  # fmt: skip
    # WHEN one update is stored and one delivery is refused
    assert invoke(function, load_fixture("apigw_v2", "events"))[0] == 200
    stored = [json.loads(line) for line in out.getvalue().splitlines()]
    out.truncate(0)
    out.seek(0)
    bad = proxy_event("v2", b"{not json", GOOD)
    assert invoke(function, bad)[0] == 400
    refused = [json.loads(line) for line in out.getvalue().splitlines()]
    # THEN the first printed an update, a 200 and a latency; the second a 400 and no update
    by_metric = {
        m["Name"]: (line, directive)
        for line in stored
        for directive in line["_aws"]["CloudWatchMetrics"]
        for m in directive["Metrics"]
    }
    assert set(by_metric) == {"Updates", "WebhookResponses", "WebhookLatency"}
    line, directive = by_metric["Updates"]
    assert (line["Updates"], line["Outcome"], line["Kind"]) == (1, "stored", "message")
    assert directive == {
        "Namespace": "tglake/test",
        "Dimensions": [[], ["Kind", "Outcome"]],  # the total (for the alarm) and the detail
        "Metrics": [{"Name": "Updates", "Unit": "Count"}],
    }
    assert line["_aws"]["Timestamp"] == int(FIXED_NOW.timestamp() * 1000)
    assert by_metric["WebhookResponses"][0]["Status"] == "200"
    assert by_metric["WebhookLatency"][0]["WebhookLatency"] > 0
    assert [(o.get("Status"), o.get("Updates")) for o in refused] == [("400", None), (None, None)]
    assert "quem" not in out.getvalue()
