"""Shared test helpers: fixture loading, a uvicorn server in a thread, free ports."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str, kind: str = "updates") -> bytes:
    """The exact bytes of a fixture file (as Telegram would send them, minus the newline)."""
    return (FIXTURES / kind / f"{name}.json").read_bytes().rstrip(b"\n")


def load_fixture(name: str, kind: str = "updates") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(fixture_bytes(name, kind))
    return data


def update_fixture_names() -> list[str]:
    return sorted(p.stem for p in (FIXTURES / "updates").glob("*.json"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve_in_thread(app: Any, port: int | None = None) -> Iterator[str]:
    """Run an ASGI app under a real uvicorn server on loopback; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_until_healthy(url: str, timeout: float = 30) -> None:
    """Wait for a ``tglake serve`` started as a subprocess to answer ``GET /healthz`` with 200."""
    import httpx2

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx2.get(f"{url}/healthz").status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy in {timeout} s")
        time.sleep(0.05)
