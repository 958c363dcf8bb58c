"""``tglake forget`` and ``tglake expire``: people's data out of the lake, on request or on age."""

from __future__ import annotations

import datetime as dt
import functools

import click

from tglake.adapters.console_logging import setup_logging
from tglake.cli.context import lake_option, load_settings
from tglake.errors import ConfigError


def _dates(days: list[dt.date]) -> str:
    return ", ".join(d.isoformat() for d in days) or "-"


@click.command()
@click.option("--user-id", type=int, default=None, help="The person's Telegram user id.")
@click.option("--username", default=None, help="The person's @username, found in the raw zone.")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option(
    "--keep-names",
    is_flag=True,
    help="Rebuild days keeping names (a lake built with names keeps them anyway: it remembers).",
)
@lake_option
def forget(
    user_id: int | None, username: str | None, dry_run: bool, keep_names: bool, lake: str | None
) -> None:
    """Erase one person from the lake (LGPD art. 18), on a folder or on S3.

    Their updates and the bot's events for them leave the raw zone; other people's updates that
    quote them are rewritten without their id, names and words; every day touched is rebuilt,
    so the enriched zone loses their user_key, rows and words; an audit record (counts, days,
    user_key; never the id) goes to raw/_erasures/. Running it again changes nothing."""
    from tglake.adapters.stores import open_store
    from tglake.erasure import forget as erase
    from tglake.erasure import resolve_username

    if (user_id is None) == (username is None):
        raise click.UsageError("give exactly one of --user-id or --username")
    settings = load_settings(lake=lake, keep_names=True if keep_names else None)
    setup_logging(settings)
    opener = functools.partial(open_store, endpoint_url=settings.aws_endpoint_url)
    raw = opener(settings.raw_uri, fsync=settings.fsync)
    enriched = opener(settings.enriched_uri)
    if username is not None:
        name = username.strip().lstrip("@")
        ids = resolve_username(raw, name)
        if not ids:
            click.echo(f"No update in the raw zone has the username @{name}: nothing to erase.")
            return
        if len(ids) > 1:
            raise ConfigError(
                f"@{name} belonged to {len(ids)} different users over time: "
                "erase each with --user-id"
            )
        user_id = ids.pop()
    assert user_id is not None
    conversations = None
    if settings.context_table is not None:  # the bot's contexts on AWS (TGLAKE_CONTEXT_TABLE)
        from tglake.adapters.dynamo_contexts import table_contexts

        conversations = table_contexts(settings)
    report = erase(
        settings=settings,
        raw=raw,
        enriched=enriched,
        user_id=user_id,
        open_store=opener,
        dry_run=dry_run,
        conversations=conversations,
    )
    would = "would be " if dry_run else ""
    click.echo(f"user_key   {report.user_key or '- (the lake has no pseudonym key yet)'}")
    if not report.changed:
        click.echo("Nothing of this person is left in the lake: nothing changed.")
        return
    click.echo(f"raw zone   {len(report.deleted)} object(s) {would}deleted (theirs)")
    click.echo(f"           {len(report.redacted)} object(s) {would}rewritten (quoting them)")
    click.echo(f"enriched   days {would}rebuilt: {_dates(report.days)}")
    if report.enriched_only_days:
        click.echo(f"           days without raw data, rows {would}removed: "
                   f"{_dates(report.enriched_only_days)}")  # fmt: skip
    for name, count in report.erasers.items():
        click.echo(f"other      {name}: {count} object(s) {would}erased")
    if dry_run:
        for key in report.deleted:
            click.echo(f"delete     {key}")
        for key in report.redacted:
            click.echo(f"rewrite    {key}")
        click.echo("Dry run: nothing changed.")
    else:
        click.echo(f"audit      {report.audit_key}")


@click.command()
@click.option(
    "--raw-older-than",
    "days",
    type=click.IntRange(min=1),
    required=True,
    metavar="DAYS",
    help="Delete raw days older than DAYS days (in TGLAKE_TIMEZONE).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@lake_option
def expire(days: int, dry_run: bool, lake: str | None) -> None:
    """Delete raw updates (names, usernames, phone numbers) older than a retention period.

    The enriched zone keeps those days (it holds no names or ids); run `tglake etl` for a day
    before it expires. On S3 the bucket's lifecycle rule does the same (infra/template.yaml)."""
    from tglake.adapters.stores import open_store
    from tglake.erasure.expire import expire_raw
    from tglake.layout import context_date

    settings = load_settings(lake=lake)
    setup_logging(settings)
    raw = open_store(settings.raw_uri, endpoint_url=settings.aws_endpoint_url)
    today = context_date(dt.datetime.now(dt.UTC), settings.tz)
    report = expire_raw(raw, today - dt.timedelta(days=days), dry_run=dry_run)
    verb = "would be deleted" if dry_run else "deleted"
    click.echo(
        f"{report.objects} raw object(s) of {len(report.days)} day(s) before "
        f"{report.before.isoformat()} {verb}"
        + (f" ({_dates(report.days[:1])} … {_dates(report.days[-1:])})" if report.days else "")
    )
