"""The demo's webhook server: the production app, told the simulated time of each delivery.

A real server stamps an update with the time it arrives. The demo replays a week in seconds,
so the wrapper below reads each delivery's simulated ``received_at`` from a header only the
demo's player sends, and hands it to the production app through its ``clock``. The production
webhook (``tglake serve``, the Lambda) has no such hook: this wrapper exists only here.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import datetime as dt
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tglake.config import Settings
from tglake.demo.player import SIMULATED_TIME_HEADER
from tglake.demo.shapes import BOT_USER
from tglake.errors import TglakeError

_simulated_now: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "simulated_now", default=None
)
_HEADER = SIMULATED_TIME_HEADER.encode()


def simulated_clock() -> dt.datetime:
    """The current request's simulated time, or the real time when it carries none."""
    return _simulated_now.get() or dt.datetime.now(dt.UTC)


def _parse(value: bytes) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(value.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return when if when.tzinfo is not None else None


def with_simulated_time(app: Any) -> Any:
    """Wrap an ASGI app so that :func:`simulated_clock` answers the request's header."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        token = None
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == _HEADER:
                    token = _simulated_now.set(_parse(value))
                    break
        try:
            await app(scope, receive, send)
        finally:
            if token is not None:
                _simulated_now.reset(token)

    return wrapped


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Poll ``/healthz`` until the server answers 200 (or fail if it died)."""
    import httpx2

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise TglakeError(f"the webhook server exited with code {process.returncode}")
        try:
            if httpx2.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.05)
    raise TglakeError(f"the webhook server did not answer on {base_url} in {timeout:.0f} s")


@contextlib.contextmanager
def spawn_server(
    command: list[str], env: dict[str, str], port: int, log_path: Path, cwd: Path | None = None
) -> Iterator[str]:
    """Run a webhook server as a child process on ``port`` (so it has a core of its own);
    yields its base URL and stops it (by its own pid) at the end."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=cwd)  # noqa: S603
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def child_env(settings: Settings) -> dict[str, str]:
    """The environment of the demo's server: only what it needs, not the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TGLAKE_", "AWS_"))}
    env["TGLAKE_LAKE"] = settings.lake
    env["TGLAKE_TIMEZONE"] = settings.timezone
    for name, secret in (
        ("TGLAKE_WEBHOOK_SECRET", settings.webhook_secret),
        ("TGLAKE_PSEUDONYM_KEY", settings.pseudonym_key),
    ):
        if secret is not None:
            env[name] = secret.reveal()
    return env


@contextlib.contextmanager
def demo_server(settings: Settings, log_path: Path) -> Iterator[str]:
    """The demo's webhook server (``python -m tglake.demo.server``) for these settings."""
    port = free_port()
    command = [sys.executable, "-m", "tglake.demo.server", "--port", str(port)]
    with spawn_server(command, child_env(settings), port, log_path, cwd=log_path.parent) as url:
        yield url


def make_app(settings: Settings) -> Any:
    """The production webhook app with the bot's replies, wrapped so that each delivery (and
    the bot's event about it) is filed under its simulated day."""
    from tglake.adapters.http import create_app
    from tglake.adapters.stores import open_store

    raw = open_store(settings.raw_uri)
    from tglake.adapters.running_bot import build_responder

    responder = build_responder(
        settings,
        raw,
        bot_username=BOT_USER["username"],
        clock=simulated_clock,
        alias_interval=0.0,
    )
    app = create_app(settings, raw, responder=responder, clock=simulated_clock)
    return with_simulated_time(app)


def main(argv: list[str] | None = None) -> None:
    """``python -m tglake.demo.server --port N``: settings come from the environment."""
    import uvicorn

    from tglake.adapters.console_logging import setup_logging

    parser = argparse.ArgumentParser(prog="python -m tglake.demo.server")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    settings = Settings.from_env(os.environ)
    setup_logging(settings)
    logging.getLogger().setLevel(logging.WARNING)
    uvicorn.run(
        make_app(settings), host="127.0.0.1", port=args.port, log_level="warning", access_log=False
    )


if __name__ == "__main__":
    main()
