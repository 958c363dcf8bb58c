"""``user_key``: a keyed hash of a Telegram user id, so analysts count people, not names.

``user_key = hex(HMAC-SHA256(key, str(user_id)))``. Without the key nobody can tell which user id
a ``user_key`` belongs to (a plain hash of a small integer is reversed by trying them all).

The key comes from ``TGLAKE_PSEUDONYM_KEY``. On a local lake without it, one is created once in
``<lake>/.pseudonym-key`` (mode 0600, a hidden file that no store lists) and reused, so keys stay
stable between runs. One key per lake, always: a key that changed silently would split every
person in two, so each of these is a :class:`~tglake.errors.ConfigError`: on S3, a missing
key; on a folder, a missing key file when enriched tables exist (they were built with it), and
a setting that differs from the key file. Read-only and dry-run commands use :func:`load_key`,
which creates nothing. (The ETL also checks the key against the one the enriched zone records:
:mod:`tglake.lakestate`.)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from tglake.config import Settings, check_pseudonym_key
from tglake.errors import ConfigError

KEY_FILE = ".pseudonym-key"


class Pseudonymizer:
    """Turns user ids into ``user_key`` strings; remembers the ones it has seen (a day has far
    fewer users than updates, so the cache saves most of the HMAC work)."""

    __slots__ = ("_cache", "_key")

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ConfigError("the pseudonym key is empty")
        self._key = key
        self._cache: dict[int, str] = {}

    def __call__(self, user_id: int) -> str:
        cached = self._cache.get(user_id)
        if cached is None:
            cached = hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()
            if len(self._cache) < 1_000_000:
                self._cache[user_id] = cached
        return cached

    def __repr__(self) -> str:
        return "Pseudonymizer(key='**********')"


def _is_s3(uri: str) -> bool:
    return uri.startswith("s3://")


def load_key(settings: Settings) -> bytes | None:
    """The pseudonym key, read only: the setting, else the local lake's key file; None when a
    local lake has neither (nothing is created: read-only and dry-run commands call this)."""
    path = Path(settings.lake) / KEY_FILE
    if settings.pseudonym_key is not None:
        key = settings.pseudonym_key.reveal().encode()
        local = not (_is_s3(settings.lake) or _is_s3(settings.enriched_uri))
        if local and path.is_file() and _read_key(path) != key:
            raise ConfigError(
                f"TGLAKE_PSEUDONYM_KEY is not the key in {path}: a lake has one key, and "
                "another one would give every person a new user_key. Unset the variable to use "
                "the lake's key file, or remove the file if the variable holds the lake's key"
            )
        return key
    if _is_s3(settings.lake) or _is_s3(settings.enriched_uri):
        raise ConfigError(
            "TGLAKE_PSEUDONYM_KEY is not set: an S3 lake needs it (a key file is created only "
            "in a local lake); generate one with "
            "python3 -c 'import secrets; print(secrets.token_hex(32))' and keep it secret"
        )
    try:
        return _read_key(path)
    except FileNotFoundError:
        return None


def load_or_create_key(settings: Settings) -> bytes:
    """The pseudonym key: the setting, else the local lake's key file, created on first use,
    but only for a lake whose enriched zone holds no table yet (see :func:`refuse_a_new_key`)."""
    key = load_key(settings)
    if key is not None:
        return key
    refuse_a_new_key(settings)
    return _key_file(Path(settings.lake) / KEY_FILE)


def refuse_a_new_key(settings: Settings) -> None:
    """A ConfigError when the local lake already has enriched tables: they were built with a
    key that is now missing, and a new one would re-identify every person as someone new."""
    tables = Path(settings.enriched_uri) / "telegram"
    if tables.is_dir() and any(p.is_file() for p in tables.rglob("*.parquet")):
        raise ConfigError(
            f"the enriched zone {settings.enriched_uri} holds tables built with a pseudonym key "
            f"that is missing (TGLAKE_PSEUDONYM_KEY is unset and {Path(settings.lake) / KEY_FILE} "
            "does not exist): a new key would give every person a new user_key, counting each "
            "one as someone new. Restore the key file or set TGLAKE_PSEUDONYM_KEY to the "
            "lake's key; nothing was written"
        )


def _key_file(path: Path) -> bytes:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # written whole to a private temporary file, then linked into place: link fails if the key
    # appeared meanwhile, so two first runs at once agree on one key, and none reads half a key
    tmp = path.with_name(f"{KEY_FILE}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise ConfigError(f"the pseudonym key file {path} is empty")
    return check_pseudonym_key(key, f"the pseudonym key file {path}").encode()
