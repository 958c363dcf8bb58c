"""A person's bairro, told to the bot (``/meubairro Jundiapeba``): the one thing it remembers.

Stored in the reference zone as ``bot/profiles/<user_key>.json`` = ``{"bairro": "<name>"}``:
keyed by the pseudonym (never the Telegram id), one object per person so that forgetting is
one delete, and nothing else about the person is kept. ``/meusdados`` shows it, ``/esquecer``
and ``tglake forget`` (:func:`erase_profile`) remove it.

The responder needs ``user_key`` at answer time, so it needs the pseudonym key: the same
``TGLAKE_PSEUDONYM_KEY`` (or local key file) the ETL uses. Without it, personal answers are off
and the bot says so; the rest of the bot works as before.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable

from tglake.errors import ObjectNotFoundError, StorageError
from tglake.storage import ObjectStore

log = logging.getLogger(__name__)

PROFILES_PREFIX = "bot/profiles/"
_USER_KEY = re.compile(r"[0-9a-f]{16,128}")
CACHE_SECONDS = 30.0
"""How long an answer may use a profile read before (another Lambda instance may change it)."""


def profile_key(user_key: str) -> str:
    """``bot/profiles/<user_key>.json``; only a hex pseudonym can name a key."""
    if not _USER_KEY.fullmatch(user_key):
        raise ValueError("user_key must be the hex pseudonym")
    return f"{PROFILES_PREFIX}{user_key}.json"


def read_profile(store: ObjectStore, user_key: str) -> str | None:
    """The person's bairro, or None."""
    try:
        document = json.loads(store.get(profile_key(user_key)))
    except ObjectNotFoundError:
        return None
    except ValueError:
        log.warning("profile unreadable, ignored")
        return None
    bairro = document.get("bairro") if isinstance(document, dict) else None
    return bairro if isinstance(bairro, str) and bairro else None


def save_profile(store: ObjectStore, user_key: str, bairro: str) -> None:
    body = json.dumps({"bairro": bairro}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    store.put(profile_key(user_key), body)


def erase_profile(store: ObjectStore, user_key: str) -> bool:
    """Remove the person's profile (the hook for ``tglake forget``); True when there was one."""
    key = profile_key(user_key)
    try:
        store.get(key)
    except ObjectNotFoundError:
        return False
    store.delete(key)
    return True


class Profiles:
    """Profiles as the responder sees them: reads cached for :data:`CACHE_SECONDS`, writes and
    erasures through to the store at once. A failed read answers without personalising."""

    def __init__(
        self,
        store: ObjectStore,
        *,
        ttl: float = CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def get(self, user_key: str) -> str | None:
        now = self._monotonic()
        with self._lock:
            hit = self._cache.get(user_key)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        try:
            bairro = read_profile(self.store, user_key)
        except StorageError as exc:
            log.warning("profile not read reason=%s", exc)
            return None
        with self._lock:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[user_key] = (now, bairro)
        return bairro

    def set(self, user_key: str, bairro: str) -> None:
        save_profile(self.store, user_key, bairro)
        with self._lock:
            self._cache[user_key] = (self._monotonic(), bairro)

    def erase(self, user_key: str) -> bool:
        existed = erase_profile(self.store, user_key)
        with self._lock:
            self._cache[user_key] = (self._monotonic(), None)
        return existed
