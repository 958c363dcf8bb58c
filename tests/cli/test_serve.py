"""`tglake serve` as an operator starts it: the bot learns its @username, so in groups it
answers the messages that mention it and leaves other bots' commands alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import free_port, load_fixture, wait_until_healthy

SECRET = "serve-test-webhook-secret-0123456789"
Start = Callable[..., tuple[str, "subprocess.Popen[str]"]]
"""Starts ``tglake serve`` with extra environment; gives its URL and process."""


def group_message(update_id: int, text: str) -> bytes:
    message = {**load_fixture("message_text")["message"], "message_id": update_id, "text": text}
    return json.dumps({"update_id": update_id, "message": message}).encode()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    started: list[subprocess.Popen[str]] = []

    def run(**env: str) -> tuple[str, subprocess.Popen[str]]:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tglake", "serve", "--port", str(port), "--no-schedule"],
            env={**os.environ, "TGLAKE_LAKE": str(tmp_path / "lake"),
                 "TGLAKE_WEBHOOK_SECRET": SECRET, **env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        started.append(server)
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url)
        return url, server

    yield run
    for server in started:
        server.terminate()
        server.communicate(timeout=20)


def answers(url: str, *texts: str) -> list[str | None]:
    """The method each group message got back in its 200 body (None: a plain acknowledgement)."""
    got = []
    for number, text in enumerate(texts, start=41):
        response = httpx2.post(
            f"{url}/webhook",
            content=group_message(number, text),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200
        got.append(response.json().get("method"))
    return got


MIXED = ("@tglake_test_bot quem ganhou?", "/prefeito@OutroBot", "/prefeito@tglake_test_bot")


def test_with_a_token_serve_asks_telegram_its_name_and_answers_mentions(
    start: Start, fake: FakeBotApi
) -> None:
    url, _ = start(TGLAKE_BOT_TOKEN=TOKEN, TGLAKE_TELEGRAM_API_URL=fake.url)
    assert "getMe" in fake.methods_called()
    assert answers(url, *MIXED) == ["sendMessage", None, "sendMessage"]


def test_the_setting_names_the_bot_without_a_token(start: Start) -> None:
    url, _ = start(TGLAKE_BOT_USERNAME="tglake_test_bot")
    assert answers(url, *MIXED) == ["sendMessage", None, "sendMessage"]


def test_when_getme_fails_serve_still_stores_and_says_what_groups_lose(
    start: Start, fake: FakeBotApi
) -> None:
    fake.fail_next("getMe", 502, "Bad Gateway", times=5)
    url, server = start(TGLAKE_BOT_TOKEN=TOKEN, TGLAKE_TELEGRAM_API_URL=fake.url)
    # without its name the bot cannot tell a mention, nor another bot's command
    assert answers(url, *MIXED) == [None, "sendMessage", "sendMessage"]
    server.terminate()
    output, _ = server.communicate(timeout=20)
    assert "getMe failed" in output
    assert "set TGLAKE_BOT_USERNAME" in output
    assert TOKEN not in output
