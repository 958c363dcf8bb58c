"""``tglake poll``, ``tglake webhook set|info|delete`` and ``tglake bot me``: talking to Telegram.

Thin commands: each builds the Bot API client from the settings, calls one method (or
:func:`tglake.ingest.poll.poll`) and prints the answer readably. The token comes from
``TGLAKE_BOT_TOKEN`` (or ``.env``), or is asked for without echo when a terminal is attached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from tglake.adapters.console_logging import setup_logging
from tglake.botapi import WebhookInfo
from tglake.cli.context import lake_option, load_settings
from tglake.config import Secret, Settings, check_webhook_secret
from tglake.errors import ConfigError, TelegramApiError

if TYPE_CHECKING:  # httpx2 is imported only by the commands that talk to Telegram
    from tglake.adapters.telegram_api import TelegramApi


def new_webhook_secret() -> str:
    """A fresh webhook secret: 256 random bits in Telegram's alphabet (43 characters)."""
    return secrets.token_urlsafe(32)


def resolve_token(
    settings: Settings,
    *,
    interactive: bool,
    prompt: Callable[[], str] = lambda: click.prompt("Bot token", hide_input=True),
) -> Settings:
    """Settings with a bot token: the configured one, or one typed (unechoed) at a terminal."""
    if settings.bot_token is not None:
        return settings
    if not interactive:
        raise ConfigError(
            "TGLAKE_BOT_TOKEN is not set: put the token @BotFather gave you in the environment "
            "or in .env (or run this command in a terminal to type it)"
        )
    token = prompt().strip()
    if not token:
        raise ConfigError("no bot token given: set TGLAKE_BOT_TOKEN")
    return dataclasses.replace(settings, bot_token=Secret(token))


@contextmanager
def bot_api(lake: str | None = None) -> Iterator[tuple[Settings, TelegramApi]]:
    """Settings (with a token) and a Bot API client; logging set up to redact the token."""
    from tglake.adapters.telegram_api import TelegramApi

    settings = resolve_token(load_settings(lake=lake), interactive=sys.stdin.isatty())
    setup_logging(settings)
    # httpx2 logs every request (each long poll, too); our own lines say what happened
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    assert settings.bot_token is not None
    with TelegramApi(settings.telegram_api_url, settings.bot_token) as api:
        yield settings, api


def local_time(timestamp: Any, tz: ZoneInfo) -> str:
    """A Unix time as ``YYYY-MM-DD HH:MM:SS ±HH`` in ``tz``; ``-`` when absent."""
    if not isinstance(timestamp, int | float) or isinstance(timestamp, bool) or timestamp <= 0:
        return "-"
    moment = dt.datetime.fromtimestamp(timestamp, tz)
    return f"{moment:%Y-%m-%d %H:%M:%S} ({tz.key})"


def webhook_info_lines(info: WebhookInfo, tz: ZoneInfo) -> list[tuple[str, str]]:
    """getWebhookInfo as label/value pairs, readable by a person."""
    allowed = info.get("allowed_updates")
    return [
        ("url", info.get("url") or "(none: no webhook is set, `tglake poll` can fetch updates)"),
        ("pending_update_count", str(info.get("pending_update_count", 0))),
        ("last_error_date", local_time(info.get("last_error_date"), tz)),
        ("last_error_message", str(info.get("last_error_message") or "-")),
        ("max_connections", str(info.get("max_connections", "-"))),
        (
            "allowed_updates",
            ", ".join(allowed) if allowed else "(Telegram's default: every kind but a few)",
        ),
    ]


def _yes_no(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, "-") if isinstance(value, bool) else "-"


def echo_pairs(pairs: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in pairs) + 1
    for label, value in pairs:
        click.echo(f"{label + ':':<{width}} {value}")


def set_menu(api: TelegramApi) -> str:
    """Send the bot's command table to Telegram (the "/" menu); say what was sent."""
    from tglake.bot.menu import bot_commands

    commands = bot_commands()
    api.set_my_commands(commands)
    return " ".join(f"/{c['command']}" for c in commands)


@click.command()
@lake_option
@click.option("--once", is_flag=True, help="Fetch what is waiting now, store it and exit.")
@click.option("--no-bot", is_flag=True, help="Store updates without answering them.")
def poll(lake: str | None, once: bool, no_bot: bool) -> None:
    """Fetch updates with getUpdates (long polling) and store them in the raw zone.

    For a machine without a public HTTPS address. Ctrl-C stops; the offset is saved in the
    lake after each stored batch, so the next run continues where this one ended."""
    from tglake.adapters.lake_check import check_lake
    from tglake.adapters.stores import open_store
    from tglake.ingest import poll as polling

    with bot_api(lake) as (settings, api):
        store = open_store(
            settings.raw_uri, endpoint_url=settings.aws_endpoint_url, fsync=settings.fsync
        )
        check_lake(store)  # a lake that cannot take a write stops here, not at the first update
        responder = None
        pacer = None
        if not no_bot:
            from tglake.adapters.running_bot import build_responder
            from tglake.adapters.telegram_api import TelegramApi
            from tglake.cli.bot import own_username
            from tglake.ingest.pacing import Pacer

            # replies go out paced on their own thread; a 429 holds only that chat's queue
            assert settings.bot_token is not None
            sending = TelegramApi(
                settings.telegram_api_url, settings.bot_token, max_rate_limit_waits=0
            )
            pacer = Pacer(sending.send)
            pacer.start()
            responder = build_responder(
                settings, store, bot_username=own_username(settings, api), sender=pacer.submit
            )
            try:
                click.echo(f"Command menu set: {set_menu(api)}", err=True)
            except TelegramApiError as exc:  # the menu is a nicety: polling goes on without it
                click.echo(f"Command menu not set: {exc}", err=True)
        progress = [polling.PollReport()]
        click.echo(f"Polling Telegram into {settings.raw_uri} (Ctrl-C stops).", err=True)
        try:
            report = polling.poll(
                api,
                store,
                settings,
                once=once,
                on_batch=progress.append,
                responder=responder,
                pacer=pacer,
            )
        except KeyboardInterrupt:
            click.echo(f"Stopped: {progress[-1].summary()}.", err=True)
            return
        finally:
            if pacer is not None:
                pacer.stop()
                sending.close()
        click.echo(report.summary())


@click.group()
def webhook() -> None:
    """Register, inspect or remove the bot's webhook (setWebhook, getWebhookInfo, …)."""


@webhook.command("set")
@click.argument("url")
@click.option(
    "--secret",
    default=None,
    help="secret_token (default: $TGLAKE_WEBHOOK_SECRET, else a fresh one, printed once).",
)
@click.option("--drop-pending", is_flag=True, help="Drop the updates Telegram holds for the bot.")
def webhook_set(url: str, secret: str | None, drop_pending: bool) -> None:
    """Point Telegram at URL (https://…/webhook), for every update kind tglake stores.

    The secret_token sent is --secret, else TGLAKE_WEBHOOK_SECRET (environment or .env), else a
    fresh one generated here and printed once, for the server's environment."""
    from tglake.telegram import ALL_KINDS

    with bot_api() as (settings, api):
        generated, given = False, secret is not None
        if secret is None and settings.webhook_secret is not None:
            secret = settings.webhook_secret.reveal()
        if secret is None:
            secret, generated = new_webhook_secret(), True
        check_webhook_secret(secret, "--secret" if given else "TGLAKE_WEBHOOK_SECRET")
        api.set_webhook(
            url, secret_token=secret, allowed_updates=ALL_KINDS, drop_pending_updates=drop_pending
        )
        click.echo(f"Webhook set: {url}")
        click.echo(f"Command menu set: {set_menu(api)}")
        if generated:
            click.echo(
                "A new webhook secret was generated. It is shown only this once; put this line "
                "in .env (or the server's environment) so that `tglake serve` checks it:"
            )
            click.echo(f"TGLAKE_WEBHOOK_SECRET={secret}")


@webhook.command("secret")
def webhook_secret() -> None:
    """Print a fresh webhook secret (43 characters of A-Z a-z 0-9 _ -) for TGLAKE_WEBHOOK_SECRET.

    Put it in the server's environment (or .env), then run `tglake webhook set URL`, which
    sends TGLAKE_WEBHOOK_SECRET to Telegram as the secret_token."""
    click.echo(f"TGLAKE_WEBHOOK_SECRET={new_webhook_secret()}")


@webhook.command("info")
def webhook_info() -> None:
    """Show the webhook Telegram has for the bot: URL, pending updates, last error."""
    with bot_api() as (settings, api):
        echo_pairs(webhook_info_lines(api.get_webhook_info(), settings.tz))


@webhook.command("delete")
@click.option("--drop-pending", is_flag=True, help="Drop the updates Telegram holds for the bot.")
def webhook_delete(drop_pending: bool) -> None:
    """Remove the webhook (then `tglake poll` can fetch updates)."""
    with bot_api() as (_, api):
        api.delete_webhook(drop_pending_updates=drop_pending)
        click.echo("Webhook deleted" + ("; pending updates dropped." if drop_pending else "."))


@click.group()
def bot() -> None:
    """Ask Telegram about the bot."""


@bot.command("me")
def bot_me() -> None:
    """Show who the token belongs to (getMe)."""
    with bot_api() as (_, api):
        me = api.get_me()
    echo_pairs(
        [
            ("id", str(me.get("id"))),
            ("username", f"@{me.get('username', '')}"),
            ("name", " ".join(str(me[k]) for k in ("first_name", "last_name") if me.get(k))),
            ("can_join_groups", _yes_no(me.get("can_join_groups"))),
            (
                "can_read_all_group_messages",
                _yes_no(me.get("can_read_all_group_messages")),
            ),
            ("supports_inline_queries", _yes_no(me.get("supports_inline_queries"))),
        ]
    )
