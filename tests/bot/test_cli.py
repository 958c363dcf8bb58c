"""The ``candidates`` commands and ``serve --no-bot`` are wired, documented and helpful."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from click.testing import CliRunner

from tests.fake_bot_api import TOKEN, running_fake_bot
from tests.helpers import fixture_bytes, free_port, load_fixture
from tglake.cli import main_group
from tglake.cli.context import run_guarded

BOT_DOC = Path(__file__).parents[2] / "docs" / "bot.md"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["candidates", "build", "--help"], "--shared"),
        (["candidates", "import", "--help"], "--municipio"),
        (["serve", "--help"], "--no-bot"),
    ],
)
def test_help(args: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_guarded(main_group, args) == 0
    assert needle in capsys.readouterr().out


def test_the_bot_doc_documents_the_commands() -> None:
    doc = BOT_DOC.read_text(encoding="utf-8")
    assert doc.startswith("# The candidate bot\n")
    for command in ("tglake candidates build", "tglake candidates import", "--no-bot"):
        assert command in doc


def test_build_from_a_folder_without_the_files_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["candidates", "build", "--shared", str(tmp_path), "--out", str(tmp_path / "x.gz")]
    assert run_guarded(main_group, args) == 1
    assert capsys.readouterr().err.startswith("Error: cannot read the TSE folder")
    assert not (tmp_path / "x.gz").exists()


def serve_process(lake: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "TGLAKE_WEBHOOK_SECRET": "s3cret-for-serve"}
    cmd = [sys.executable, "-m", "tglake", "serve", "--port", str(port), "--lake", str(lake)]
    proc = subprocess.Popen([*cmd, *extra], env=env, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{url}/healthz").status_code == 200:
                return proc, url
        except httpx2.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("tglake serve did not start")


@pytest.mark.parametrize("no_bot", [False, True])
def test_tglake_serve_answers_unless_no_bot(lake: Path, no_bot: bool) -> None:
    proc, url = serve_process(lake, *(["--no-bot", "--fsync"] if no_bot else []))
    try:
        response = httpx2.post(
            f"{url}/webhook",
            content=fixture_bytes("private_message"),
            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-for-serve"},
        )
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=20)
    assert response.status_code == 200
    assert list((lake / "raw" / "telegram").rglob("100000014.json"))
    if no_bot:
        assert response.json() == {"ok": True}
        assert not (lake / "raw" / "bot").exists()
    else:
        assert "Braz Cubas" in response.json()["text"]
        assert list((lake / "raw" / "bot").rglob("100000014.json"))
    assert b"s3cret-for-serve" not in stderr
    assert (b"/webhook, raw zone " + str(lake / "raw").encode() + b" (fsync)" in stderr) == no_bot


@pytest.mark.parametrize("no_bot", [False, True])
def test_tglake_poll_answers_through_send_message_unless_no_bot(
    tmp_path: Path, no_bot: bool
) -> None:
    lake = tmp_path / "lake"
    with running_fake_bot() as fake:
        fake.queue(load_fixture("private_message"))  # "quem ganhou em Braz Cubas?"
        env = {"TGLAKE_TELEGRAM_API_URL": fake.url, "TGLAKE_BOT_TOKEN": TOKEN}
        args = ["poll", "--once", "--lake", str(lake), *(["--no-bot"] if no_bot else [])]
        with CliRunner().isolation(env=env):
            assert run_guarded(main_group, args) == 0
        sent = list(fake.sent)
    if no_bot:
        assert sent == []
        return
    (message,) = sent
    assert message["chat_id"] == 5550006
    assert message["parse_mode"] == "HTML"
    assert "<b>Braz Cubas</b> — quem teve mais votos no bairro" in message["text"]
    assert list((lake / "raw" / "bot").rglob("100000014.json"))
