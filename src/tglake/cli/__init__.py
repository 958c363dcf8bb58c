"""The ``tglake`` command: a thin shell over the library.

Each command parses flags, calls one core function and prints the result; our errors become a
one-line ``Error: …`` and exit code 1. Commands live one module per job in this package.
"""

from __future__ import annotations

import sys

import click

from tglake.cli.analytics import query, report, sql
from tglake.cli.athena import athena
from tglake.cli.bot import alias_group, suggest
from tglake.cli.candidates import candidates
from tglake.cli.context import run_guarded
from tglake.cli.demo import demo
from tglake.cli.etl import etl_command
from tglake.cli.imports import import_group
from tglake.cli.privacy import expire, forget
from tglake.cli.serve import serve
from tglake.cli.telegram import bot, poll, webhook


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tglake")
def main_group() -> None:
    """tglake: a Telegram bot's updates → raw JSON → Parquet → SQL and a report."""


main_group.add_command(serve)
main_group.add_command(athena)
main_group.add_command(candidates)
main_group.add_command(poll)
main_group.add_command(webhook)
main_group.add_command(bot)
bot.add_command(alias_group)
bot.add_command(suggest)
for _command in (query, sql, report):
    main_group.add_command(_command)
main_group.add_command(etl_command)
main_group.add_command(import_group)
main_group.add_command(demo)
main_group.add_command(forget)
main_group.add_command(expire)


def main() -> None:
    """Entry point of the console script."""
    sys.exit(run_guarded(main_group))
