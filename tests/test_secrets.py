"""Secrets never reach logs, output, tracebacks or the lake.

Real ``tglake`` processes run with a bot token, a webhook secret and a pseudonym key set, and
go through their error paths too; then every byte they printed and every file in the lake is
searched for the three values.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from tests.fake_bot_api import FakeBotApi, running_fake_bot
from tests.helpers import fixture_bytes, free_port, load_fixture, wait_until_healthy

TOKEN = "987654:SECRET-token-never-shown-xyz"
WEBHOOK_SECRET = "webhook-secret-never-shown-abc"
PSEUDONYM_KEY = "pseudonym-key-never-shown-1234567890"
REPORT_TOKEN = "report-token-never-shown-456"
SECRETS = (TOKEN, WEBHOOK_SECRET, PSEUDONYM_KEY, REPORT_TOKEN, TOKEN.split(":")[1])


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotApi]:
    with running_fake_bot() as running:
        running.token = TOKEN
        yield running


def environment(lake: Path, api_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TGLAKE_LAKE": str(lake),
        "TGLAKE_BOT_TOKEN": TOKEN,
        "TGLAKE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TGLAKE_PSEUDONYM_KEY": PSEUDONYM_KEY,
        "TGLAKE_REPORT_TOKEN": REPORT_TOKEN,
        "TGLAKE_TELEGRAM_API_URL": api_url,
        "TGLAKE_LOG_LEVEL": "DEBUG",  # the most the logs ever say must still be clean
    }


def tglake(env: dict[str, str], *args: str) -> str:
    """Run the real command; return everything it printed (stdout + stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "tglake", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.stdout + done.stderr


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked into {where}"


def lake_bytes(lake: Path) -> Iterator[tuple[Path, bytes]]:
    for path in lake.rglob("*"):
        if path.is_file():
            yield path, path.read_bytes()


def test_serve_logs_and_lake_hold_no_secret(tmp_path: Path, fake: FakeBotApi) -> None:
    lake = tmp_path / "lake"
    env = environment(lake, fake.url)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tglake", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url)
        good = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        answers = [
            httpx2.post(f"{url}/webhook", content=fixture_bytes("message_text"), headers=good),
            httpx2.post(f"{url}/webhook", content=fixture_bytes("private_message"), headers=good),
            httpx2.post(f"{url}/webhook", content=b"{broken", headers=good),
            httpx2.post(
                f"{url}/webhook",
                content=fixture_bytes("sticker"),
                headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET[:-1]},
            ),
            httpx2.post(f"{url}/webhook", content=fixture_bytes("sticker")),
            httpx2.get(f"{url}/report", headers={"Authorization": f"Bearer {REPORT_TOKEN[:-1]}"}),
            httpx2.get(f"{url}/report", headers={"Authorization": f"Bearer {WEBHOOK_SECRET}"}),
            httpx2.get(f"{url}/report", headers={"Authorization": f"Bearer {REPORT_TOKEN}"}),
        ]
        # the last: the right token, and an empty enriched zone (no report yet)
        assert [a.status_code for a in answers] == [200, 200, 400, 401, 401, 401, 401, 404]
        for answer in answers:
            assert_no_secret(answer.text, "an HTTP answer")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "update update_id=100000014" in output  # the log is there, and it is clean
    assert_no_secret(output, "the server log")
    files = list(lake_bytes(lake))
    assert files, "the lake should hold the stored updates"
    for path, data in files:
        assert_no_secret(data.decode("utf-8", "replace"), str(path))


def test_telegram_commands_and_their_errors_print_no_secret(
    tmp_path: Path, fake: FakeBotApi
) -> None:
    env = environment(tmp_path / "lake", fake.url)
    fake.queue(load_fixture("private_message"))
    outputs = {
        "bot me": tglake(env, "bot", "me"),
        "poll --once": tglake(env, "poll", "--once"),
        "webhook set": tglake(env, "webhook", "set", "https://example.org/webhook"),
        "webhook info": tglake(env, "webhook", "info"),
        "poll while a webhook is set": tglake(env, "poll", "--once"),
        "unreachable Telegram": tglake(
            {**env, "TGLAKE_TELEGRAM_API_URL": f"http://127.0.0.1:{free_port()}"}, "bot", "me"
        ),
        "rejected token": tglake({**env, "TGLAKE_BOT_TOKEN": "1:" + TOKEN}, "bot", "me"),
    }
    assert "@tglake_test_bot" in outputs["bot me"]
    assert "Error:" in outputs["unreachable Telegram"]
    assert "Error: the Bot API rejected the bot token" in outputs["rejected token"]
    assert "tglake webhook delete" in outputs["poll while a webhook is set"]
    assert list((tmp_path / "lake").rglob("100000014.json")), "poll should have stored"
    for name, text in outputs.items():
        assert_no_secret(text, name)
    for path, data in lake_bytes(tmp_path / "lake"):
        assert_no_secret(data.decode("utf-8", "replace"), str(path))
