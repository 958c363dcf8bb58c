"""Every package in the environment is the version pinned in ``constraints.txt``, and the
installed set is consistent (``pip check``). The Lambda artifacts are built from the same pins."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

CONSTRAINTS = Path(__file__).parent.parent / "constraints.txt"
BOOTSTRAP = {"pip", "setuptools", "wheel", "tglake"}  # the venv's own tools, and us


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    pinned = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt pins by ==, got {line!r}"
            pinned[canonical(name.split("[")[0])] = version.strip()
    return pinned


def test_every_installed_distribution_is_pinned_at_its_version() -> None:
    pinned = pins()
    unpinned, drifted = [], []
    for dist in metadata.distributions():
        name = canonical(dist.metadata["Name"])
        if name in BOOTSTRAP:
            continue
        if name not in pinned:
            unpinned.append(name)
        elif pinned[name] != dist.version:
            drifted.append(f"{name} {dist.version} (pinned {pinned[name]})")
    assert unpinned == [], "installed but not pinned in constraints.txt"
    assert drifted == []


def test_installed_requirements_are_consistent() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
