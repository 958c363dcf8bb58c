"""JSON → UTF-8 bytes that never fail on what Telegram can send.

A JSON string may hold a lone UTF-16 surrogate (``"\\ud800"``): Python decodes it, but cannot
encode it as UTF-8. Such values are written with ASCII escapes instead, which any JSON reader
turns back into the same string; everything else stays readable UTF-8.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(obj: Any, **kwargs: Any) -> bytes:
    """``json.dumps(obj, ensure_ascii=False, **kwargs)`` as UTF-8, escaped only when needed."""
    try:
        return json.dumps(obj, ensure_ascii=False, **kwargs).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj, ensure_ascii=True, **kwargs).encode("ascii")
