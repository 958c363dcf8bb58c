"""`tglake poll`, `tglake webhook …` and `tglake bot me` against the fake Bot API server."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.helpers import load_fixture
from tglake.bot.menu import bot_commands
from tglake.cli import main_group
from tglake.cli.context import run_guarded
from tglake.cli.telegram import resolve_token, webhook_info_lines
from tglake.config import Secret, Settings
from tglake.errors import ConfigError
from tglake.telegram import ALL_KINDS

README = Path(__file__).parents[2] / "README.md"


@dataclasses.dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No stray .env, and the root logger given back as it was (the CLI configures it)."""
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def tglake(fake: FakeBotApi, *args: str, token: str | None = TOKEN, **env: str) -> Run:
    environ = {"TGLAKE_TELEGRAM_API_URL": fake.url, **env}
    if token is not None:
        environ["TGLAKE_BOT_TOKEN"] = token
    with CliRunner().isolation(env=environ) as (out, err, _):
        code = run_guarded(main_group, list(args))
    return Run(code, out.getvalue().decode(), err.getvalue().decode())


def test_bot_me_shows_who_the_token_belongs_to(fake: FakeBotApi) -> None:
    run = tglake(fake, "bot", "me")
    assert run.code == 0
    assert run.out.splitlines() == [
        "id:                          123456",
        "username:                    @tglake_test_bot",
        "name:                        Tglake Test Bot",
        "can_join_groups:             yes",
        "can_read_all_group_messages: no",
        "supports_inline_queries:     no",
    ]


def test_a_wrong_token_fails_clearly_without_printing_it(fake: FakeBotApi) -> None:
    wrong = "123456:WRONG-token-not-real"
    run = tglake(fake, "bot", "me", token=wrong)
    assert run.code == 1
    assert run.err == (
        "Error: the Bot API rejected the bot token (401 Unauthorized): "
        "check TGLAKE_BOT_TOKEN (the token @BotFather gave you)\n"
    )
    assert "WRONG-token" not in run.out + run.err


def test_no_token_and_no_terminal_names_the_variable(fake: FakeBotApi) -> None:
    run = tglake(fake, "webhook", "info", token=None)
    assert run.code == 1
    assert run.err.startswith("Error: TGLAKE_BOT_TOKEN is not set: put the token @BotFather")
    assert fake.calls == []


def test_at_a_terminal_the_token_is_asked_for() -> None:
    settings = resolve_token(Settings(), interactive=True, prompt=lambda: f"  {TOKEN}\n")
    assert settings.bot_token == Secret(TOKEN)
    with pytest.raises(ConfigError, match="no bot token given"):
        resolve_token(Settings(), interactive=True, prompt=lambda: "")


def test_webhook_set_with_a_secret_registers_every_kind(fake: FakeBotApi) -> None:
    run = tglake(
        fake, "webhook", "set", "https://bot.example/webhook", "--secret", "my_secret-1-long-enough"
    )
    assert (run.code, run.out) == (
        0,
        "Webhook set: https://bot.example/webhook\n"
        "Command menu set: /candidato /partido /prefeito /vereadores /bairro /eleitos /perfil "
        "/ajuda\n",
    )
    assert fake.commands == bot_commands()
    assert fake.webhook["secret_token"] == "my_secret-1-long-enough"
    assert fake.webhook["allowed_updates"] == list(ALL_KINDS)
    assert "my_secret-1-long-enough" not in run.out + run.err


def test_webhook_set_uses_the_configured_secret_silently(fake: FakeBotApi) -> None:
    run = tglake(
        fake, "webhook", "set", "https://b.example/w", TGLAKE_WEBHOOK_SECRET="from-env-secret-0123"
    )
    assert run.code == 0
    assert fake.webhook["secret_token"] == "from-env-secret-0123"
    assert "from-env-secret-0123" not in run.out + run.err


def test_webhook_set_without_a_secret_generates_one_and_shows_it_once(fake: FakeBotApi) -> None:
    run = tglake(fake, "webhook", "set", "https://bot.example/webhook", "--drop-pending")
    assert run.code == 0
    secret = fake.webhook["secret_token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", secret)
    assert run.out.count(secret) == 1
    assert run.out.splitlines()[-1] == f"TGLAKE_WEBHOOK_SECRET={secret}"
    assert dict(fake.calls)["setWebhook"]["drop_pending_updates"] is True


def test_webhook_set_refuses_what_telegram_refuses(fake: FakeBotApi) -> None:
    run = tglake(fake, "webhook", "set", "http://insecure.example/webhook", "--secret", "x" * 16)
    assert run.code == 1
    assert run.err == (
        "Error: setWebhook failed: 400 Bad Request: bad webhook: "
        "An HTTPS URL must be provided for webhook\n"
    )
    bad = tglake(fake, "webhook", "set", "https://bot.example/w", "--secret", "no spaces!")
    assert bad.code == 1
    assert "may hold only A-Z, a-z, 0-9, _ and -" in bad.err


def test_webhook_info_is_readable_with_the_error_time_in_the_local_zone(fake: FakeBotApi) -> None:
    fake.webhook = {
        "url": "https://bot.example/webhook",
        "max_connections": 40,
        "allowed_updates": ["message", "callback_query"],
        "last_error_date": 1728226800,  # 2024-10-06 15:00 UTC
        "last_error_message": "Wrong response from the webhook: 503 Service Unavailable",
    }
    fake.queue(*[{**load_fixture("message_text"), "update_id": i} for i in (1, 2)])
    run = tglake(fake, "webhook", "info")
    assert run.code == 0
    assert run.out.splitlines() == [
        "url:                  https://bot.example/webhook",
        "pending_update_count: 2",
        "last_error_date:      2024-10-06 12:00:00 (America/Sao_Paulo)",
        "last_error_message:   Wrong response from the webhook: 503 Service Unavailable",
        "max_connections:      40",
        "allowed_updates:      message, callback_query",
    ]


def test_webhook_info_without_a_webhook_says_so() -> None:
    lines = dict(webhook_info_lines({"url": "", "pending_update_count": 0}, ZoneInfo("UTC")))
    assert lines["url"] == "(none: no webhook is set, `tglake poll` can fetch updates)"
    assert lines["last_error_date"] == "-"


def test_webhook_delete_then_poll_works(fake: FakeBotApi, tmp_path: Path) -> None:
    fake.webhook = {"url": "https://bot.example/webhook", "max_connections": 40}
    fake.queue({**load_fixture("message_text"), "update_id": 8})
    blocked = tglake(fake, "poll", "--once", "--lake", str(tmp_path / "lake"))
    assert blocked.code == 1
    assert "remove it with `tglake webhook delete`" in blocked.err
    deleted = tglake(fake, "webhook", "delete")
    assert (deleted.code, deleted.out) == (0, "Webhook deleted.\n")
    polled = tglake(fake, "poll", "--once", "--lake", str(tmp_path / "lake"))
    assert polled.code == 0
    assert (
        polled.out == "1 stored, 0 duplicate, 0 conflict, 0 ignored, 0 malformed; next offset 9\n"
    )
    assert list((tmp_path / "lake" / "raw" / "telegram").glob("context_date=*/8.json"))
    assert TOKEN not in polled.out + polled.err


def test_poll_sets_the_command_menu_when_it_answers(fake: FakeBotApi, tmp_path: Path) -> None:
    lake = str(tmp_path / "lake")
    silent = tglake(fake, "poll", "--once", "--no-bot", "--lake", lake)
    assert silent.code == 0
    assert "setMyCommands" not in fake.methods_called()
    answering = tglake(fake, "poll", "--once", "--lake", lake)
    assert answering.code == 0
    assert "Command menu set: /candidato" in answering.err
    assert fake.commands == bot_commands()
    assert [e["command"] for e in fake.commands] == [
        "candidato", "partido", "prefeito", "vereadores", "bairro", "eleitos", "perfil", "ajuda",
    ]  # fmt: skip


def group_message(update_id: int, text: str) -> dict[str, object]:
    """A supergroup message as the Bot API sends it, with its entities when it starts with a
    command or a mention."""
    message = {**load_fixture("message_text")["message"], "message_id": update_id, "text": text}
    first = text.split()[0]
    kind = {"/": "bot_command", "@": "mention"}.get(first[0])
    message["entities"] = [{"offset": 0, "length": len(first), "type": kind}] if kind else []
    return {"update_id": update_id, "message": message}


def test_poll_learns_the_bots_name_so_groups_can_mention_it(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    # GIVEN a group where people mention the bot, address it, and address another bot
    fake.queue(
        group_message(21, "@tglake_test_bot quem ganhou em Braz Cubas?"),
        group_message(22, "/prefeito@OutroBot"),
        group_message(23, "/prefeito@tglake_test_bot"),
        group_message(24, "bom dia grupo"),
    )
    # WHEN the poller runs with only a token (it asks Telegram who it is)
    run = tglake(fake, "poll", "--once", "--lake", str(tmp_path / "lake"))
    # THEN it answers the mention and its own command, never the other bot's or the chatter
    assert run.code == 0
    assert "getMe" in fake.methods_called()
    assert sorted(m["reply_parameters"]["message_id"] for m in fake.sent) == [21, 23]


def test_poll_takes_the_bots_name_from_the_setting_without_asking(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    fake.queue(
        group_message(31, "@MogiEleicoesBot quem ganhou?"), group_message(32, "/ajuda@x_bot1")
    )
    run = tglake(
        fake, "poll", "--once", "--lake", str(tmp_path / "lake"),
        TGLAKE_BOT_USERNAME="@MogiEleicoesBot",
    )  # fmt: skip
    assert run.code == 0
    assert "getMe" not in fake.methods_called()
    assert [m["reply_parameters"]["message_id"] for m in fake.sent] == [31]


def test_poll_goes_on_when_the_menu_cannot_be_set(fake: FakeBotApi, tmp_path: Path) -> None:
    fake.fail_next("setMyCommands", 400, "Bad Request: BOT_COMMAND_INVALID")
    fake.queue({**load_fixture("message_text"), "update_id": 8})
    run = tglake(fake, "poll", "--once", "--lake", str(tmp_path / "lake"))
    assert run.code == 0
    assert "Command menu not set: setMyCommands failed: 400 Bad Request: BOT_COMMAND_INVALID" in (
        run.err
    )
    assert run.out.startswith("1 stored")


def test_webhook_delete_can_drop_pending_updates(fake: FakeBotApi) -> None:
    fake.queue({**load_fixture("message_text"), "update_id": 8})
    run = tglake(fake, "webhook", "delete", "--drop-pending")
    assert (run.code, run.out) == (0, "Webhook deleted; pending updates dropped.\n")
    assert fake.pending == []


def test_poll_across_two_runs_stores_every_update_once(fake: FakeBotApi, tmp_path: Path) -> None:
    lake = str(tmp_path / "lake")
    fake.queue(*[{**load_fixture("message_text"), "update_id": i} for i in (1, 2, 3)])
    first = tglake(fake, "poll", "--once", "--lake", lake)
    fake.queue(*[{**load_fixture("channel_post"), "update_id": i} for i in (4, 5)])
    second = tglake(fake, "poll", "--once", "--lake", lake)
    assert first.out.startswith("3 stored, 0 duplicate")
    assert second.out.startswith("2 stored, 0 duplicate")
    stored = sorted(p.name for p in (tmp_path / "lake" / "raw" / "telegram").rglob("*.json"))
    assert stored == ["1.json", "2.json", "3.json", "4.json", "5.json"]
    assert "update update_id=5 kind=channel_post outcome=stored" in second.err


def test_ctrl_c_stops_polling_cleanly_with_the_offset_saved(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    """A real process, a real SIGINT: it stops between requests or mid-request, and the offset
    of what was stored is in the lake for the next run."""
    fake.queue(*[{**load_fixture("message_text"), "update_id": i} for i in (1, 2)])
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TGLAKE_")},
        "TGLAKE_TELEGRAM_API_URL": fake.url,
        "TGLAKE_BOT_TOKEN": TOKEN,
        "TGLAKE_LAKE": str(tmp_path / "lake"),
    }
    offset_file = tmp_path / "lake" / "raw" / "_state" / "getupdates-offset.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "tglake", "poll"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not offset_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert (
        "Stopped: 2 stored, 0 duplicate, 0 conflict, 0 ignored, 0 malformed; next offset 3" in err
    )
    assert "Traceback" not in err
    assert offset_file.read_text() == '{"offset": 3}'
    assert TOKEN not in out + err


@pytest.mark.parametrize("args", [["poll"], ["webhook", "set"], ["webhook", "info"],
                                  ["webhook", "delete"], ["bot", "me"]])  # fmt: skip
def test_every_command_has_help_and_a_place_in_the_readme(args: list[str]) -> None:
    with CliRunner().isolation() as (out, _, _):
        assert run_guarded(main_group, [*args, "--help"]) == 0
    assert "Usage: " in out.getvalue().decode()
    assert f"tglake {' '.join(args)}" in README.read_text()


def test_webhook_set_refuses_a_short_secret_before_calling_telegram(fake: FakeBotApi) -> None:
    calls = len(fake.calls)
    run = tglake(fake, "webhook", "set", "https://bot.example/w", "--secret", "x")
    assert (run.code, len(fake.calls)) == (1, calls)
    assert run.err == (
        "Error: --secret is 1 characters long: use at least 16; "
        "`tglake webhook secret` prints a fresh one\n"
    )


def test_webhook_secret_prints_a_fresh_secret_that_serve_accepts(fake: FakeBotApi) -> None:
    first = tglake(fake, "webhook", "secret")
    second = tglake(fake, "webhook", "secret")
    assert first.code == 0
    line = first.out.strip()
    assert re.fullmatch(r"TGLAKE_WEBHOOK_SECRET=[A-Za-z0-9_-]{43}", line)
    assert second.out != first.out
    value = line.split("=", 1)[1]
    assert Settings.from_env({"TGLAKE_WEBHOOK_SECRET": value}).webhook_secret is not None
