"""``TGLAKE_FSYNC`` / ``--fsync``: what reaches the disk before a write returns.

A power cut cannot be staged in a test; what can be checked is the system calls that make a
write survive one: ``fsync`` of the file's data and of every folder entry that names it (the
file's folder, and the parents of folders the write created). ``strace`` watches a real process.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

WRITE = """
import sys
from tglake.adapters.stores import open_store
store = open_store(sys.argv[1], fsync=sys.argv[2] == "1")
store.put_if_absent("telegram/context_date=2024-10-06/7.json", b'{"update_id":7}')
store.put("telegram/context_date=2024-10-06/8.json", b'{"update_id":8}')
"""


STRACE = ("strace", "-f", "-y", "-e", "trace=fsync", "-o")


def fsynced(root: Path, fsync: bool, tmp_path: Path) -> list[str]:
    """Paths passed to fsync by a process that writes two raw objects into a fresh lake."""
    trace = tmp_path / f"trace-{fsync}.txt"
    subprocess.run(
        [*STRACE, str(trace), sys.executable, "-c", WRITE, str(root), "1" if fsync else "0"],
        check=True,
        capture_output=True,
    )
    return re.findall(r"fsync\(\d+<([^>]*)>\) = 0", trace.read_text())


def test_fsync_flushes_each_file_and_every_folder_entry_before_the_write_returns(
    tmp_path: Path,
) -> None:
    root = tmp_path / "lake" / "raw"
    paths = fsynced(root, True, tmp_path)
    day = root / "telegram" / "context_date=2024-10-06"
    # each object's data (as its temporary file, before its name appears)
    assert len([p for p in paths if Path(p).parent == day and ".tmp-" in p]) == 2
    # its folder after each link/rename, and each folder the first write created, in its parent
    assert paths.count(str(day)) == 2
    for created in (day.parent, root, root.parent):
        assert str(created.parent) in paths
    assert (day / "7.json").read_bytes() == b'{"update_id":7}'


def test_without_fsync_no_write_waits_for_the_disk(tmp_path: Path) -> None:
    assert fsynced(tmp_path / "raw", False, tmp_path) == []
