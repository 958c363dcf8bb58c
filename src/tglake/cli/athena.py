"""``tglake athena``: what Athena needs to query the enriched zone."""

from __future__ import annotations

import datetime as dt

import click

from tglake.cli.context import load_settings


@click.group()
def athena() -> None:
    """Query the lake with Amazon Athena."""


@athena.command()
@click.option("--database", default="tglake", show_default=True, help="Glue database name.")
@click.option(
    "--location",
    default=None,
    metavar="s3://BUCKET/PREFIX",
    help="Enriched zone on S3 (default: $TGLAKE_ENRICHED_URI).",
)
@click.option(
    "--start",
    default="2024-01-01",
    show_default=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of the partition projection range.",
)
def ddl(database: str, location: str | None, start: dt.datetime) -> None:
    """Print CREATE DATABASE / CREATE EXTERNAL TABLE statements for every enriched table."""
    from tglake.analytics.athena_ddl import ddl_script

    uri = location or load_settings().enriched_uri
    click.echo(ddl_script(uri, database=database, start=start.date()), nl=False)
