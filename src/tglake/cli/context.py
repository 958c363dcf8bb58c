"""What every command shares: settings from env + .env + flags, error mapping. (Logging is
:mod:`tglake.adapters.console_logging`, shared with the demo server.)"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tglake.config import Settings, read_dotenv
from tglake.errors import TglakeError

F = TypeVar("F", bound=Callable[..., Any])


def lake_option(func: F) -> F:
    """``--lake``: defined once, reused by every command that touches the lake."""
    return click.option(
        "--lake",
        default=None,
        metavar="DIR|s3://BUCKET/PREFIX",
        help="Root of the lake (default: $TGLAKE_LAKE or ./lake).",
    )(func)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and ./.env, with CLI flags on top."""
    return Settings.from_env(os.environ, read_dotenv(Path(".env")), **overrides)


def run_guarded(command: click.Command, args: list[str] | None = None) -> int:
    """Run a click command; our errors print ``Error: …`` and give exit code 1."""
    try:
        command.main(args=args, standalone_mode=False)
    except TglakeError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0
