"""Plain-text log lines on stderr for the processes we run ourselves (the CLI, the demo server),
with secrets scrubbed. The Lambda's JSON lines are :mod:`tglake.adapters.lambda_logging`.

Here, not in ``cli/``, so the demo server configures logging without loading click.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import TextIO

from tglake.config import Settings


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
    level = settings.log_level if settings is not None else "INFO"
    root.setLevel(logging.DEBUG if verbose else level)
    # botocore's INFO lines ("Found credentials in environment variables") are not ours to say
    logging.getLogger("botocore").setLevel(logging.DEBUG if verbose else logging.WARNING)


@contextlib.contextmanager
def logging_into(stream: TextIO) -> Iterator[None]:
    """Send the log lines to ``stream`` for a while: inside a live rich progress bar, its proxy
    of ``sys.stderr`` prints each line above the bar instead of through it."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    previous = [h.setStream(stream) for h in handlers]
    try:
        yield
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            if old is not None:
                handler.setStream(old)
