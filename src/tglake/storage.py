"""The object-store port and its local-folder backend.

The port is small (put, put-if-absent, get, list, delete, plus the three bulk forms the ETL
needs: ``list_names``, ``get_many``, ``put_file``); the logic that uses it (redelivery as a no-op,
the conflicting-payload sibling, the partition swap) lives above it in ``ingest/`` and ``etl/``,
written once for every backend. Nothing above this module asks which backend it has.
"""

from __future__ import annotations

import builtins
import contextlib
import ctypes
import errno
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from tglake.errors import ObjectExistsError, ObjectNotFoundError, StorageUnavailableError


@runtime_checkable
class ObjectStore(Protocol):
    """A flat key → bytes store; keys use ``/`` as separator."""

    uri: str
    local: bool
    """True when a write is a local file write (microseconds): an event loop may make it inline
    instead of paying a thread hop; False for a network store."""
    local_root: Path | None
    """The folder holding the objects (key ``a/b`` is the file ``local_root/a/b``) when the store
    is one on this machine, so worker processes can open it again; None for a remote store."""

    def put(self, key: str, data: bytes) -> None:
        """Write ``data`` at ``key``, replacing what was there, atomically."""

    def put_if_absent(self, key: str, data: bytes) -> None:
        """Write ``data`` at ``key`` unless the key exists (then raise ObjectExistsError)."""

    def get(self, key: str) -> bytes:
        """Read ``key`` (ObjectNotFoundError when absent)."""

    def list(self, prefix: str) -> Iterator[str]:
        """Every key under ``prefix``, sorted, across any number of pages."""

    def list_names(self, folder: str) -> builtins.list[str]:
        """The names of the objects directly in ``folder`` (a prefix ending in ``/``), without
        the folder, in no set order; [] for a missing folder. A day's raw listing without
        building and sorting a million full keys."""

    def get_many(self, keys: Sequence[str]) -> builtins.list[bytes | None]:
        """Read each key in order; a missing key reads as None (it vanished since the listing)
        and any other failure raises StorageUnavailableError, as :meth:`get` does."""

    def put_file(self, key: str, source: Path) -> None:
        """Like :meth:`put`, from a local file, without holding it in memory."""

    def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing key is not an error."""

    def check_writable(self, folder: str = "") -> None:
        """Raise StorageUnavailableError unless a write under ``folder`` (a key prefix ending in
        ``/``; the root when empty) would succeed now."""

    def purge_history(self, prefix: str) -> int:
        """Remove the old versions kept of every key under ``prefix`` (a versioned S3 bucket
        keeps a deleted or rewritten object's bytes); returns how many. A folder keeps none."""


def _unavailable(exc: OSError, what: str) -> StorageUnavailableError:
    reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
    if exc.errno == errno.ENOSPC:
        reason = "no space left on device"
    return StorageUnavailableError(f"cannot {what}: {reason}")


_TEMP_COUNTER = itertools.count()
HEALTH_PROBE_BYTES = 4096
"""What ``LocalStore.check_writable`` writes: one block of a usual file system, data and not
only an inode, as every update's write needs."""


def _sync_dir(folder: str) -> None:
    """fsync a folder, so the names created in it survive a power cut (POSIX; a no-op where
    folders cannot be opened, as on Windows)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (PermissionError, IsADirectoryError):
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc >= 2.28
    except OSError:
        return None


_RENAMEAT2 = _load_renameat2()
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def _rename_noreplace(source: str, target: str) -> bool:
    """Rename ``source`` to ``target`` unless ``target`` exists (FileExistsError); False when
    the kernel or file system cannot, so the caller falls back to a hard link."""
    global _RENAMEAT2
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target),
                  _RENAME_NOREPLACE) == 0:  # fmt: skip
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        _RENAMEAT2 = None  # not on this file system: stop trying
        return False
    raise OSError(code, os.strerror(code), target)


class LocalStore:
    """A folder as an object store. Writes go to a temporary file in the target folder and are
    renamed (or hard-linked, for put-if-absent) into place, so a reader never sees half a file."""

    local = True
    """Writes are page-cache writes (microseconds): an event loop may make them inline."""

    def __init__(self, root: str | Path, *, fsync: bool = False) -> None:
        """``fsync``: each write reaches the disk (file data, then the folder entry that names
        it, and the entries of any folder it created) before the call returns, so a power cut
        after the webhook's 200 loses nothing; without it the OS writes back within ~30 s."""
        self.root = Path(root)
        self.local_root: Path | None = self.root
        self.uri = str(self.root)
        self.fsync = fsync
        # an fsync waits for the disk (milliseconds): off the event loop, so writes overlap
        self.local = not fsync
        self._root = str(self.root)

    def _path(self, key: str) -> str:
        parts = key.split("/")
        if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"unsafe key {key!r}")
        return os.path.join(self._root, *parts)

    def _write_temp(self, path: str, data: bytes) -> str:
        """A new file beside ``path`` holding ``data``; its folder is created on first use.
        Temporary names come from a counter (no random draw: this is the webhook's hot path)."""
        folder = os.path.dirname(path)
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_TEMP_COUNTER)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileNotFoundError:
            self._makedirs(folder)
            fd = os.open(tmp, flags, 0o600)
        try:
            try:
                view = memoryview(data)
                while view:  # os.write may write less than asked (a full disk, a signal)
                    view = view[os.write(fd, view) :]
                if self.fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return tmp

    def _makedirs(self, folder: str) -> None:
        """Create ``folder`` (and its parents); with fsync, make their names durable too."""
        missing = []
        here = folder
        while not os.path.isdir(here) and here not in ("", os.path.dirname(here)):
            missing.append(here)
            here = os.path.dirname(here)
        os.makedirs(folder, exist_ok=True)
        if self.fsync:
            for created in missing:  # deepest first: each new name lives in its parent
                _sync_dir(os.path.dirname(created))

    def _durable(self, path: str) -> None:
        """With fsync, flush the folder entry of a just-renamed/linked file to disk."""
        if self.fsync:
            _sync_dir(os.path.dirname(path))

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            tmp = self._write_temp(path, data)
            os.replace(tmp, path)
            self._durable(path)
        except OSError as exc:
            raise _unavailable(exc, f"write {key}") from exc

    def purge_history(self, prefix: str) -> int:
        """A folder keeps no old versions: nothing to purge."""
        return 0

    def put_file(self, key: str, source: Path) -> None:
        """Like :meth:`put`, from a local file, without holding it in memory."""
        path = self._path(key)
        tmp = None
        try:
            tmp = self._write_temp(path, b"")
            shutil.copyfile(source, tmp)
            if self.fsync:
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
            os.replace(tmp, path)
            self._durable(path)
        except OSError as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise _unavailable(exc, f"write {key}") from exc

    def put_if_absent(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            tmp = self._write_temp(path, data)
        except OSError as exc:
            raise _unavailable(exc, f"write {key}") from exc
        renamed = False
        try:
            # atomic, and fails if the key exists: a rename that never replaces where the
            # kernel offers one (two folder updates), else a hard link (three, with the unlink)
            renamed = _rename_noreplace(tmp, path)
            if not renamed:
                os.link(tmp, path)
        except FileExistsError as exc:
            raise ObjectExistsError(key) from exc
        except OSError as exc:
            raise _unavailable(exc, f"write {key}") from exc
        finally:
            if not renamed:  # the temporary name is gone once renamed: no syscall to fail
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        try:
            self._durable(path)  # after the unlink: the folder is synced once, in its final state
        except OSError as exc:
            raise _unavailable(exc, f"write {key}") from exc

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except FileNotFoundError as exc:
            raise ObjectNotFoundError(key) from exc
        except OSError as exc:
            raise _unavailable(exc, f"read {key}") from exc

    def _read_path(self, key: str) -> str:
        """:meth:`_path` for a bulk read, at a third of the cost for the usual key (no empty,
        dot or hidden part: then no part can leave the root)."""
        if "/." in key or "//" in key or key[:1] in ("", "/", ".") or key[-1] == "/":
            return self._path(key)
        return f"{self._root}{os.sep}{key}" if os.sep == "/" else self._path(key)

    def get_many(self, keys: Sequence[str]) -> builtins.list[bytes | None]:
        bodies: builtins.list[bytes | None] = []
        for key in keys:
            try:
                with open(self._read_path(key), "rb") as handle:
                    bodies.append(handle.read())
            except FileNotFoundError:
                bodies.append(None)
            except OSError as exc:
                raise _unavailable(exc, f"read {key}") from exc
        return bodies

    def list_names(self, folder: str) -> builtins.list[str]:
        path = self._path(folder.rstrip("/"))
        try:
            with os.scandir(path) as entries:
                return [e.name for e in entries if e.is_file() and not e.name.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise _unavailable(exc, f"list {folder}") from exc

    def list(self, prefix: str) -> Iterator[str]:
        # the prefix may end inside a name (``raw/12``): walk its folder and filter
        folder = prefix if prefix.endswith("/") or not prefix else prefix.rsplit("/", 1)[0]
        start = self.root / folder if "/" in prefix or prefix.endswith("/") else self.root
        if not start.is_dir():
            return iter(())
        keys = []
        try:
            for dirpath, dirnames, filenames in os.walk(start):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                rel = Path(dirpath).relative_to(self.root).as_posix()
                for name in filenames:
                    if name.startswith("."):
                        continue  # temporary files and hidden state
                    key = name if rel == "." else f"{rel}/{name}"
                    if key.startswith(prefix):
                        keys.append(key)
        except OSError as exc:
            raise _unavailable(exc, f"list {prefix}") from exc
        return iter(sorted(keys))

    def delete(self, key: str) -> None:
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _unavailable(exc, f"delete {key}") from exc

    def check_writable(self, folder: str = "") -> None:
        """A real write in ``folder``: a probe of :data:`HEALTH_PROBE_BYTES` bytes, fsynced,
        then removed. An empty file would need an inode but no data block, so a full disk would
        pass; the fsync makes a file system that allocates blocks only at write-back (ext4's
        delayed allocation) report a full disk now. A ``folder`` not made yet is probed in its
        deepest folder that exists, below the root, where a write would create it (so a health
        check leaves no empty folder). The probe's name starts with a dot: no listing shows it."""
        where = self._path(folder.strip("/")) if folder.strip("/") else self._root
        while where != self._root and not os.path.isdir(where):
            where = os.path.dirname(where)
        try:
            os.makedirs(where, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".health-", dir=where)
            try:
                view = memoryview(b"\0" * HEALTH_PROBE_BYTES)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
                os.unlink(tmp)
        except OSError as exc:
            raise _unavailable(exc, f"write to {folder or self.root}") from exc

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"
