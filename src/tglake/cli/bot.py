"""``tglake bot alias add|list|remove`` and ``tglake bot suggest``: the loop from the lake's
misses back to the bot (thin commands over :mod:`tglake.candidates.aliases` and
:mod:`tglake.analytics.suggest`)."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
from typing import TYPE_CHECKING

import click

from tglake.cli.context import lake_option, load_settings
from tglake.config import Settings

if TYPE_CHECKING:
    from tglake.adapters.telegram_api import TelegramApi
    from tglake.storage import ObjectStore

log = logging.getLogger(__name__)


def reference_store(settings: Settings) -> ObjectStore:
    from tglake.adapters.stores import open_store
    from tglake.candidates.overlay import reference_uri

    return open_store(reference_uri(settings), endpoint_url=settings.aws_endpoint_url)


def own_username(settings: Settings, api: TelegramApi | None) -> str | None:
    """The running bot's @username: ``TGLAKE_BOT_USERNAME``, else Telegram's answer to getMe
    (with a token). In groups the bot answers a message that mentions it and ignores commands
    addressed to other bots only when it knows its name, so a failure says so and goes on."""
    from tglake.errors import TelegramApiError

    if settings.bot_username is not None:
        return settings.bot_username
    if api is None:
        log.warning(
            "the bot does not know its @username (no TGLAKE_BOT_USERNAME, no token to ask): in "
            "groups it will not answer mentions, and it answers commands meant for other bots"
        )
        return None
    try:
        username = api.get_me().get("username")
    except TelegramApiError as exc:
        log.warning(
            "getMe failed (%s): in groups the bot will not answer mentions, and it answers "
            "commands meant for other bots; set TGLAKE_BOT_USERNAME to avoid asking",
            exc,
        )
        return None
    return username if isinstance(username, str) and username else None


def who_adds(by: str | None) -> str:
    """``--by``, else the login name (``$USER``), else ``?``."""
    if by:
        return by
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "?"


@click.group("alias")
def alias_group() -> None:
    """Approved aliases: ways people write a candidate, party or bairro."""


@alias_group.command("add")
@click.argument("text")
@click.option("--candidate", "candidate", default=None, metavar="N", help="Ballot number.")
@click.option("--party", "party", default=None, metavar="N", help="Party number.")
@click.option("--bairro", "bairro", default=None, metavar="NAME", help="Bairro name.")
@click.option("--by", default=None, help="Who approves it (default: $USER).")
@lake_option
def alias_add(
    text: str,
    candidate: str | None,
    party: str | None,
    bairro: str | None,
    by: str | None,
    lake: str | None,
) -> None:
    """Make TEXT mean a candidate, a party or a bairro (a running bot picks it up)."""
    from tglake.adapters.stores import reference_store
    from tglake.candidates import aliases as al
    from tglake.candidates.overlay import lake_candidates

    given = [(k, v) for k, v in (("candidate", candidate), ("party", party), ("bairro", bairro))]
    chosen = [(k, v) for k, v in given if v is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --candidate, --party, --bairro")
    kind, target = chosen[0]
    settings = load_settings(lake=lake)
    store = reference_store(settings)
    canonical = al.resolve_target(lake_candidates(reference_store(settings)), kind, target)  # type: ignore[arg-type]
    alias = al.Alias(text.strip(), kind, canonical, who_adds(by), al.now_iso())  # type: ignore[arg-type]
    al.add_aliases(store, [alias])
    click.echo(f"alias «{alias.text}» → {kind} {canonical} (by {alias.added_by}) in {store.uri}")


@alias_group.command("list")
@lake_option
def alias_list(lake: str | None) -> None:
    """Show every approved alias, who added it and when."""
    from tglake.candidates import aliases as al

    found = al.read_aliases(reference_store(load_settings(lake=lake)))
    if not found:
        click.echo("no aliases yet (`tglake bot suggest` proposes some)")
    for a in found:
        people = f", {a.people} people" if a.people is not None else ""
        click.echo(f"{a.text}\t{a.kind} {a.target}\t{a.added_by} {a.added_at} ({a.source}{people})")


@alias_group.command("remove")
@click.argument("text")
@lake_option
def alias_remove(text: str, lake: str | None) -> None:
    """Remove the alias TEXT (matched case- and accent-insensitively)."""
    from tglake.candidates import aliases as al

    gone = al.remove_alias(reference_store(load_settings(lake=lake)), text)
    click.echo(f"removed «{gone.text}» → {gone.kind} {gone.target}")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from None


@click.command("suggest")
@lake_option
@click.option(
    "--from", "start", default=None, metavar="YYYY-MM-DD", help="First day (default: the lake's)."
)
@click.option(
    "--to", "end", default=None, metavar="YYYY-MM-DD", help="Last day (default: the lake's)."
)
@click.option("--apply", "apply", is_flag=True, help="Ask, for each suggestion, whether to add it.")
@click.option("--yes", is_flag=True, help="With --apply: add the top --top suggestions unasked.")
@click.option("--top", default=10, show_default=True, help="How many suggestions to show/apply.")
@click.option("--by", default=None, help="Who approves them (default: $USER).")
def suggest(
    lake: str | None,
    start: str | None,
    end: str | None,
    apply: bool,
    yes: bool,
    top: int,
    by: str | None,
) -> None:
    """Alias suggestions: misses that people resolved themselves, by people helped."""
    from tglake.adapters.stores import reference_store
    from tglake.analytics import suggest as sg
    from tglake.analytics.service import open_engine
    from tglake.candidates import aliases as al
    from tglake.candidates.overlay import lake_candidates

    if yes and not apply:
        raise click.UsageError("--yes goes with --apply")
    settings = load_settings(lake=lake)
    store = reference_store(settings)
    known = [a.key for a in al.read_aliases(store)]
    engine = open_engine(settings)
    period = engine.resolve_period(_date(start), _date(end))
    suggestions, unresolved = sg.find(engine, period, known)
    data = lake_candidates(reference_store(settings))
    click.echo(f"Alias suggestions, {period.start} to {period.end} (people helped):")
    if not suggestions:
        click.echo(f"  none new ({len(known)} aliases approved already)")
    for s in suggestions[:top]:
        click.echo(
            f"  {s.people:>4}  «{s.text}» → {s.label(data)}  "
            f"({s.resolved} found it themselves, {s.times} times; e.g. «{s.example}»)"
        )
    click.echo("Frequent misses nobody resolved (people, times):")
    for u in unresolved[:top]:
        click.echo(f"  {u.people:>4} {u.times:>5}  «{u.text}»")
    if not apply:
        return
    who, when = who_adds(by), al.now_iso()
    chosen = [
        s
        for s in suggestions[:top]
        if yes or click.confirm(f"Add «{s.text}» → {s.label(data)}?", default=True)
    ]
    written = al.add_aliases(store, [s.to_alias(who, when) for s in chosen])
    click.echo(f"{len(written)} aliases added by {who} to {store.uri} (a running bot loads them)")
