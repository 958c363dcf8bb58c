"""What a lake remembers of how its enriched zone was built: one small object beside the tables.

``<enriched>/_lake/settings.json`` = ``{"version": 1, "keep_names": bool, "key_check": hex}``.

* ``keep_names``: a lake built with names kept must keep them on every rebuild, whoever runs it
  (``tglake etl``, ``tglake forget``, ``tglake import export``, the scheduler, the Lambda,
  ``--pending``). Run options live in :class:`~tglake.config.Settings`; this object adds the one
  that belongs to the lake rather than to a run. Once on, it stays on: a rebuild never silently
  drops the name columns an analyst relies on (delete the object to build without names again).
* ``key_check``: ``HMAC-SHA256(key, "tglake key check")``, which names no key and no person. A
  run with another pseudonym key would give every person a new ``user_key`` (everyone counted
  twice), so it is refused with a :class:`~tglake.errors.ConfigError` that says why.

It is written by :func:`for_run`, which only the ETL's day run calls (the one path that writes
enriched tables); read-only commands never write it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from typing import Any

from tglake.config import Settings
from tglake.errors import ConfigError, ObjectNotFoundError
from tglake.storage import ObjectStore

KEY = "_lake/settings.json"
"""Where the lake's own settings sit, in the enriched zone (outside every table's prefix)."""
VERSION = 1


@dataclasses.dataclass(frozen=True)
class LakeState:
    keep_names: bool = False
    """Names, usernames and phone numbers are kept in the enriched zone."""
    key_check: str | None = None
    """The keyed check value of the pseudonym key the lake was built with."""

    def body(self) -> bytes:
        document: dict[str, Any] = {"version": VERSION, **dataclasses.asdict(self)}
        return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def key_check(key: bytes) -> str:
    """A value that tells two keys apart and reveals neither (an HMAC of a fixed text)."""
    return hmac.new(key, b"tglake key check", hashlib.sha256).hexdigest()[:32]


def read(enriched: ObjectStore) -> LakeState | None:
    """The lake's recorded state, or None (a new lake, or one built before this object)."""
    try:
        document = json.loads(enriched.get(KEY))
    except ObjectNotFoundError:
        return None
    except ValueError as exc:
        raise ConfigError(f"{KEY} in the enriched zone is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{KEY} in the enriched zone is not a JSON object")
    check = document.get("key_check")
    return LakeState(
        keep_names=document.get("keep_names") is True,
        key_check=check if isinstance(check, str) else None,
    )


def for_run(settings: Settings, enriched: ObjectStore, key: bytes) -> Settings:
    """The settings a run that writes the enriched zone must use: refused when ``key`` is not
    the lake's key, ``keep_names`` on when the lake keeps names; the state recorded (or updated
    when this run starts keeping names)."""
    state = read(enriched)
    check = key_check(key)
    if state is not None and state.key_check not in (None, check):
        raise ConfigError(
            "this pseudonym key is not the one the enriched zone was built with: every "
            "person would get a new user_key and be counted as someone new. Use the lake's key "
            "(TGLAKE_PSEUDONYM_KEY, or the lake's .pseudonym-key file)"
        )
    keep = settings.keep_names or (state is not None and state.keep_names)
    wanted = LakeState(keep_names=keep, key_check=check)
    if state != wanted:
        enriched.put(KEY, wanted.body())
    return (
        settings if keep == settings.keep_names else dataclasses.replace(settings, keep_names=keep)
    )
