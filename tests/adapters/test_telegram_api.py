"""The Bot API client: real HTTP against the fake Bot API server, and httpx2's MockTransport
where the exact request matters. Sleeps are recorded, never slept."""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

import httpx2
import pytest

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import free_port
from tglake.adapters.telegram_api import TelegramApi
from tglake.config import Secret
from tglake.errors import TelegramApiError
from tglake.telegram import ALL_KINDS

WRONG_TOKEN = "123456:WRONG-token-not-real"


@pytest.fixture
def url(fake: FakeBotApi) -> str:
    return fake.url


class Sleeps(list[float]):
    """Records the waits the client asks for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def api_for(url: str, sleeps: Sleeps, token: str = TOKEN, **kw: Any) -> TelegramApi:
    return TelegramApi(url, Secret(token), sleep=sleeps, **kw)


def test_get_me_returns_the_bot_user(fake: FakeBotApi, url: str) -> None:
    me = api_for(url, Sleeps()).get_me()
    assert (me["id"], me["username"], me["is_bot"]) == (123456, "tglake_test_bot", True)


def test_a_wrong_token_is_a_clear_401_that_never_shows_the_token(
    fake: FakeBotApi, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx2")  # the CLI quiets it; this test reads it
    api = api_for(url, Sleeps(), token=WRONG_TOKEN)
    with pytest.raises(TelegramApiError) as info:
        api.get_me()
    assert str(info.value) == (
        "the Bot API rejected the bot token (401 Unauthorized): "
        "check TGLAKE_BOT_TOKEN (the token @BotFather gave you)"
    )
    assert info.value.error_code == 401
    assert not info.value.transient
    shown = "".join(traceback.format_exception(info.value)) + repr(api) + caplog.text
    assert "HTTP Request: POST" in caplog.text  # httpx2 did log the request…
    assert WRONG_TOKEN not in shown  # …but only ever saw the placeholder
    assert "WRONG-token" not in shown


def test_unreachable_telegram_is_retried_with_growing_backoff_then_explained(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    closed = f"http://127.0.0.1:{free_port()}"
    sleeps = Sleeps()
    api = api_for(closed, sleeps, max_attempts=4, backoff_base=0.5, backoff_cap=1.5)
    with pytest.raises(TelegramApiError) as info:
        api.get_me()
    assert str(info.value) == (
        f"cannot reach the Bot API at {closed} (getMe): ConnectError after 4 attempts; "
        "check the network or TGLAKE_TELEGRAM_API_URL"
    )
    assert info.value.transient
    assert info.value.__context__ is None  # httpx2's exception (with the URL) is not chained
    # three waits between four attempts: doubling from 0.5 s, capped at 1.5 s, jittered down
    assert len(sleeps) == 3
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0
    assert 0.75 <= sleeps[2] <= 1.5
    assert TOKEN not in caplog.text + "".join(traceback.format_exception(info.value))


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    api = TelegramApi("http://127.0.0.1:9", Secret(TOKEN), backoff_base=1.0, backoff_cap=8.0)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (10, 8.0)]:
        waits = {api.backoff(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1  # jittered, so clients do not retry in step


def test_a_502_is_retried_and_the_next_answer_returned(fake: FakeBotApi, url: str) -> None:
    fake.fail_next("getMe", 502, "Bad Gateway", times=2)
    sleeps = Sleeps()
    assert api_for(url, sleeps).get_me()["id"] == 123456
    assert len(sleeps) == 2
    assert fake.methods_called() == ["getMe"] * 3


def test_a_proxy_error_page_instead_of_an_answer_is_retried(fake: FakeBotApi, url: str) -> None:
    fake.fail_next("getMe", 502, "", raw=b"<html>502 Bad Gateway</html>")
    sleeps = Sleeps()
    assert api_for(url, sleeps).get_me()["id"] == 123456
    assert len(sleeps) == 1


def test_5xx_until_the_last_attempt_gives_a_clear_message(fake: FakeBotApi, url: str) -> None:
    fake.fail_next("getWebhookInfo", 502, "Bad Gateway", times=3)
    with pytest.raises(TelegramApiError, match=r"\(getWebhookInfo\): 502 Bad Gateway after 3"):
        api_for(url, Sleeps(), max_attempts=3).get_webhook_info()


def test_429_waits_exactly_retry_after_then_succeeds(fake: FakeBotApi, url: str) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    sleeps = Sleeps()
    message = api_for(url, sleeps).send_message(42, "olá")
    assert message["text"] == "olá"
    assert sleeps == [3.0]
    assert fake.sent == [{"chat_id": 42, "text": "olá"}]


def test_429_is_waited_out_a_bounded_number_of_times(fake: FakeBotApi, url: str) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2, times=9)
    sleeps = Sleeps()
    with pytest.raises(TelegramApiError) as info:
        api_for(url, sleeps, max_rate_limit_waits=3).send_message(42, "olá")
    assert sleeps == [2.0, 2.0, 2.0]
    assert (info.value.error_code, info.value.retry_after) == (429, 2.0)
    assert "still limited after 3 waits; retry after 2 s" in str(info.value)


def test_429_asking_for_a_very_long_wait_is_reported_not_slept(fake: FakeBotApi, url: str) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 3600", retry_after=3600)
    sleeps = Sleeps()
    with pytest.raises(TelegramApiError, match="retry after 3600 s"):
        api_for(url, sleeps).send_message(42, "olá")
    assert sleeps == []


def test_a_bad_request_is_not_retried(fake: FakeBotApi, url: str) -> None:
    sleeps = Sleeps()
    with pytest.raises(TelegramApiError) as info:
        api_for(url, sleeps).set_webhook("http://insecure.example/webhook")
    assert str(info.value) == (
        "setWebhook failed: 400 Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    )
    assert sleeps == []
    assert not info.value.transient


def test_webhook_methods_round_trip(fake: FakeBotApi, url: str) -> None:
    api = api_for(url, Sleeps())
    assert api.set_webhook("https://bot.example/webhook", "s3cr3t", ALL_KINDS, max_connections=5)
    info = api.get_webhook_info()
    assert info["url"] == "https://bot.example/webhook"
    assert info["max_connections"] == 5
    assert info["allowed_updates"] == list(ALL_KINDS)
    assert fake.webhook["secret_token"] == "s3cr3t"
    assert api.delete_webhook(drop_pending_updates=True)
    assert api.get_webhook_info()["url"] == ""


def test_a_non_bot_api_server_is_named_as_such(fake: FakeBotApi, url: str) -> None:
    api = TelegramApi(f"{url}/not-here", Secret(TOKEN))
    with pytest.raises(TelegramApiError, match="is not a Bot API answer"):
        api.get_me()


def test_the_request_carries_the_token_only_below_httpx_and_json_params() -> None:
    """MockTransport sees what goes on the wire: the real token in the path, JSON params
    without the None ones, and a long-poll read timeout longer than the poll itself."""
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"ok": True, "result": []})

    api = TelegramApi(
        "https://api.telegram.org", Secret(TOKEN), transport=httpx2.MockTransport(handler)
    )
    assert api.get_updates(offset=None, timeout=50, allowed_updates=["message"]) == []
    (request,) = seen
    assert request.url.path == f"/bot{TOKEN}/getUpdates"
    assert json.loads(request.content) == {
        "timeout": 50,
        "limit": 100,
        "allowed_updates": ["message"],
    }
    assert request.extensions["timeout"]["read"] == api.timeout + 50


def test_a_read_timeout_is_retried_then_reported() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    sleeps = Sleeps()
    api = TelegramApi(
        "https://api.telegram.org",
        Secret(TOKEN),
        transport=httpx2.MockTransport(handler),
        sleep=sleeps,
        max_attempts=2,
    )
    with pytest.raises(TelegramApiError, match=r"\(getMe\): timed out after 2 attempts"):
        api.get_me()
    assert len(sleeps) == 1


def test_call_reaches_any_method_and_reports_unknown_ones(fake: FakeBotApi, url: str) -> None:
    api = api_for(url, Sleeps())
    assert api.call("sendMessage", {"chat_id": 7, "text": "oi"})["chat"]["id"] == 7
    with pytest.raises(TelegramApiError, match="sendSticker failed: 404 Not Found"):
        api.call("sendSticker", {"chat_id": 7})
