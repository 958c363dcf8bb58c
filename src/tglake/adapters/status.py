"""The one table from our outcomes and errors to HTTP answers, shared by the ASGI app and the
Lambda handler so both give Telegram the same answers."""

from __future__ import annotations

import json
from typing import Any

from tglake import jsonbytes
from tglake.errors import (
    BadSecretError,
    InvalidUpdateError,
    PayloadTooLargeError,
    StorageUnavailableError,
    TglakeError,
)

ERROR_STATUS: dict[type[TglakeError], int] = {
    InvalidUpdateError: 400,
    BadSecretError: 401,
    PayloadTooLargeError: 413,
    StorageUnavailableError: 503,
}


def status_for(exc: TglakeError) -> int:
    """HTTP status for one of our errors; anything unexpected is a 500."""
    for cls in type(exc).__mro__:
        if cls in ERROR_STATUS:
            return ERROR_STATUS[cls]
    return 500


def error_body(exc: TglakeError) -> bytes:
    # the messages of these errors are ours and never carry the body, token or secret
    return json.dumps({"ok": False, "error": str(exc)}).encode()


def ok_body(reply: dict[str, Any] | None) -> bytes:
    """A 200 body: the bot's reply as a Bot API method call, or a plain acknowledgement."""
    return jsonbytes.dumps(reply if reply else {"ok": True})
