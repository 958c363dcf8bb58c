"""Where an imported consulta_cand overlay lives: ``<lake>/reference/candidates/overlay.json``.

Not in the raw zone (which holds only what Telegram sent and the bot's events) and not in the
enriched zone (which the ETL rebuilds): a small reference zone beside them, through the same
storage port, so it works on a folder and on S3 alike.
"""

from __future__ import annotations

import json
from typing import Any

from tglake.config import Settings, join_uri
from tglake.errors import ObjectNotFoundError
from tglake.storage import ObjectStore

REFERENCE_ZONE = "reference"
OVERLAY_KEY = "candidates/overlay.json"


def reference_uri(settings: Settings) -> str:
    return join_uri(settings.lake, REFERENCE_ZONE)


def save_overlay(store: ObjectStore, overlay: dict[str, Any]) -> str:
    """Write (replace) the overlay; returns its key."""
    body = json.dumps(overlay, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    store.put(OVERLAY_KEY, body)
    return OVERLAY_KEY


def read_overlay(store: ObjectStore) -> dict[str, Any] | None:
    """The stored overlay, or None when nothing was imported."""
    try:
        document: dict[str, Any] = json.loads(store.get(OVERLAY_KEY))
    except ObjectNotFoundError:
        return None
    return document
