"""What every command shares: settings from env + .env + flags, logging, error mapping."""

from __future__ import annotations

import logging
import os
import sys
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


class RedactingFilter(logging.Filter):
    """Defence in depth: replace any secret value that slips into a log record."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "**********")
            record.msg, record.args = message, None
        return True


def setup_logging(settings: Settings | None = None, *, verbose: bool = False) -> None:
    """Configure the root logger once, at the edge (libraries only log)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    if settings is not None:
        handler.addFilter(RedactingFilter(settings.secrets()))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


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
