"""Where an imported consulta_cand overlay lives: ``<lake>/reference/candidates/overlay.json``,
and :func:`lake_candidates`, the candidate data every bot answers from.

Not in the raw zone (which holds only what Telegram sent and the bot's events) and not in the
enriched zone (which the ETL rebuilds): a small reference zone beside them, through the same
storage port, so it works on a folder and on S3 alike.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from tglake.candidates import catalog
from tglake.config import Settings, join_uri
from tglake.errors import CandidateDataError, ObjectNotFoundError, StorageError
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

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
    """The stored overlay, or None when nothing was imported (CandidateDataError when the file
    is not a JSON object)."""
    try:
        document = json.loads(store.get(OVERLAY_KEY))
    except ObjectNotFoundError:
        return None
    except ValueError as exc:  # not JSON, or not UTF-8
        raise CandidateDataError(f"{OVERLAY_KEY} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise CandidateDataError(f"{OVERLAY_KEY} is not a JSON object")
    return document


def lake_candidates(reference: ObjectStore) -> catalog.CandidateData:
    """The bundled candidates with the lake's imported overlay laid over them, for every bot
    (``tglake serve``, ``tglake telegram poll`` and the webhook Lambda).

    One failure behaviour: when an overlay exists but cannot be used (the reference zone is
    unavailable, or the file is not a valid overlay for this election), the bot answers from the
    bundled data and one WARNING says why. The overlay only adds profile fields; receiving and
    storing updates must never wait on it. No overlay at all is the normal case: no warning.
    """
    try:
        return catalog.load(read_overlay(reference))
    except (StorageError, CandidateDataError) as exc:
        log.warning("candidate overlay not used, answering from the bundled data: %s", exc)
        return catalog.bundled()
