"""Stop a command that cannot work before it starts, in one line that says what to do.

Without this, ``serve --lake ./afile`` logs "serving" and answers every update 503, and a lake on
S3 without credentials starts and fails hours later in the nightly ETL. ``serve``, ``poll`` and
``etl`` call :func:`check_lake` on each zone they write, once, before any work.
"""

from __future__ import annotations

from pathlib import Path

from tglake.errors import ConfigError, StorageUnavailableError
from tglake.storage import ObjectStore


def file_in_the_way(folder: Path) -> Path | None:
    """The first path from ``folder`` up that exists and is not a folder, if any."""
    for path in (folder, *folder.parents):
        if path.exists():
            return None if path.is_dir() else path
    return None


def check_lake(store: ObjectStore) -> None:
    """A ConfigError unless ``store`` takes a write now: a folder that is a folder and writable,
    or an S3 bucket reachable with the credentials at hand (the message names the endpoint and
    the variables to set)."""
    root = store.local_root
    if root is not None and (blocker := file_in_the_way(root)) is not None:
        raise ConfigError(
            f"cannot use {root} for the lake: {blocker} is a file, not a folder; give --lake "
            "(or TGLAKE_LAKE) a folder (created when missing)"
        )
    try:
        store.check_writable()
    except StorageUnavailableError as exc:
        hint = "; give --lake (or TGLAKE_LAKE) a folder you can write to" if root else ""
        raise ConfigError(f"{exc}{hint}") from None
