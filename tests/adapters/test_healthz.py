"""``GET /healthz`` fails exactly when an update's write would: a real full disk and a real
folder the server may not write, each in a subprocess, against the real app under uvicorn.

The check once created and removed an *empty* file in the raw root: that needs an inode, not a
data block, so a full disk passed it (200) while every update got a 503; and it never touched
the day folder, so a day folder the server may not write passed too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).parent.parent.parent
DAY_FOLDER = "telegram/context_date=2024-10-06/"
"""Where the server's fixed clock (2024-10-06 15:00 UTC, noon in São Paulo) sends updates."""

SCRIPT = textwrap.dedent(
    """
    import datetime as dt, json, os, subprocess, sys
    from pathlib import Path

    import httpx2
    from tglake.adapters.http import create_app
    from tglake.config import Settings
    from tglake.storage import LocalStore
    from tests.helpers import serve_in_thread

    mode, root = sys.argv[1], Path(sys.argv[2])
    if mode == "full":  # a real 256 KiB file system, in this process's own mount namespace
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root)], check=True)
    store = LocalStore(root / "raw")
    day = root / "raw/telegram/context_date=2024-10-06"
    now = dt.datetime(2024, 10, 6, 15, 0, tzinfo=dt.UTC)
    seen = []

    def body(update_id):
        return json.dumps({"update_id": update_id, "message": {"text": "olá"}}).encode()

    def probe(label, update_id):
        health = httpx2.get(url + "/healthz")
        posted = httpx2.post(url + "/webhook", content=body(update_id))
        seen.append([label, health.status_code, health.json(), posted.status_code])

    with serve_in_thread(create_app(Settings(), store, clock=lambda: now)) as url:
        probe("healthy", 1)
        if mode == "full":  # every data block taken; inodes are left
            filler = os.open(root / "filler", os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(filler, b"x" * 4096)
            except OSError:  # ENOSPC
                os.close(filler)
            probe("fault", 2)
            os.unlink(root / "filler")
        else:  # the day folder read-only: a real EACCES from the kernel
            os.chmod(day, 0o555)
            probe("fault", 2)
            os.chmod(day, 0o755)
        probe("repaired", 2)
    names = sorted(p.relative_to(root / "raw").as_posix() for p in (root / "raw").rglob("*"))
    print(json.dumps({"seen": seen, "names": names}))
    """
)


def run_server_through(mode: str, root: Path) -> dict[str, Any]:
    """The script in a subprocess: ``full`` inside ``unshare --mount`` (``--map-root-user`` when
    not root: no privileges needed); ``denied`` without the capabilities that let root ignore a
    folder's mode (``setpriv --bounding-set=-all``), as a service user would run."""
    if mode == "full":
        wrapper = ["unshare", "--mount"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    else:
        wrapper = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] if os.geteuid() == 0 else []
    completed = subprocess.run(
        [*wrapper, sys.executable, "-c", SCRIPT, mode, str(root)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return report


def test_a_full_disk_makes_healthz_503_with_the_reason_until_space_is_freed(
    tmp_path: Path,
) -> None:
    """The real mechanism: a tmpfs of 256 KiB mounted in a private mount namespace
    (``unshare --mount``, with ``--map-root-user`` for a user without privileges), filled by a
    file until the kernel answers ENOSPC; inodes stay free, as on a disk full of data."""
    # GIVEN a server writing to a small real file system
    mountpoint = tmp_path / "small-disk"
    mountpoint.mkdir()
    # WHEN the disk fills, then space is freed
    seen = run_server_through("full", mountpoint)["seen"]
    # THEN /healthz said 503, with the reason, exactly while updates got 503 too
    assert seen == [
        ["healthy", 200, {"ok": True}, 200],
        [
            "fault",
            503,
            {"ok": False, "error": f"cannot write to {DAY_FOLDER}: no space left on device"},
            503,
        ],
        ["repaired", 200, {"ok": True}, 200],
    ]


def test_a_day_folder_the_server_may_not_write_makes_healthz_503(tmp_path: Path) -> None:
    """The real mechanism: the day folder's mode set to 0555, and the server run without the
    capabilities (CAP_DAC_OVERRIDE) that would let root write there anyway, so the kernel
    answers EACCES as it does to a service user."""
    # GIVEN a server whose day folder becomes read-only, then writable again
    report = run_server_through("denied", tmp_path)
    # THEN /healthz said 503 with the reason while updates got 503, and 200 after the repair
    assert report["seen"] == [
        ["healthy", 200, {"ok": True}, 200],
        [
            "fault",
            503,
            {"ok": False, "error": f"cannot write to {DAY_FOLDER}: Permission denied"},
            503,
        ],
        ["repaired", 200, {"ok": True}, 200],
    ]
    # and the checks left nothing behind: only the two updates
    assert report["names"] == [
        "telegram",
        "telegram/context_date=2024-10-06",
        "telegram/context_date=2024-10-06/1.json",
        "telegram/context_date=2024-10-06/2.json",
    ]
